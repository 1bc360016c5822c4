// Every library module with equations, on the webgpu backend where one starts (Dawn in Node,
// navigator.gpu in the browser) and on gpujs, against the cpu backend on the same inputs. All three
// compute in float32, so they agree bit for bit — except where a module evaluates a transcendental
// function (exp, log, pow, sin, cos, tanh) every step: WGSL and GLSL do not promise a correctly
// rounded exp (WGSL: 3 + 2·|x| ulp), the cpu uses Math's rounded to float32, and the exponential
// somas' exp((v − v_T)/Δ_T) amplifies that last-bit difference (4.6e-5 relative observed on SwiftShader).
import type { Backend } from '@spark-snn/core';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../backends/cpu/index.ts';
import { gpujsBackend } from '../backends/gpujs/index.ts';
import { webgpuBackend } from '../backends/webgpu/index.ts';
import { compileDefinition } from '../lang/compile.ts';
import type { TExpr } from '../lang/ir.ts';
import type { ModuleOpAttrs } from '../ops.ts';
import { CORRECTED, SPARK_COMPAT, type SparkCompat } from './compat.ts';
import type { Fragment } from './fragment.ts';
import { sparkModule } from './registry.ts';
import { runFragmentOn, type StepInputs } from './testing.ts';

async function start(make: () => Promise<Backend>): Promise<Backend | undefined> {
  try {
    return await make();
  } catch {
    return undefined;
  }
}
const BACKENDS = [
  { kind: 'webgpu', backend: await start(() => webgpuBackend()) },
  { kind: 'gpujs', backend: await start(() => gpujsBackend()) },
];
afterAll(() => {
  for (const b of BACKENDS) b.backend?.destroy();
});

const STEPS = 120;

/** Deterministic pseudo-random rows in [lo, hi) (a small LCG; no RNG state shared with the module). */
function rowsOf(n: number, lo: number, hi: number, seed: number, spikes = false): number[][] {
  let x = seed >>> 0;
  const next = (): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  return Array.from({ length: STEPS }, () =>
    Array.from({ length: n }, () => (spikes ? (next() < 0.2 ? 1 : 0) : lo + (hi - lo) * next())),
  );
}

interface Case {
  id: string;
  fragment: Fragment;
  inputs: StepInputs;
  /** Recorded buffers compared exactly (spikes) and with a tolerance (continuous). */
  exact: string[];
  close: string[];
}

function cases(compat: SparkCompat): Case[] {
  const out: Case[] = [];
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
  for (const name of [
    'hebbian_rule',
    'oja_rule',
    'three_factor_hebbian_rule',
    'quadruplet_rule',
    'quadruplet_rule_tensor',
    'zenke_rule',
  ]) {
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

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1);
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

for (const { kind, backend } of BACKENDS) {
  describe.skipIf(backend === undefined)(`library modules: ${kind} agrees with cpu`, () => {
    for (const [mode, compat] of [
      ['corrected', CORRECTED],
      ['Spark compatibility', SPARK_COMPAT],
    ] as const) {
      it(`every module (${mode})`, async () => {
        const problems: string[] = [];
        for (const c of cases(compat)) {
          const record = [...c.exact, ...c.close];
          // Bit for bit, or (per-step transcendental functions, see the top) rel ≤ 1e-5 — 1e-4 for the
          // exponential somas, whose exp((v − v_T)/Δ_T) amplifies a last-bit difference of exp.
          const tol = !usesTranscendental(c.fragment) ? 0 : c.id.endsWith('exponential_soma') ? 1e-4 : 1e-5;
          const a = await runFragmentOn(cpuBackend(), c.fragment, {
            dt: 1,
            steps: STEPS,
            seed: 5,
            inputs: c.inputs,
            record,
          });
          const b = await runFragmentOn(backend as Backend, c.fragment, {
            dt: 1,
            steps: STEPS,
            seed: 5,
            inputs: c.inputs,
            record,
          });
          for (const n of record) {
            for (let t = 0; t < STEPS; t++) {
              const x = a[n]?.[t] as Float64Array;
              const y = b[n]?.[t] as Float64Array;
              for (let k = 0; k < x.length; k++) {
                const bad = c.exact.includes(n)
                  ? x[k] !== y[k]
                  : !Object.is(x[k], y[k]) && rel(y[k] as number, x[k] as number) > tol;
                if (bad && problems.length < 10)
                  problems.push(`${c.id} ${n} t=${t}[${k}]: ${kind} ${y[k]} vs cpu ${x[k]}`);
              }
            }
          }
        }
        expect(problems).toEqual([]);
      }, 180_000); // gpu.js compiles one WebGL program per kernel: slow on software renderers
    }
  });
}
