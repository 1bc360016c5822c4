/**
 * Validation and elaboration of a {@link ModuleDefinition} into its typed form
 * ({@link CheckedDefinition}).
 *
 * Every problem is reported with a path (`body[3].value.right: unknown symbol "tua"`) and all
 * problems of a definition are collected before {@link DefinitionError} is thrown. Checks: well-formed
 * identifiers, duplicate names, unknown symbols, use of a local or output before it is assigned,
 * assignment to something other than a state variable or output, scalar type mismatches (no implicit
 * conversions except for literals), unit mismatches, division by a constant or parameter that may be
 * zero, non-finite literals, outputs never assigned, random draws in state initialisers.
 *
 * @module
 */

import { type Issue, isPayloadType } from '@spark-snn/core';
import {
  CAST_FUNCTIONS,
  type CastFunction,
  type Domain,
  type Expr,
  type Extent,
  IDENTIFIER_RE,
  type InputDecl,
  MATH_FUNCTIONS,
  type MathFunction,
  type ModuleDefinition,
  type NumericType,
  type OutputDecl,
  RANDOM_FUNCTIONS,
  type RandomFunction,
  RESERVED_WORDS,
  type ScalarType,
  type StorageType,
  VALIDATORS,
} from './ast.ts';
import {
  type CheckedDefinition,
  defaultStorage,
  isParamOnly,
  type TExpr,
  type TInput,
  type TOutput,
  type TParam,
  type TState,
  type TStmt,
} from './ir.ts';
import {
  DIMENSIONLESS,
  formatUnit,
  isDimensionless,
  parseUnit,
  type Unit,
  unitDiv,
  unitEquals,
  unitMul,
  unitPow,
} from './units.ts';

/**
 * Kind of a {@link DefinitionIssue}: the definition itself is invalid (`definition`), or its
 * parameters disagree with the config schema they are bound to (`schema`).
 */
export type DefinitionIssueCode = 'definition' | 'schema';

/**
 * One problem found in a definition: `@spark-snn/core`'s {@link Issue}, always an error, its path
 * inside the definition (e.g. `body[2].value.left`).
 */
export interface DefinitionIssue extends Issue<DefinitionIssueCode> {
  readonly severity: 'error';
}

/** A {@link DefinitionIssue} at `path`. */
export function definitionIssue(
  path: string,
  message: string,
  code: DefinitionIssueCode = 'definition',
): DefinitionIssue {
  return { path, code, message, severity: 'error' };
}

/** Thrown when a definition is invalid; `issues` lists every problem found. */
export class DefinitionError extends Error {
  readonly issues: readonly DefinitionIssue[];
  constructor(name: string, issues: readonly DefinitionIssue[]) {
    super(`invalid definition "${name}":\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'DefinitionError';
    this.issues = issues;
  }
}

/** Largest number of nodes an expression may have, and its largest depth. */
export const MAX_EXPR_NODES = 10_000;
/** Largest nesting depth of an expression. */
export const MAX_EXPR_DEPTH = 64;
/** Largest number of statements in a body. */
export const MAX_STATEMENTS = 1_000;

type Sym =
  | {
      kind: 'param';
      type: NumericType;
      extent: Extent;
      unit: Unit | null;
      unitText: string | undefined;
      validators: readonly string[];
    }
  | { kind: 'state'; type: NumericType; unit: Unit | null; unitText: string | undefined }
  | { kind: 'input'; type: NumericType; extent: Extent; unit: Unit | null; unitText: string | undefined }
  | { kind: 'output'; type: NumericType; unit: Unit | null; unitText: string | undefined }
  | { kind: 'local'; type: ScalarType; unit: Unit | null };

/** Result of elaborating one expression: typed node, unit (null = unchecked), literal-ness. */
interface Elab {
  e: TExpr;
  /** `'abstract'` for a literal-only subtree whose type is not fixed yet. */
  ty: ScalarType | 'abstract';
  unit: Unit | null;
}

type Sign = 'pos' | 'neg' | 'nonneg' | 'nonpos' | 'nonzero' | 'zero' | 'any';

const NUMERIC: readonly string[] = ['f32', 'i32', 'u32'];
const STORAGES: readonly string[] = ['float32', 'float16', 'int32', 'uint32'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Validates `def` and returns its typed form; throws {@link DefinitionError} listing every problem. */
export function checkDefinition(def: ModuleDefinition): CheckedDefinition {
  const issues: DefinitionIssue[] = [];
  const err = (path: string, message: string): void => {
    issues.push(definitionIssue(path, message));
  };
  if (!isRecord(def)) throw new DefinitionError('?', [definitionIssue('', 'a definition must be an object')]);
  const name = typeof def.name === 'string' ? def.name : '?';
  if (!IDENTIFIER_RE.test(name)) err('name', `invalid module name ${JSON.stringify(def.name)}`);
  const domain: Domain = def.domain ?? 'unit';
  if (domain !== 'unit' && domain !== 'synapse')
    err('domain', `unknown domain ${JSON.stringify(def.domain)}; expected "unit" or "synapse"`);
  for (const key of ['params', 'state', 'inputs', 'outputs', 'body'] as const) {
    if (!Array.isArray(def[key])) {
      err(key, 'must be an array');
    }
  }
  if (issues.length > 0) throw new DefinitionError(name, issues);
  if (def.body.length > MAX_STATEMENTS)
    err('body', `too many statements (${def.body.length} > ${MAX_STATEMENTS})`);

  const symbols = new Map<string, Sym>();
  const declare = (path: string, n: unknown, sym: Sym): void => {
    if (typeof n !== 'string' || !IDENTIFIER_RE.test(n)) {
      err(
        `${path}.name`,
        `invalid identifier ${JSON.stringify(n)} (letters, digits and _, starting with a letter or _, at most 64)`,
      );
      return;
    }
    if (RESERVED_WORDS.has(n)) {
      err(`${path}.name`, `"${n}" is a reserved word`);
      return;
    }
    if (symbols.has(n)) {
      err(`${path}.name`, `duplicate name "${n}"`);
      return;
    }
    symbols.set(n, sym);
  };
  const unitOf = (path: string, text: unknown): Unit | null => {
    if (text === undefined) return null;
    if (typeof text !== 'string') {
      err(path, 'unit must be a string');
      return null;
    }
    const u = parseUnit(text);
    if (u === undefined) {
      err(path, `unknown unit "${text}"`);
      return null;
    }
    return u;
  };
  const numericType = (path: string, t: unknown): NumericType => {
    if (typeof t === 'string' && NUMERIC.includes(t)) return t as NumericType;
    err(path, `unknown type ${JSON.stringify(t)}; expected f32, i32 or u32`);
    return 'f32';
  };
  const extentOf = (path: string, x: unknown, dflt: Extent, allowScalar: boolean): Extent => {
    const e = x ?? dflt;
    const allowed: string[] = domain === 'unit' ? ['scalar', 'unit'] : ['scalar', 'unit', 'synapse', 'pre'];
    if (!allowScalar) allowed.shift();
    if (typeof e !== 'string' || !allowed.includes(e)) {
      err(
        path,
        `extent ${JSON.stringify(e)} not allowed in the ${domain} domain; expected ${allowed.join(', ')}`,
      );
      return dflt;
    }
    return e as Extent;
  };
  const storageOf = (path: string, s: unknown, t: NumericType): StorageType => {
    if (s === undefined) return defaultStorage(t);
    if (typeof s !== 'string' || !STORAGES.includes(s)) {
      err(path, `unknown storage ${JSON.stringify(s)}`);
      return defaultStorage(t);
    }
    const st = s as StorageType;
    const ok = t === 'f32' ? st === 'float32' || st === 'float16' : st === defaultStorage(t);
    if (!ok) err(path, `storage ${st} does not hold type ${t}`);
    return st;
  };
  /** Checks each declaration of `list` that is an object (`check(d, 'inputs[2]')`); reports the others. */
  const eachDecl = <T>(list: readonly T[], key: string, check: (d: T, path: string) => void): void => {
    for (const [i, d] of list.entries()) {
      const path = `${key}[${i}]`;
      if (isRecord(d)) check(d, path);
      else err(path, 'must be an object');
    }
  };
  /** A port's type, once its payload is checked (inputs and outputs alike). */
  const portType = (path: string, p: InputDecl | OutputDecl): NumericType => {
    if (!isPayloadType(p.payload))
      err(`${path}.payload`, `unknown payload type ${JSON.stringify(p.payload)}`);
    return numericType(`${path}.type`, p.type);
  };

  const params: TParam[] = [];
  eachDecl(def.params, 'params', (p, path) => {
    const type = numericType(`${path}.type`, p.type);
    const extent = extentOf(`${path}.extent`, p.extent, 'scalar', true);
    const unit = unitOf(`${path}.unit`, p.unit);
    const validators = Array.isArray(p.validators) ? p.validators : [];
    for (const [j, v] of validators.entries()) {
      if (!VALIDATORS.includes(v)) err(`${path}.validators[${j}]`, `unknown validator ${JSON.stringify(v)}`);
    }
    if (p.default === undefined) {
      err(
        `${path}.default`,
        `parameter "${String(p.name)}" has no default (bind the definition to its config schema with bindSchema, or give one)`,
      );
    } else if (typeof p.default !== 'number' || !Number.isFinite(p.default)) {
      err(`${path}.default`, `default must be a finite number, got ${String(p.default)}`);
    } else {
      const msg = paramValueProblem(p.default, type, validators);
      if (msg !== undefined) err(`${path}.default`, msg);
    }
    declare(path, p.name, { kind: 'param', type, extent, unit, unitText: p.unit, validators });
    params.push({ name: p.name, type, extent, default: p.default ?? 0, validators, unit: p.unit });
  });
  const stateDecls: {
    name: string;
    type: NumericType;
    storage: StorageType;
    unit: Unit | null;
    unitText: string | undefined;
    init: Expr | undefined;
    path: string;
  }[] = [];
  eachDecl(def.state, 'state', (s, path) => {
    const type = numericType(`${path}.type`, s.type);
    const unit = unitOf(`${path}.unit`, s.unit);
    declare(path, s.name, { kind: 'state', type, unit, unitText: s.unit });
    stateDecls.push({
      name: s.name,
      type,
      storage: storageOf(`${path}.storage`, s.storage, type),
      unit,
      unitText: s.unit,
      init: s.init,
      path,
    });
  });
  const inputs: TInput[] = [];
  eachDecl(def.inputs, 'inputs', (p, path) => {
    const type = portType(path, p);
    const extent = extentOf(`${path}.extent`, p.extent, domain === 'unit' ? 'unit' : 'synapse', true);
    const unit = unitOf(`${path}.unit`, p.unit);
    declare(path, p.name, { kind: 'input', type, extent, unit, unitText: p.unit });
    inputs.push({
      name: p.name,
      type,
      extent,
      storage: storageOf(`${path}.storage`, p.storage, type),
      payload: p.payload,
      unit: p.unit,
    });
  });
  const outputs: TOutput[] = [];
  eachDecl(def.outputs, 'outputs', (p, path) => {
    const type = portType(path, p);
    const unit = unitOf(`${path}.unit`, p.unit);
    declare(path, p.name, { kind: 'output', type, unit, unitText: p.unit });
    outputs.push({
      name: p.name,
      type,
      storage: storageOf(`${path}.storage`, p.storage, type),
      payload: p.payload,
      unit: p.unit,
    });
  });

  // ---- expressions -------------------------------------------------------------------------
  let randomSites = 0;
  let nodes = 0;
  /** Symbols currently readable in the body (locals and outputs once assigned). */
  const assigned = new Set<string>();
  let inInit = false;

  const unitText = (u: Unit | null): string => (u === null ? '?' : formatUnit(u));
  const sameUnit = (path: string, what: string, a: Unit | null, b: Unit | null): Unit | null => {
    if (a === null) return b;
    if (b === null) return a;
    if (!unitEquals(a, b)) err(path, `unit mismatch in ${what}: ${unitText(a)} vs ${unitText(b)}`);
    return a;
  };
  /** Unifies two operand types; literals adopt the other side's type. */
  const unify = (path: string, what: string, a: Elab, b: Elab): ScalarType | 'abstract' => {
    if (a.ty === 'abstract') return b.ty;
    if (b.ty === 'abstract') return a.ty;
    if (a.ty !== b.ty)
      err(
        path,
        `type mismatch in ${what}: ${a.ty} vs ${b.ty} (convert explicitly with f32(), i32() or u32())`,
      );
    return a.ty;
  };
  /** Fixes the type of a literal subtree. */
  const settle = (path: string, x: Elab, ty: ScalarType | 'abstract'): TExpr => {
    if (x.ty !== 'abstract') return x.e;
    const t: ScalarType = ty === 'abstract' ? 'f32' : ty;
    if (x.e.k !== 'const') return x.e;
    const v = x.e.value;
    if ((t === 'i32' || t === 'u32') && !Number.isInteger(v))
      err(path, `literal ${v} is not an integer but is used as ${t}`);
    if (t === 'u32' && v < 0) err(path, `negative literal ${v} used as u32`);
    if (t === 'bool') err(path, `number ${v} used as bool`);
    return {
      k: 'const',
      ty: t,
      value: t === 'f32' ? (Math.fround(v) === v || !Number.isFinite(v) ? v : v) : v,
    };
  };
  const concrete = (x: Elab): ScalarType => (x.ty === 'abstract' ? 'f32' : x.ty);

  const signOf = (e: TExpr): Sign => {
    switch (e.k) {
      case 'const':
        return e.value > 0 ? 'pos' : e.value < 0 ? 'neg' : 'zero';
      case 'dt':
        return 'pos';
      case 'param': {
        const sym = symbols.get(e.name);
        const v = sym?.kind === 'param' ? sym.validators : [];
        if (v.includes('positive')) return 'pos';
        if (v.includes('negative')) return 'neg';
        if (v.includes('nonzero')) return 'nonzero';
        if (v.includes('nonnegative') || v.includes('zero_one') || v.includes('binary')) return 'nonneg';
        return 'any';
      }
      case 'unary':
        if (e.op === '-') {
          const s = signOf(e.a);
          return (
            {
              pos: 'neg',
              neg: 'pos',
              nonneg: 'nonpos',
              nonpos: 'nonneg',
              nonzero: 'nonzero',
              zero: 'zero',
              any: 'any',
            } as const
          )[s];
        }
        return 'any';
      case 'binary': {
        const a = signOf(e.a);
        const b = signOf(e.b);
        if (e.op === '*' || e.op === '/') {
          if (a === 'zero' || b === 'zero') return 'zero';
          const nz = (s: Sign): boolean => s === 'pos' || s === 'neg' || s === 'nonzero';
          if (!nz(a) || !nz(b)) return 'any';
          if (a === 'nonzero' || b === 'nonzero') return 'nonzero';
          return a === b ? 'pos' : 'neg';
        }
        if (e.op === '+') {
          if (a === 'pos' && (b === 'pos' || b === 'nonneg' || b === 'zero')) return 'pos';
          if (b === 'pos' && (a === 'nonneg' || a === 'zero')) return 'pos';
          if (a === 'neg' && (b === 'neg' || b === 'nonpos' || b === 'zero')) return 'neg';
          if (b === 'neg' && (a === 'nonpos' || a === 'zero')) return 'neg';
          return 'any';
        }
        return 'any';
      }
      case 'math':
        if (e.fn === 'exp') return 'pos';
        if (e.fn === 'abs')
          return signOf(e.args[0] as TExpr) === 'pos' ||
            signOf(e.args[0] as TExpr) === 'neg' ||
            signOf(e.args[0] as TExpr) === 'nonzero'
            ? 'pos'
            : 'nonneg';
        return 'any';
      default:
        return 'any';
    }
  };

  const elab = (x: Expr, path: string, depth: number): Elab => {
    nodes++;
    const fail = (message: string): Elab => {
      err(path, message);
      return { e: { k: 'const', ty: 'f32', value: 0 }, ty: 'f32', unit: null };
    };
    if (nodes > MAX_EXPR_NODES) return fail(`expression too large (more than ${MAX_EXPR_NODES} nodes)`);
    if (depth > MAX_EXPR_DEPTH)
      return fail(`expression nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`);
    if (!isRecord(x)) return fail('expression must be an object');
    switch (x.kind) {
      case 'num':
        if (typeof x.value !== 'number' || !Number.isFinite(x.value))
          return fail(`literal must be a finite number, got ${String(x.value)}`);
        return { e: { k: 'const', ty: 'f32', value: x.value }, ty: 'abstract', unit: null };
      case 'bool':
        if (typeof x.value !== 'boolean') return fail('bool literal must be true or false');
        return { e: { k: 'const', ty: 'bool', value: x.value ? 1 : 0 }, ty: 'bool', unit: null };
      case 'ref': {
        if (x.name === 'dt') return { e: { k: 'dt', ty: 'f32' }, ty: 'f32', unit: parseUnit('ms') ?? null };
        const sym = typeof x.name === 'string' ? symbols.get(x.name) : undefined;
        if (sym === undefined) return fail(`unknown symbol ${JSON.stringify(x.name)}`);
        if (inInit && sym.kind !== 'param')
          return fail(
            `state initialisers may use only parameters, dt and constants, not ${sym.kind} "${x.name}"`,
          );
        switch (sym.kind) {
          case 'param':
            return {
              e: { k: 'param', ty: sym.type, name: x.name, extent: sym.extent },
              ty: sym.type,
              unit: sym.unit,
            };
          case 'state':
            return { e: { k: 'state', ty: sym.type, name: x.name }, ty: sym.type, unit: sym.unit };
          case 'input':
            return {
              e: { k: 'input', ty: sym.type, name: x.name, extent: sym.extent },
              ty: sym.type,
              unit: sym.unit,
            };
          case 'output':
            if (!assigned.has(x.name)) return fail(`output "${x.name}" used before assignment`);
            return { e: { k: 'output', ty: sym.type, name: x.name }, ty: sym.type, unit: sym.unit };
          case 'local':
            return { e: { k: 'local', ty: sym.type, name: x.name }, ty: sym.type, unit: sym.unit };
        }
        return fail('unreachable');
      }
      case 'unary': {
        const a = elab(x.arg, `${path}.arg`, depth + 1);
        if (x.op === '-') {
          if (a.ty === 'bool') return fail('cannot negate a bool (use !)');
          if (a.ty === 'u32') return fail('cannot negate a u32');
          if (a.ty === 'abstract' && a.e.k === 'const')
            return { e: { k: 'const', ty: 'f32', value: -a.e.value }, ty: 'abstract', unit: a.unit };
          return { e: { k: 'unary', ty: concrete(a), op: '-', a: a.e }, ty: a.ty, unit: a.unit };
        }
        if (x.op === '!') {
          if (a.ty !== 'bool') return fail(`! needs a bool, got ${a.ty === 'abstract' ? 'a number' : a.ty}`);
          return { e: { k: 'unary', ty: 'bool', op: '!', a: a.e }, ty: 'bool', unit: null };
        }
        return fail(`unknown unary operator ${JSON.stringify(x.op)}`);
      }
      case 'binary': {
        const a = elab(x.left, `${path}.left`, depth + 1);
        const b = elab(x.right, `${path}.right`, depth + 1);
        const op = x.op;
        if (op === '&&' || op === '||') {
          if (a.ty !== 'bool' || b.ty !== 'bool')
            return fail(`${op} needs bool operands, got ${a.ty} and ${b.ty}`);
          return { e: { k: 'binary', ty: 'bool', op, a: a.e, b: b.e }, ty: 'bool', unit: null };
        }
        const arith = op === '+' || op === '-' || op === '*' || op === '/' || op === '%';
        const cmp = op === '<' || op === '<=' || op === '>' || op === '>=' || op === '==' || op === '!=';
        if (!arith && !cmp) return fail(`unknown binary operator ${JSON.stringify(op)}`);
        if ((a.ty === 'bool' || b.ty === 'bool') && !(op === '==' || op === '!=')) {
          return fail(`operator ${op} does not apply to bool (convert with f32())`);
        }
        const ty = unify(path, `"${op}"`, a, b);
        // Fold literal-only arithmetic.
        if (a.ty === 'abstract' && b.ty === 'abstract' && a.e.k === 'const' && b.e.k === 'const') {
          const av = a.e.value;
          const bv = b.e.value;
          if ((op === '/' || op === '%') && bv === 0) return fail('division by zero');
          const v =
            op === '+'
              ? av + bv
              : op === '-'
                ? av - bv
                : op === '*'
                  ? av * bv
                  : op === '/'
                    ? av / bv
                    : op === '%'
                      ? av % bv
                      : Number.NaN;
          if (arith) return { e: { k: 'const', ty: 'f32', value: v }, ty: 'abstract', unit: null };
        }
        let unit: Unit | null;
        if (op === '*')
          unit = a.unit === null || b.unit === null ? (a.unit ?? b.unit) : unitMul(a.unit, b.unit);
        else if (op === '/') unit = b.unit === null ? a.unit : unitDiv(a.unit ?? DIMENSIONLESS, b.unit);
        else unit = sameUnit(path, `"${op}"`, a.unit, b.unit);
        if (b.ty === 'abstract' && a.ty === 'abstract') unit = null;
        const t: ScalarType = ty === 'abstract' ? 'f32' : ty;
        const ae = settle(`${path}.left`, a, t);
        const be = settle(`${path}.right`, b, t);
        if (op === '/' || op === '%') {
          if (isParamOnly(be)) {
            const s = signOf(be);
            if (s === 'zero') err(path, 'division by zero');
            else if (s === 'any' || s === 'nonneg' || s === 'nonpos') {
              err(
                `${path}.right`,
                'division by a constant that may be zero' +
                  (be.k === 'param'
                    ? `: give parameter "${be.name}" a validator positive, negative or nonzero`
                    : ''),
              );
            }
          }
        }
        if (cmp) return { e: { k: 'binary', ty: 'bool', op, a: ae, b: be }, ty: 'bool', unit: null };
        return { e: { k: 'binary', ty: t, op, a: ae, b: be }, ty: t, unit };
      }
      case 'select': {
        const c = elab(x.cond, `${path}.cond`, depth + 1);
        if (c.ty !== 'bool')
          err(`${path}.cond`, `condition must be a bool, got ${c.ty === 'abstract' ? 'a number' : c.ty}`);
        const t = elab(x.then, `${path}.then`, depth + 1);
        const e = elab(x.else, `${path}.else`, depth + 1);
        const ty = unify(path, 'the branches of ?:', t, e);
        const unit = sameUnit(path, 'the branches of ?:', t.unit, e.unit);
        const tt: ScalarType = ty === 'abstract' ? 'f32' : ty;
        return {
          e: {
            k: 'select',
            ty: tt,
            c: c.e,
            t: settle(`${path}.then`, t, tt),
            e: settle(`${path}.else`, e, tt),
          },
          ty: tt,
          unit,
        };
      }
      case 'call': {
        const fn = x.fn;
        if (!Array.isArray(x.args)) return fail('call arguments must be an array');
        const args = x.args.map((a, i) => elab(a, `${path}.args[${i}]`, depth + 1));
        const arity = (n: number): boolean => {
          if (args.length !== n) {
            err(path, `${fn}() takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`);
            return false;
          }
          return true;
        };
        if ((CAST_FUNCTIONS as readonly string[]).includes(fn)) {
          if (!arity(1)) return fail('bad call');
          const a = args[0] as Elab;
          const to = fn as CastFunction;
          const e = settle(`${path}.args[0]`, a, a.ty === 'abstract' ? to : a.ty);
          return { e: { k: 'cast', ty: to, fn: to, a: e }, ty: to, unit: a.ty === 'bool' ? null : a.unit };
        }
        if ((RANDOM_FUNCTIONS as readonly string[]).includes(fn)) {
          if (inInit) return fail('random draws are not allowed in state initialisers');
          const dist = fn as RandomFunction;
          if (dist === 'bernoulli') {
            if (!arity(1)) return fail('bad call');
            const p = args[0] as Elab;
            if (p.ty !== 'f32' && p.ty !== 'abstract')
              err(`${path}.args[0]`, `bernoulli(p) needs an f32 probability, got ${p.ty}`);
            if (p.unit !== null && !isDimensionless(p.unit))
              err(
                `${path}.args[0]`,
                `bernoulli(p) needs a dimensionless probability, got ${unitText(p.unit)}`,
              );
            return {
              e: {
                k: 'rand',
                ty: 'bool',
                dist,
                site: randomSites++,
                args: [settle(`${path}.args[0]`, p, 'f32')],
              },
              ty: 'bool',
              unit: null,
            };
          }
          if (!arity(0)) return fail('bad call');
          return {
            e: { k: 'rand', ty: 'f32', dist, site: randomSites++, args: [] },
            ty: 'f32',
            unit: DIMENSIONLESS,
          };
        }
        if (!(MATH_FUNCTIONS as readonly string[]).includes(fn))
          return fail(`unknown function ${JSON.stringify(fn)}`);
        const m = fn as MathFunction;
        const floatOnly = ['exp', 'log', 'sqrt', 'pow', 'tanh', 'sin', 'cos', 'floor', 'ceil', 'round'];
        const nargs = m === 'pow' || m === 'min' || m === 'max' ? 2 : m === 'clamp' ? 3 : 1;
        if (!arity(nargs)) return fail('bad call');
        let ty: ScalarType | 'abstract' = 'abstract';
        for (const a of args) ty = unify(path, `${m}()`, { e: a.e, ty, unit: null }, a);
        if (ty === 'bool') return fail(`${m}() does not take bool arguments`);
        if (floatOnly.includes(m) && ty !== 'abstract' && ty !== 'f32')
          return fail(`${m}() needs f32 arguments, got ${ty}`);
        if (m === 'sign' && ty === 'u32') return fail('sign() does not take u32');
        const t: ScalarType = ty === 'abstract' ? 'f32' : ty;
        const targs = args.map((a, i) => settle(`${path}.args[${i}]`, a, t));
        let unit: Unit | null = null;
        const a0 = args[0] as Elab;
        if (m === 'exp' || m === 'log' || m === 'tanh' || m === 'sin' || m === 'cos') {
          if (a0.unit !== null && !isDimensionless(a0.unit))
            err(`${path}.args[0]`, `${m}() needs a dimensionless argument, got ${unitText(a0.unit)}`);
          unit = DIMENSIONLESS;
        } else if (m === 'sqrt') {
          unit = a0.unit === null ? null : (unitPow(a0.unit, 0.5) ?? null);
          if (a0.unit !== null && unit === null)
            err(`${path}.args[0]`, `sqrt() of ${unitText(a0.unit)} has no integral unit`);
        } else if (m === 'pow') {
          const p = targs[1] as TExpr;
          if (a0.unit === null || isDimensionless(a0.unit)) unit = a0.unit;
          else if (p.k === 'const') {
            unit = unitPow(a0.unit, p.value) ?? null;
            if (unit === null) err(path, `pow() of ${unitText(a0.unit)} to ${p.value} has no integral unit`);
          } else err(path, `pow() of a quantity with unit ${unitText(a0.unit)} needs a literal exponent`);
          const u1 = (args[1] as Elab).unit;
          if (u1 !== null && !isDimensionless(u1))
            err(`${path}.args[1]`, 'the exponent of pow() must be dimensionless');
        } else if (m === 'sign') {
          unit = DIMENSIONLESS;
        } else if (m === 'min' || m === 'max' || m === 'clamp') {
          unit = args.reduce<Unit | null>((u, a) => sameUnit(path, `${m}()`, u, a.unit), null);
        } else {
          unit = a0.unit;
        }
        if (args.every((a) => a.ty === 'abstract')) {
          // Literal-only call: keep it abstract but typed f32 (folded later by the hoister).
          return { e: { k: 'math', ty: 'f32', fn: m, args: targs }, ty: 'f32', unit };
        }
        return { e: { k: 'math', ty: t, fn: m, args: targs }, ty: t, unit };
      }
      default:
        return fail(`unknown expression kind ${JSON.stringify((x as unknown as { kind?: unknown }).kind)}`);
    }
  };

  // ---- state initialisers -----------------------------------------------------------------
  inInit = true;
  const state: TState[] = stateDecls.map((s) => {
    let init: TExpr = { k: 'const', ty: s.type, value: 0 };
    if (s.init !== undefined) {
      const x = elab(s.init, `${s.path}.init`, 0);
      if (x.ty === 'bool') err(`${s.path}.init`, 'initial value must be a number');
      else if (x.ty !== 'abstract' && x.ty !== s.type)
        err(`${s.path}.init`, `type mismatch: ${x.ty} initial value for ${s.type} state`);
      if (x.unit !== null && s.unit !== null && !unitEquals(x.unit, s.unit))
        err(`${s.path}.init`, `unit mismatch: ${unitText(x.unit)} vs ${unitText(s.unit)}`);
      init = settle(`${s.path}.init`, x, s.type);
    }
    return { name: s.name, type: s.type, storage: s.storage, init, unit: s.unitText };
  });
  inInit = false;

  // ---- body ---------------------------------------------------------------------------------
  const body: TStmt[] = [];
  for (const [i, st] of def.body.entries()) {
    const path = `body[${i}]`;
    if (!isRecord(st)) {
      err(path, 'statement must be an object');
      continue;
    }
    if (st.kind === 'let') {
      const x = elab(st.value, `${path}.value`, 0);
      const ty: ScalarType = x.ty === 'abstract' ? 'f32' : x.ty;
      const value = settle(`${path}.value`, x, ty);
      const before = issues.length;
      declare(path, st.name, { kind: 'local', type: ty, unit: x.unit });
      if (issues.length === before) {
        assigned.add(st.name);
        body.push({ k: 'let', name: st.name, value });
      }
      continue;
    }
    if (st.kind === 'assign') {
      const sym = typeof st.target === 'string' ? symbols.get(st.target) : undefined;
      const x = elab(st.value, `${path}.value`, 0);
      if (sym === undefined) {
        err(`${path}.target`, `unknown symbol ${JSON.stringify(st.target)}`);
        continue;
      }
      if (sym.kind !== 'state' && sym.kind !== 'output') {
        err(
          `${path}.target`,
          `cannot assign to ${sym.kind} "${st.target}" (only state variables and outputs)`,
        );
        continue;
      }
      if (x.ty === 'bool')
        err(
          `${path}.value`,
          `cannot store a bool in ${sym.type} ${sym.kind} "${st.target}" (use ${sym.type}(…))`,
        );
      else if (x.ty !== 'abstract' && x.ty !== sym.type)
        err(
          `${path}.value`,
          `type mismatch: ${x.ty} value assigned to ${sym.type} ${sym.kind} "${st.target}"`,
        );
      if (x.unit !== null && sym.unit !== null && !unitEquals(x.unit, sym.unit)) {
        err(
          `${path}.value`,
          `unit mismatch: ${unitText(x.unit)} assigned to "${st.target}" [${sym.unitText}] (${unitText(sym.unit)})`,
        );
      }
      const value = settle(`${path}.value`, x, sym.type);
      assigned.add(st.target);
      body.push({ k: 'set', target: st.target, to: sym.kind, value });
      continue;
    }
    err(path, `unknown statement kind ${JSON.stringify((st as unknown as { kind?: unknown }).kind)}`);
  }
  for (const [i, o] of outputs.entries()) {
    if (!assigned.has(o.name)) err(`outputs[${i}]`, `output "${o.name}" is never assigned`);
  }
  if (issues.length > 0) throw new DefinitionError(name, issues);
  return { source: def, name, domain, params, state, inputs, outputs, body, randomSites };
}

/** Why `value` is not acceptable for a parameter of `type` with `validators`, or `undefined`. */
export function paramValueProblem(
  value: number,
  type: NumericType,
  validators: readonly string[],
): string | undefined {
  if (Number.isNaN(value)) return 'is NaN';
  if (!Number.isFinite(value)) return `is not finite (${value})`;
  if (type !== 'f32' && !Number.isInteger(value)) return `must be an integer (${type}), got ${value}`;
  if (type === 'u32' && (value < 0 || value > 0xffffffff)) return `must be in [0, 2^32), got ${value}`;
  if (type === 'i32' && (value < -0x80000000 || value > 0x7fffffff)) return `must fit in i32, got ${value}`;
  for (const v of validators) {
    if (v === 'positive' && !(value > 0)) return `must be > 0, got ${value}`;
    if (v === 'negative' && !(value < 0)) return `must be < 0, got ${value}`;
    if (v === 'nonnegative' && !(value >= 0)) return `must be >= 0, got ${value}`;
    if (v === 'nonzero' && value === 0) return 'must be non-zero';
    if (v === 'zero_one' && !(value >= 0 && value <= 1)) return `must be in [0, 1], got ${value}`;
    if (v === 'binary' && value !== 0 && value !== 1) return `must be 0 or 1, got ${value}`;
    if (v === 'integer' && !Number.isInteger(value)) return `must be an integer, got ${value}`;
  }
  return undefined;
}
