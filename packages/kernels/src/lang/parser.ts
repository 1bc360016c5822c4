/**
 * A hand-written recursive-descent parser for the text form of the equation language. The text is
 * data: it is tokenised and parsed into a {@link ModuleDefinition}, never evaluated. Input size and
 * nesting depth are bounded.
 *
 * ```text
 * module leaky_soma over unit
 * param potential_tau: f32 per unit = 20 [ms] positive
 * param resistance: f32 = 0.1 [GOhm]
 * state v: f32 = 0 [mV]
 * input current: CurrentArray f32 [pA]
 * output spikes: SpikeArray f32
 *
 * let decay = exp(-dt / potential_tau)      # comments start with # or //
 * v = decay * v + (1 - decay) * resistance * current
 * let z = v > 20
 * spikes = f32(z)
 * v = z ? 0 : v
 * ```
 *
 * Declarations: `module NAME [over unit|synapse]`,
 * `param NAME: TYPE [per EXTENT] = NUMBER [UNIT] [VALIDATOR…]`,
 * `state NAME: TYPE [= EXPR] [UNIT] [as STORAGE]`,
 * `input NAME: PAYLOAD [TYPE] [per EXTENT] [UNIT] [as STORAGE]`,
 * `output NAME: PAYLOAD [TYPE] [UNIT] [as STORAGE]`. Statements: `let NAME = EXPR`, `NAME = EXPR`.
 * Expressions: `?:`, `||`, `&&`, comparisons, `+ -`, `* / %`, unary `- !`, calls, parentheses.
 *
 * @module
 */

import type { PayloadType } from '@spark-snn/core';
import type {
  BinaryOp,
  Domain,
  Expr,
  Extent,
  FunctionName,
  InputDecl,
  ModuleDefinition,
  NumericType,
  OutputDecl,
  ParamDecl,
  StateDecl,
  Stmt,
  StorageType,
  Validator,
} from './ast.ts';

/** Largest accepted source text, in characters. */
export const MAX_SOURCE_LENGTH = 200_000;
/** Largest expression nesting depth accepted by the parser. */
export const MAX_PARSE_DEPTH = 64;

/** A syntax error with its position (1-based line and column). */
export class ParseError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`${line}:${column}: ${message}`);
    this.name = 'ParseError';
    this.line = line;
    this.column = column;
  }
}

type TokKind = 'num' | 'ident' | 'op' | 'unit' | 'nl' | 'eof';
interface Token {
  kind: TokKind;
  text: string;
  line: number;
  col: number;
}

const OPS = [
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '!',
  '?',
  ':',
  '=',
  '(',
  ')',
  ',',
  ';',
];

function tokenize(src: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let paren = 0;
  const push = (kind: TokKind, text: string, start: number): void => {
    toks.push({ kind, text, line, col: start - lineStart + 1 });
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '\n') {
      if (paren === 0) push('nl', '\n', i);
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (/[0-9.]/.test(c)) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 64));
      if (m === null) throw new ParseError(`bad number`, line, i - lineStart + 1);
      push('num', m[0], i);
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 128)) as RegExpExecArray;
      if (m[0].length > 64)
        throw new ParseError('identifier longer than 64 characters', line, i - lineStart + 1);
      push('ident', m[0], i);
      i += m[0].length;
      continue;
    }
    if (c === '[') {
      const end = src.indexOf(']', i);
      if (end < 0 || end - i > 66 || src.slice(i, end).includes('\n'))
        throw new ParseError('unterminated unit (expected "]")', line, i - lineStart + 1);
      push('unit', src.slice(i + 1, end).trim(), i);
      i = end + 1;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op === undefined)
      throw new ParseError(`unexpected character ${JSON.stringify(c)}`, line, i - lineStart + 1);
    if (op === '(') paren++;
    if (op === ')') paren = Math.max(0, paren - 1);
    push(op === ';' ? 'nl' : 'op', op, i);
    i += op.length;
  }
  toks.push({ kind: 'eof', text: '', line, col: i - lineStart + 1 });
  return toks;
}

const NUMERIC = ['f32', 'i32', 'u32'];
const EXTENTS = ['scalar', 'unit', 'synapse', 'pre'];
const STORAGE = ['float32', 'float16', 'int32', 'uint32'];

/** Parses the text form of a definition. Throws {@link ParseError} on a syntax error. */
export function parseDefinition(source: string): ModuleDefinition {
  if (typeof source !== 'string') throw new TypeError('parseDefinition: source must be a string');
  if (source.length > MAX_SOURCE_LENGTH)
    throw new ParseError(`source longer than ${MAX_SOURCE_LENGTH} characters`, 1, 1);
  const toks = tokenize(source);
  let p = 0;
  const peek = (): Token => toks[p] as Token;
  const next = (): Token => toks[p++] as Token;
  const fail = (msg: string, t: Token = peek()): never => {
    throw new ParseError(
      `${msg}, found ${t.kind === 'eof' ? 'end of input' : t.kind === 'nl' ? 'end of line' : JSON.stringify(t.text)}`,
      t.line,
      t.col,
    );
  };
  const isOp = (text: string): boolean => peek().kind === 'op' && peek().text === text;
  const isWord = (text: string): boolean => peek().kind === 'ident' && peek().text === text;
  const expectOp = (text: string): void => {
    if (!isOp(text)) fail(`expected "${text}"`);
    p++;
  };
  const ident = (what: string): string => {
    if (peek().kind !== 'ident') fail(`expected ${what}`);
    return next().text;
  };
  const oneOf = (what: string, allowed: readonly string[]): string => {
    const t = peek();
    if (t.kind !== 'ident' || !allowed.includes(t.text)) fail(`expected ${what} (${allowed.join(', ')})`);
    return next().text;
  };
  const endOfLine = (): void => {
    if (peek().kind === 'nl') {
      p++;
      return;
    }
    if (peek().kind !== 'eof') fail('expected end of line');
  };
  const number = (): number => {
    let neg = false;
    if (isOp('-')) {
      p++;
      neg = true;
    }
    if (peek().kind !== 'num') fail('expected a number');
    const v = Number(next().text);
    return neg ? -v : v;
  };

  // ---- expressions --------------------------------------------------------------------------
  let depth = 0;
  const enter = (): void => {
    if (++depth > MAX_PARSE_DEPTH) fail(`expression nested more than ${MAX_PARSE_DEPTH} levels`);
  };
  const expr = (): Expr => {
    enter();
    const cond = orExpr();
    let out = cond;
    if (isOp('?')) {
      p++;
      const a = expr();
      expectOp(':');
      const b = expr();
      out = { kind: 'select', cond, then: a, else: b };
    }
    depth--;
    return out;
  };
  const leftAssoc = (ops: readonly string[], sub: () => Expr): (() => Expr) => {
    return () => {
      let left = sub();
      while (peek().kind === 'op' && ops.includes(peek().text)) {
        const op = next().text as BinaryOp;
        left = { kind: 'binary', op, left, right: sub() };
      }
      return left;
    };
  };
  const unary = (): Expr => {
    if (isOp('-') || isOp('!')) {
      const op = next().text as '-' | '!';
      enter();
      const arg = unary();
      depth--;
      if (op === '-' && arg.kind === 'num') return { kind: 'num', value: -arg.value };
      return { kind: 'unary', op, arg };
    }
    return primary();
  };
  const primary = (): Expr => {
    const t = peek();
    if (t.kind === 'num') {
      p++;
      const v = Number(t.text);
      if (!Number.isFinite(v)) fail('number out of range', t);
      return { kind: 'num', value: v };
    }
    if (t.kind === 'ident') {
      p++;
      if (t.text === 'true' || t.text === 'false') return { kind: 'bool', value: t.text === 'true' };
      if (isOp('(')) {
        p++;
        const args: Expr[] = [];
        if (!isOp(')')) {
          args.push(expr());
          while (isOp(',')) {
            p++;
            args.push(expr());
          }
        }
        expectOp(')');
        if (args.length > 16) fail('too many arguments', t);
        return { kind: 'call', fn: t.text as FunctionName, args };
      }
      return { kind: 'ref', name: t.text };
    }
    if (isOp('(')) {
      p++;
      const e = expr();
      expectOp(')');
      return e;
    }
    return fail('expected an expression');
  };
  const mulExpr = leftAssoc(['*', '/', '%'], unary);
  const addExpr = leftAssoc(['+', '-'], mulExpr);
  const cmpExpr = (): Expr => {
    const left = addExpr();
    if (peek().kind === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(peek().text)) {
      const op = next().text as BinaryOp;
      const right = addExpr();
      if (peek().kind === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(peek().text))
        fail('comparisons do not chain; use &&');
      return { kind: 'binary', op, left, right };
    }
    return left;
  };
  const andExpr = leftAssoc(['&&'], cmpExpr);
  const orExpr = leftAssoc(['||'], andExpr);

  // ---- declarations and statements ------------------------------------------------------------
  let name: string | undefined;
  let domain: Domain | undefined;
  let doc: string | undefined;
  const params: ParamDecl[] = [];
  const state: StateDecl[] = [];
  const inputs: InputDecl[] = [];
  const outputs: OutputDecl[] = [];
  const body: Stmt[] = [];
  const optUnit = (): string | undefined => (peek().kind === 'unit' ? next().text : undefined);
  const optStorage = (): StorageType | undefined => {
    if (!isWord('as')) return undefined;
    p++;
    return oneOf('a storage type', STORAGE) as StorageType;
  };
  const optExtent = (): Extent | undefined => {
    if (!isWord('per')) return undefined;
    p++;
    return oneOf('an extent', EXTENTS) as Extent;
  };

  while (peek().kind !== 'eof') {
    if (peek().kind === 'nl') {
      p++;
      continue;
    }
    const t = peek();
    if (t.kind !== 'ident') fail('expected a declaration or a statement');
    const kw = t.text;
    const afterKw = toks[p + 1];
    const isAssign = afterKw?.kind === 'op' && afterKw.text === '=';
    if (!isAssign && kw === 'module') {
      p++;
      if (name !== undefined) fail('duplicate module line', t);
      name = ident('a module name');
      if (isWord('over')) {
        p++;
        domain = oneOf('a domain', ['unit', 'synapse']) as Domain;
      }
    } else if (!isAssign && kw === 'param') {
      p++;
      const n = ident('a parameter name');
      expectOp(':');
      const type = oneOf('a type', NUMERIC) as NumericType;
      const extent = optExtent();
      // Without `= NUMBER` the default comes from the config schema (bindSchema).
      let dflt: number | undefined;
      if (isOp('=')) {
        p++;
        dflt = number();
      }
      const unit = optUnit();
      const validators: Validator[] = [];
      let internal = false;
      while (peek().kind === 'ident') {
        const w = next().text;
        if (w === 'internal') internal = true;
        else validators.push(w as Validator);
      }
      params.push({
        name: n,
        type,
        ...(dflt !== undefined ? { default: dflt } : {}),
        ...(extent ? { extent } : {}),
        ...(unit !== undefined ? { unit } : {}),
        ...(validators.length ? { validators } : {}),
        ...(internal ? { internal: true } : {}),
      });
    } else if (!isAssign && kw === 'state') {
      p++;
      const n = ident('a state name');
      expectOp(':');
      const type = oneOf('a type', NUMERIC) as NumericType;
      let init: Expr | undefined;
      if (isOp('=')) {
        p++;
        init = expr();
      }
      const unit = optUnit();
      const storage = optStorage();
      state.push({
        name: n,
        type,
        ...(init ? { init } : {}),
        ...(unit !== undefined ? { unit } : {}),
        ...(storage ? { storage } : {}),
      });
    } else if (!isAssign && (kw === 'input' || kw === 'output')) {
      p++;
      const n = ident(`an ${kw} name`);
      expectOp(':');
      const payload = ident('a payload type') as PayloadType;
      const type =
        peek().kind === 'ident' && NUMERIC.includes(peek().text) ? (next().text as NumericType) : 'f32';
      const extent = kw === 'input' ? optExtent() : undefined;
      const unit = optUnit();
      const storage = optStorage();
      const decl = {
        name: n,
        payload,
        type,
        ...(extent ? { extent } : {}),
        ...(unit !== undefined ? { unit } : {}),
        ...(storage ? { storage } : {}),
      };
      if (kw === 'input') inputs.push(decl);
      else outputs.push(decl);
    } else if (!isAssign && kw === 'doc') {
      p++;
      const parts: string[] = [];
      while (peek().kind !== 'nl' && peek().kind !== 'eof') parts.push(next().text);
      doc = parts.join(' ');
    } else if (!isAssign && kw === 'let') {
      p++;
      const n = ident('a local name');
      expectOp('=');
      body.push({ kind: 'let', name: n, value: expr() });
    } else if (isAssign) {
      p += 2;
      body.push({ kind: 'assign', target: kw, value: expr() });
    } else {
      fail('expected a declaration (module, param, state, input, output) or a statement (let x = …, x = …)');
    }
    if (body.length + params.length + state.length > 5_000) fail('too many lines');
    endOfLine();
  }
  if (name === undefined) throw new ParseError('missing "module NAME" line', 1, 1);
  return {
    name,
    ...(domain ? { domain } : {}),
    params,
    state,
    inputs,
    outputs,
    body,
    ...(doc !== undefined ? { doc } : {}),
  };
}
