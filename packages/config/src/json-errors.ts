/**
 * Where a JSON text stops being JSON: line, column and what was expected. `JSON.parse` reports a
 * byte offset (or, in newer engines, only a snippet); in a 200 KB `.scfg` neither finds the spot, so
 * a failed parse is re-scanned here.
 *
 * @module
 */

/** A syntax error located in the text (line and column are 1-based). */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Line and column (1-based) of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Literals by their first character (Python's json also writes NaN and Infinity). */
const WORDS: Readonly<Record<string, string>> = { t: 'true', f: 'false', n: 'null', N: 'NaN', I: 'Infinity' };

class Stop {
  readonly offset: number;
  readonly message: string;
  constructor(offset: number, message: string) {
    this.offset = offset;
    this.message = message;
  }
}

/**
 * Scans `text` as JSON (with Python's `NaN` / `Infinity` literals) and returns its first syntax
 * error, or undefined when it is valid.
 */
export function findJsonError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const show = (k: number) => (k >= n ? 'the end of the text' : JSON.stringify(text[k]));
  const fail = (what: string): never => {
    throw new Stop(i, `expected ${what}, found ${show(i)}`);
  };
  const string = () => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) throw new Stop(i, 'control character inside a string (write it as an escape)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            throw new Stop(i, 'invalid \\u escape (expected 4 hex digits)');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i, `invalid escape \\${e ?? ''} in a string`);
      } else i++;
    }
    throw new Stop(n, 'unterminated string');
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('a value');
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) {
      if (text.startsWith('-Infinity', i)) {
        i += 9;
        return;
      }
      fail('a number');
    }
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a key in double quotes');
        string();
        ws();
        if (text[i] !== ':') fail("':' after the key");
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail("',' or '}' after a value");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail("',' or ']' after a value");
      }
    }
    const word = c === undefined ? undefined : WORDS[c];
    if (c === '"') string();
    else if (word) literal(word);
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail('a value');
  };
  try {
    value();
    ws();
    if (i < n) fail('the end of the text after the top-level value');
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return { offset: e.offset, ...lineColumn(text, e.offset), message: e.message };
  }
}
