// Every library module with equations as a plan fragment with inputs, for the backend case table
// (backend-cases.ts): each backend against the cpu on the same inputs. All three compute in float32,
// so they agree bit for bit — except where a module evaluates a transcendental function (exp, log,
// pow, sin, cos, tanh) every step: WGSL and GLSL do not promise a correctly rounded exp (WGSL: 3 + 2·|x|
// ulp), the cpu uses Math's rounded to float32, and the exponential somas' exp((v − v_T)/Δ_T)
// amplifies that last-bit difference (4.6e-5 relative observed on SwiftShader).
import { compileDefinition } from '../../src/lang/compile.ts';
import type { TExpr } from '../../src/lang/ir.ts';
import { CORRECTED, SPARK_COMPAT, type SparkCompat } from '../../src/library/compat.ts';
import type { Fragment } from '../../src/library/fragment.ts';
import { sparkModule } from '../../src/library/registry.ts';
import type { StepInputs } from '../../src/library/testing.ts';
import type { ModuleOpAttrs } from '../../src/ops.ts';
import { PLASTICITY_NAMES } from '../../src/plasticity/build.ts';

/** Steps of every fragment run. */
export const FRAGMENT_STEPS = 120;

/** Deterministic pseudo-random rows in [lo, hi) (a small LCG; no RNG state shared with the module). */
function rowsOf(n: number, lo: number, hi: number, seed: number, spikes = false): number[][] {
  let x = seed >>> 0;
  const next = (): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  return Array.from({ length: FRAGMENT_STEPS }, () =>
    Array.from({ length: n }, () => (spikes ? (next() < 0.2 ? 1 : 0) : lo + (hi - lo) * next())),
  );
}

/** A library module's fragment, its inputs and how its recorded buffers must agree with the cpu. */
export interface FragmentCase {
  id: string;
  fragment: Fragment;
  inputs: StepInputs;
  /** Recorded buffers compared exactly (spikes) and with a tolerance (continuous). */
  exact: string[];
  close: string[];
}

/** The fragment cases of every library module with equations, in one compatibility mode. */
export function fragmentCases(compat: SparkCompat): FragmentCase[] {
  const out: FragmentCase[] = [];
  const somaCurrent: Record<string, [number, number]> = {
    leaky_soma: [0, 400],
    refractory_leaky_soma: [0, 400],
    strict_refractory_leaky_soma: [0, 400],
    adaptive_leaky_soma: [0, 600],
    exponential_soma: [0, 60],
    refractory_exponential_soma: [0, 60],
    adaptive_exponential_soma: [0, 80],
    simplified_adaptive_exponential_soma: [0, 60],
    izhikevich_soma: [0, 10],
  };
  for (const [name, [lo, hi]] of Object.entries(somaCurrent)) {
    const f = sparkModule(name).build({
      prefix: 's',
      dt: 1,
      config: name === 'izhikevich_soma' ? { resistance: 1 } : {},
      units: 6,
      compat,
    });
    out.push({
      id: name,
      fragment: f,
      inputs: { 's.current': rowsOf(6, lo, hi, 1) },
      exact: ['s.spikes'],
      close: ['s.potential'],
    });
  }
  for (const name of ['linear_synapses', 'traced_synapses', 'rd_traced_synapses', 'rfs_traced_synapses']) {
    for (const async of [false, true]) {
      const f = sparkModule(name).build({
        prefix: 'y',
        dt: 1,
        config: { seed: 3 },
        units: 4,
        pre: 5,
        async,
        compat,
      });
      out.push({
        id: `${name}${async ? ' (async)' : ''}`,
        fragment: f,
        inputs: { 'y.spikes': rowsOf(async ? 20 : 5, 0, 1, 2, true) },
        exact: [],
        close: ['y.currents'],
      });
    }
  }
  for (const name of PLASTICITY_NAMES) {
    for (const async of [false, true]) {
      const f = sparkModule(name).build({
        prefix: 'r',
        dt: 1,
        config: {},
        units: 4,
        pre: 5,
        async,
        compat,
        initialKernel: Array.from({ length: 20 }, (_, k) => 0.1 + (k % 7) * 0.1),
        inhibitionPre: [0, 0, 0, 1, 1],
        inhibitionPost: [0, 0, 1, 1],
      });
      const inputs: Record<string, number[][]> = {
        'r.pre_spikes': rowsOf(async ? 20 : 5, 0, 1, 4, true),
        'r.post_spikes': rowsOf(4, 0, 1, 5, true),
      };
      if (f.inputs.reward !== undefined) inputs['r.reward'] = [[0.5]];
      if (f.inputs.modulation !== undefined) inputs['r.modulation'] = [[0.5]];
      out.push({
        id: `${name}${async ? ' (async)' : ''}`,
        fragment: f,
        inputs,
        exact: [],
        close: ['r.kernel'],
      });
    }
  }
  const signal = rowsOf(3, 0, 1, 6);
  for (const name of [
    'poisson_spiker',
    'linear_spiker',
    'topological_poisson_spiker',
    'topological_linear_spiker',
  ]) {
    const f = sparkModule(name).build({
      prefix: 'i',
      dt: 1,
      config: { resolution: 16, tau: 20 },
      inputs: 3,
      compat,
      streamBase: 11,
    });
    out.push({ id: name, fragment: f, inputs: { 'i.signal': signal }, exact: ['i.spikes'], close: [] });
  }
  for (const smooth of [false, true]) {
    const f = sparkModule('exponential_integrator').build({
      prefix: 'e',
      dt: 1,
      config: { num_outputs: 3, smooth_trace: smooth, seed: 1 },
      inputs: 20,
      compat,
    });
    out.push({
      id: `exponential_integrator (smooth ${smooth})`,
      fragment: f,
      inputs: { 'e.spikes': rowsOf(20, 0, 1, 7, true) },
      exact: [],
      close: ['e.signal'],
    });
  }
  for (const name of ['n_delays', 'n2n_delays']) {
    const f = sparkModule(name).build({
      prefix: 'd',
      dt: 1,
      config: { seed: 9, max_delay: 4 },
      units: 3,
      pre: 5,
      compat,
    });
    out.push({
      id: name,
      fragment: f,
      inputs: { 'd.in_spikes': rowsOf(5, 0, 1, 8, true) },
      exact: ['d.out_spikes'],
      close: [],
    });
  }
  return out;
}

const TRANSCENDENTAL = new Set(['exp', 'log', 'pow', 'sin', 'cos', 'tanh']);

/** True when a module op of the fragment evaluates a transcendental function per element and step. */
function usesTranscendental(f: Fragment): boolean {
  const visit = (e: TExpr): boolean => {
    if (e.k === 'math' && TRANSCENDENTAL.has(e.fn)) return true;
    if (e.k === 'unary' || e.k === 'cast') return visit(e.a);
    if (e.k === 'binary') return visit(e.a) || visit(e.b);
    if (e.k === 'select') return visit(e.c) || visit(e.t) || visit(e.e);
    if (e.k === 'math' || e.k === 'rand') return e.args.some(visit);
    return false;
  };
  return f.ops.some(
    (op) =>
      op.op === 'module' &&
      compileDefinition((op.attrs as unknown as ModuleOpAttrs).definition).body.some((s) => visit(s.value)),
  );
}

/**
 * The tolerance of a fragment against the cpu: 0 (bit for bit) without per-step transcendental
 * functions; else rel ≤ 1e-5, and 1e-4 for the exponential somas, whose exp((v − v_T)/Δ_T) amplifies a
 * last-bit difference of exp.
 */
export function fragmentTolerance(c: FragmentCase): number {
  return !usesTranscendental(c.fragment) ? 0 : c.id.endsWith('exponential_soma') ? 1e-4 : 1e-5;
}

/** Both compatibility modes, named. */
export const MODES = [
  ['corrected', CORRECTED],
  ['Spark compatibility', SPARK_COMPAT],
] as const;
