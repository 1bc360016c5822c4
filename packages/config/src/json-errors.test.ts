import { describe, expect, it } from 'vitest';
import { safeJsonParse } from './json.ts';
import { findJsonError, lineColumn } from './json-errors.ts';
import { readScfg } from './scfg.ts';
import { xzCompress } from './xz.ts';

describe('JSON syntax errors with line and column', () => {
  it('finds the spot JSON.parse only reports as a snippet', () => {
    const text = '{\n    "a": 1,\n    "b": }';
    expect(findJsonError(text)).toEqual({
      offset: 23,
      line: 3,
      column: 10,
      message: 'expected a value, found "}"',
    });
    const r = safeJsonParse(text);
    expect(r).toEqual({ ok: false, message: 'line 3, column 10: expected a value, found "}"' });
  });

  it('locates errors deep in a large file (line:column, never a byte offset only)', () => {
    const rows = Array.from({ length: 5000 }, (_, k) => `    ${k},`).join('\n');
    const text = `{\n  "data": [\n${rows}\n  ]\n}`; // trailing comma before ]
    const r = readScfg(text);
    expect(r.ok).toBe(false);
    expect(r.issues[0]).toMatchObject({ code: 'json', path: '' });
    expect(r.issues[0]!.message).toBe('invalid JSON: line 5003, column 3: expected a value, found "]"');
  });

  it('accepts what JSON.parse accepts, plus Python NaN/Infinity', () => {
    for (const t of ['{}', '[1, -2.5e3, "x\\u00e9", true, null]', '{"a": NaN, "b": -Infinity}'])
      expect(findJsonError(t)).toBeUndefined();
    expect(findJsonError('{"a": 1} x')?.message).toBe(
      'expected the end of the text after the top-level value, found "x"',
    );
    expect(findJsonError('{"a": "x')?.message).toBe('unterminated string');
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('XZ containers whose content is not text', () => {
  it('says the XZ container holds non-UTF-8 data, with the offset', () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0xff, 0xfe, 0x22, 0x7d]);
    const r = readScfg(xzCompress(bytes));
    expect(r.ok).toBe(false);
    expect(r.issues[0]!.message).toBe(
      'the XZ container decompresses to 7 bytes that are not UTF-8 text (invalid byte 0xff at offset 3 of the decompressed data)',
    );
    const plain = readScfg(bytes);
    expect(plain.issues[0]!.message).toBe(
      'the file is neither XZ-compressed nor UTF-8 text (invalid byte 0xff at offset 3)',
    );
  });
});
