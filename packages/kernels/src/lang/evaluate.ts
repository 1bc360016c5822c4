/**
 * The float64 interpreter, compiled: {@link evaluatorOf} turns a checked definition into a JavaScript
 * loop with exactly the semantics of `interpretStep` (every float operation in double precision, the
 * same integer wrapping, the same counter-based draws, float16 storage rounding), so it returns the
 * same bits — only without walking the expression tree and allocating per element. The host uses it
 * where the interpreter's speed matters and its results are wanted as they are: drawing initializers
 * of half a million synapses at load. The interpreter stays the oracle; tests hold the two equal.
 *
 * Differences that cannot change a result: a `let` read exactly once is evaluated where it is read
 * (a local used only in one branch of a `select` is not computed otherwise — every expression is a
 * pure function of the element, draws included); comparison callbacks (`onCompare`) are not
 * offered (use the interpreter).
 *
 * The generated source contains only identifiers of a validated definition, slot indices and
 * printed finite numbers (as the JS backend's code generator).
 *
 * @module
 */

import { boxMuller, PHILOX_ROUNDS, roundToFloat16, seedToKey, u32ToUniform } from '@spark-snn/core';
import { philoxStream } from '../codegen/philox.ts';
import type { Extent } from './ast.ts';
import type { InterpretStepArgs, ParamValue } from './interpret.ts';
import { paramsWithDefaults } from './interpret.ts';
import { type CheckedDefinition, childrenOf, type TExpr } from './ir.ts';
import { SCALAR_HELPERS } from './semantics.ts';

/** One interpreted step over every element (the arguments of `interpretStep`, without `onCompare`). */
export type Evaluator = (args: Omit<InterpretStepArgs, 'onCompare' | 'f32' | 'compiled'>) => void;

const RUNTIME = {
  philoxStream,
  ROUNDS: PHILOX_ROUNDS,
  uniformOf: u32ToUniform,
  normalOf: boxMuller,
  f16: roundToFloat16,
  ...SCALAR_HELPERS,
  seedToKey,
  paramsWithDefaults,
  slot,
};

/** A value slot: a scalar (numbers and length-1 arrays broadcast, as in the interpreter) or an array. */
function slot(v: ParamValue | undefined, what: string, length: number): ParamValue {
  if (v === undefined) throw new Error(`interpreter: no value for ${what}`);
  if (typeof v === 'number') return v;
  if (v.length === 1) return v[0] as number;
  if (v.length < length) throw new Error(`interpreter: ${what} has no element ${v.length}`);
  return v;
}

const cache = new WeakMap<CheckedDefinition, Evaluator>();

/** The compiled interpreter of a definition (cached per checked definition). */
export function evaluatorOf(def: CheckedDefinition): Evaluator {
  let e = cache.get(def);
  if (e === undefined) {
    const source = evaluatorSource(def);
    // Generated from validated identifiers, slot indices and finite literals only.
    const factory = new Function('rt', 'PARAMS', source) as (
      rt: typeof RUNTIME,
      params: CheckedDefinition['params'],
    ) => Evaluator;
    e = factory(RUNTIME, def.params);
    cache.set(def, e);
  }
  return e;
}

/** True when `e` reads a state variable or an output (values a later statement may change). */
function readsMutable(e: TExpr): boolean {
  return e.k === 'state' || e.k === 'output' || childrenOf(e).some(readsMutable);
}

function num(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`evaluator: non-finite literal ${v}`);
  return v < 0 || Object.is(v, -0) ? `(${v})` : String(v);
}

/** The source of the evaluator of `def` (exported for inspection in tests). */
export function evaluatorSource(def: CheckedDefinition): string {
  const head: string[] = [];
  const names = new Map<string, string>();
  // Value slots: v<k> is a number or an array read at an extent index.
  const slotOf = (key: string, expr: string, what: string, extent: Extent | 'element'): string => {
    let n = names.get(key);
    if (n === undefined) {
      n = `v${names.size}`;
      names.set(key, n);
      const len =
        extent === 'scalar' ? '1' : extent === 'unit' ? 'Math.ceil(nU)' : extent === 'pre' ? 'nPre' : 'size';
      head.push(`  const ${n} = slot(${expr}, ${JSON.stringify(what)}, size > 0 ? ${len} : 0);`);
      head.push(`  const ${n}s = typeof ${n} === 'number';`);
    }
    return n;
  };
  const index = (extent: Extent | 'element'): string =>
    extent === 'scalar' ? '0' : extent === 'unit' ? 'u' : extent === 'pre' ? 'q' : 'i';
  const read = (v: string, extent: Extent | 'element') => `(${v}s ? ${v} : ${v}[${index(extent)}])`;

  // Uses of each let, to inline the ones read once.
  const uses = new Map<string, number>();
  const count = (e: TExpr): void => {
    if (e.k === 'local') uses.set(e.name, (uses.get(e.name) ?? 0) + 1);
    for (const x of childrenOf(e)) count(x);
  };
  for (const s of def.body) count(s.value);

  const inlined = new Map<string, string>();
  const sites = new Set<number>();
  const assignedStates = new Set<string>();
  const toType = (ty: string, x: string) =>
    ty === 'i32' ? `((${x}) | 0)` : ty === 'u32' ? `((${x}) >>> 0)` : `(${x})`;
  const ex = (e: TExpr): string => {
    switch (e.k) {
      case 'const':
        return num(e.value);
      case 'dt':
        return 'dt';
      case 'param':
        return read(
          slotOf(`param:${e.name}`, `P[${JSON.stringify(e.name)}]`, `parameter "${e.name}"`, e.extent),
          e.extent,
        );
      case 'derived':
        throw new Error('evaluator: derived constants are a compiler artefact');
      case 'state':
        if (assignedStates.has(e.name)) return `s_${e.name}`;
        return read(
          slotOf(`state:${e.name}`, `A.state[${JSON.stringify(e.name)}]`, `state "${e.name}"`, 'element'),
          'element',
        );
      case 'output':
        return `o_${e.name}`;
      case 'local':
        return inlined.get(e.name) ?? `l_${e.name}`;
      case 'input':
        return read(
          slotOf(`input:${e.name}`, `A.inputs[${JSON.stringify(e.name)}]`, `input "${e.name}"`, e.extent),
          e.extent,
        );
      case 'unary':
        if (e.op === '!') return `(${ex(e.a)} ? 0 : 1)`;
        return toType(e.ty, `-(${ex(e.a)})`);
      case 'binary': {
        const a = ex(e.a);
        const b = ex(e.b);
        const t = e.a.ty;
        switch (e.op) {
          case '&&':
            return `(${a} ? (${b} ? 1 : 0) : 0)`;
          case '||':
            return `(${a} ? 1 : ${b} ? 1 : 0)`;
          case '+':
          case '-':
            return toType(t, `${a} ${e.op} ${b}`);
          case '*':
            return t === 'f32' ? `(${a} * ${b})` : toType(t, `Math.imul(${a}, ${b})`);
          case '/':
            return t === 'f32' ? `(${a} / ${b})` : t === 'i32' ? `idiv(${a}, ${b})` : `udiv(${a}, ${b})`;
          case '%':
            return t === 'f32' ? `(${a} % ${b})` : t === 'i32' ? `irem(${a}, ${b})` : `urem(${a}, ${b})`;
          case '==':
            return `(${a} === ${b} ? 1 : 0)`;
          case '!=':
            return `(${a} !== ${b} ? 1 : 0)`;
          default:
            return `(${a} ${e.op} ${b} ? 1 : 0)`;
        }
      }
      case 'select':
        return `(${ex(e.c)} ? ${ex(e.t)} : ${ex(e.e)})`;
      case 'cast': {
        const a = ex(e.a);
        if (e.fn === 'f32') return a;
        if (e.fn === 'i32') return e.a.ty === 'f32' ? `f2i(${a})` : `((${a}) | 0)`;
        return e.a.ty === 'f32' ? `f2u(${a})` : `((${a}) >>> 0)`;
      }
      case 'math': {
        const [a = '0', b = '0', c = '0'] = e.args.map(ex);
        switch (e.fn) {
          case 'abs':
            return toType(e.ty, `Math.abs(${a})`);
          case 'pow':
            return `(${a} ** ${b})`;
          case 'round':
            return `roundEven(${a})`;
          case 'clamp':
            return `Math.min(Math.max(${a}, ${b}), ${c})`;
          case 'sign':
            return `sign(${a})`;
          case 'min':
          case 'max':
            return `Math.${e.fn}(${a}, ${b})`;
          default:
            return `Math.${e.fn}(${a})`;
        }
      }
      case 'rand': {
        // Element i reads word i & 3 of block i >>> 2 (core's CounterRng layout): word i of the
        // site's stream, drawn in bulk before the loop (`philoxStream`).
        sites.add(e.site);
        const X = `X${e.site}`;
        if (e.dist === 'uniform') return `uniformOf(${X}[i])`;
        if (e.dist === 'normal') return `normalOf(${X}[i & ~1], ${X}[i | 1], i & 1)`;
        return `(uniformOf(${X}[i]) < ${ex(e.args[0] as TExpr)} ? 1 : 0)`;
      }
    }
  };

  const body: string[] = [];
  const outputsSet = new Set<string>();
  for (const st of def.body) {
    const v = ex(st.value);
    if (st.k === 'let') {
      // Inlined where read (or dropped when unread): only expressions of values that cannot change
      // between here and the read (no state or output reads).
      if ((uses.get(st.name) ?? 0) <= 1 && !readsMutable(st.value)) inlined.set(st.name, `(${v})`);
      else body.push(`      const l_${st.name} = ${v};`);
    } else if (st.to === 'state') {
      body.push(`      ${assignedStates.has(st.target) ? '' : 'let '}s_${st.target} = ${v};`);
      assignedStates.add(st.target);
    } else {
      body.push(`      ${outputsSet.has(st.target) ? '' : 'let '}o_${st.target} = ${v};`);
      outputsSet.add(st.target);
    }
  }
  const stores: string[] = [];
  const store = (storage: string, v: string) => (storage === 'float16' ? `f16(${v})` : v);
  for (const s of def.state) {
    if (!assignedStates.has(s.name)) continue;
    const arr = `S_${s.name}`;
    head.push(`  const ${arr} = A.state[${JSON.stringify(s.name)}];`);
    stores.push(`      ${arr}[i] = ${store(s.storage, `s_${s.name}`)};`);
  }
  for (const o of def.outputs) {
    const arr = `O_${o.name}`;
    head.push(
      `  const ${arr} = A.outputs[${JSON.stringify(o.name)}];`,
      `  if (${arr} === undefined) throw new Error(${JSON.stringify(`interpreter: no array for output "${o.name}"`)});`,
    );
    stores.push(`      ${arr}[i] = ${store(o.storage, outputsSet.has(o.name) ? `o_${o.name}` : '0')};`);
  }
  const rng = def.randomSites > 0;
  return [
    '"use strict";',
    'const { philoxStream, ROUNDS, uniformOf, normalOf, f16, roundEven, sign, idiv, udiv, irem, urem, f2i, f2u, seedToKey, paramsWithDefaults, slot } = rt;',
    'return function evaluate(A) {',
    '  const size = A.size, nPre = A.nPre ?? 1, nU = size / nPre, dt = A.dt;',
    '  const P = paramsWithDefaults(PARAMS, A.params);',
    rng
      ? '  const key = seedToKey(A.seed ?? 0), k0 = key[0], k1 = key[1], step = A.step >>> 0, streamBase = A.streamBase ?? 0;'
      : '',
    ...[...sites].map(
      (k) =>
        `  const X${k} = philoxStream((size + 3) >>> 2, step, (streamBase + ${k}) >>> 0, 0, k0, k1, ROUNDS);`,
    ),
    ...head,
    // Element i, its unit u = floor(i / nPre) and presynaptic index q = i mod nPre.
    '  for (let i = 0, u = 0, q = 0; i < size; i++) {',
    ...body,
    ...stores,
    '    if (++q === nPre) {',
    '      q = 0;',
    '      u++;',
    '    }',
    '  }',
    '};',
  ].join('\n');
}
