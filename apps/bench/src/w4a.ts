/**
 * W4a (benchmarks.md §1.5, §5): the Spark-style dense layer — `linear_synapses` n → n feeding a
 * `leaky_soma`, dt = 1 ms — in f32 and f16, batch B = 16, T = 500 steps, on every available backend.
 *
 * The batch: a Brain has no batch axis, so a sample is one brain. The 16 samples are 16 brains built
 * from the same config with seeds 1…16 (16 different kernels), not one brain replayed with 16
 * inputs: the generator's input is a constant (deterministic, so that backends can be compared spike
 * for spike), and 16 kernels make the correctness gate compare 16 different weight matrices instead
 * of one matrix 16 times. The work per sample step is the same (n² multiply-adds) either way.
 *
 * Correctness gate first (§5, W4 row): every backend's per-neuron spike counts, for every sample,
 * must equal the cpu backend's in the same precision — exactly in f32; in f16 within the rule of
 * {@link gateVerdict} (±1 spike in at most 0.1 % of the neurons); a backend outside it gets no speed
 * figures (REFUSED). The counts are summed on the device by a counter module appended
 * to the plan, so that no spike train is read back inside the timed loop.
 *
 * f16: the Brain compiler lowers every module in f32 whatever its `dtype` (kernels' docs: float16
 * storage is optional), so the f16 variant converts the compiled plan: the soma's state and spikes
 * are stored as `float16` (the backends' f16 storage: rounded to nearest even on store, arithmetic
 * in f32), and the kernel and input — bound to the dense op, which takes f32 buffers — hold values
 * rounded to float16. The dense op's sum and its output current stay f32.
 *
 * @module
 */

import { defaultRegistry, derivePorts, type ModuleSpecs } from '@spark-snn/config';
import type { Backend, Plan, PlanBuffer, PlanOp } from '@spark-snn/core';
import { roundFloat32ArrayToFloat16, toFloat16Array } from '@spark-snn/core';
import { cpuBackend, instantiateModule, type ModuleOpAttrs } from '@spark-snn/kernels';
import { type ModuleDefinition, parseDefinition } from '@spark-snn/kernels/lang';
import { compileBrain, defaultLowerings } from '@spark-snn/nn';
import { w4aConfig } from './configs.ts';
import { naiveDense } from './naive.ts';

/** A W4a precision. */
export type W4aDtype = 'float32' | 'float16';

/** One W4a case: a layer size in one precision. */
export interface W4aCase {
  readonly n: number;
  readonly dtype: W4aDtype;
}

/** Samples per batch (benchmarks.md §5: B = 16). */
export const W4A_BATCH = 16;
/** Steps per sample (benchmarks.md §5: T = 500). */
export const W4A_STEPS = 500;
/** Wall-clock budget (s) of one backend's batch on cpu; above it T is shortened (and printed). */
export const W4A_CPU_BUDGET_S = 60;

/**
 * The cases of a W4a suite: `W4a` (and `W4`, `full`) n ∈ {512, 4096}; `W4a-large` also 16384 (its
 * f32 kernel is 1 GiB per sample). Each size in f32 and f16.
 */
export function w4aCases(suite: string): W4aCase[] {
  const sizes = suite === 'W4a-large' ? [512, 4096, 16384] : [512, 4096];
  return sizes.flatMap((n) => (['float32', 'float16'] as const).map((dtype) => ({ n, dtype })));
}

/** The suites that run W4a. */
export function runsW4a(parts: readonly string[]): string | undefined {
  if (parts.includes('W4a-large')) return 'W4a-large';
  return parts.some((p) => p === 'W4a' || p === 'W4' || p === 'full') ? 'W4a' : undefined;
}

const COUNTER = `
module w4a_spike_counter over unit
state count: f32 = 0
input spikes: SpikeArray f32
count = count + spikes
`;

/** A W4a sample as a kernels plan: the compiled layer plus a per-neuron spike counter. */
export interface W4aProblem {
  readonly plan: Plan;
  readonly n: number;
  /** The input buffer and its constant per-step values (in the buffer's host dtype). */
  readonly input: { readonly buffer: string; readonly values: Float32Array };
  /** The counter buffer (f32, spikes of each neuron since load). */
  readonly counts: string;
  /** The kernel (f32, row-major [post][pre]) and the soma parameters, for the naive loop. */
  readonly weights: Float32Array;
  readonly soma: Readonly<Record<string, number>>;
}

/**
 * Compiles the W4a config of one sample (`w4aConfig({ n, seed, dtype })`) with the Brain compiler
 * and appends the spike counter; for f16 every float buffer of the layer is stored as `float16`.
 */
export function w4aProblem(n: number, seed: number, dtype: W4aDtype): W4aProblem {
  const info = w4aConfig({ n, seed, dtype });
  const modules = info.document.config.modules_specs as ModuleSpecs[];
  const payloads = Object.fromEntries(
    derivePorts(modules, defaultRegistry).inputs.map((i) => [i.name, i.payload]),
  );
  const compiled = compileBrain(info.document.config, payloads as Parameters<typeof compileBrain>[1], {
    inputShapes: { x: [n] },
    lowerings: defaultLowerings(),
    behaviour: 'corrected',
    registry: defaultRegistry,
  });
  const spikes = compiled.modules.get('neurons')?.outputs.spikes?.buffer;
  const input = compiled.inputs.get('x')?.buffer;
  if (!spikes || !input) throw new Error('w4a: the compiled config has no neurons.spikes or input x');
  const kernel = compiled.plan.buffers.find((b) => b.name === 'layer.kernel')?.init;
  if (!(kernel instanceof Float32Array)) throw new Error('w4a: layer.kernel has no f32 initial value');
  const somaOp = compiled.plan.ops.find((o) => o.name === 'neurons');
  const soma = (somaOp?.attrs?.params ?? {}) as Record<string, number>;
  const counter = instantiateModule(parseDefinition(COUNTER), {
    prefix: '@w4a/counter',
    size: n,
    dt: 1,
    bind: { spikes },
  });
  const counts = counter.op.bindings.count as string;
  const plan: Plan = {
    ...compiled.plan,
    buffers: [...compiled.plan.buffers, ...counter.buffers],
    ops: [...compiled.plan.ops, counter.op],
  };
  const x = info.inputs?.x ?? new Float32Array(n);
  return {
    plan: dtype === 'float16' ? halfPlan(plan, new Set([counts])) : plan,
    n,
    input: { buffer: input, values: dtype === 'float16' ? roundFloat32ArrayToFloat16(x) : x },
    counts,
    weights: kernel,
    soma,
  };
}

/**
 * The plan in f16 storage: a float buffer that only `module` ops use (except those in `keep`) is
 * stored as `float16`, and the ports of the module definitions bound to it declare `float16`
 * storage; a float buffer that another op uses (the dense op takes f32 weights, inputs and outputs)
 * keeps f32 storage with its initial values rounded to float16.
 */
export function halfPlan(plan: Plan, keep: ReadonlySet<string> = new Set()): Plan {
  const other = new Set(plan.ops.filter((o) => o.op !== 'module').flatMap((o) => Object.values(o.bindings)));
  const half = new Set(
    plan.buffers
      .filter((b) => b.dtype === 'float32' && !other.has(b.name) && !keep.has(b.name))
      .map((b) => b.name),
  );
  // A buffer the Brain compiler already stores as float16 (a `dtype: float16` config) is half too:
  // the ports of the appended counter bound to it must declare float16 storage.
  const already = plan.buffers.filter((b) => b.dtype === 'float16').map((b) => b.name);
  const buffers = plan.buffers.map((b): PlanBuffer => {
    const init = b.init;
    if (half.has(b.name))
      return {
        ...b,
        dtype: 'float16',
        ...(init === undefined
          ? {}
          : { init: typeof init === 'number' ? init : toFloat16Array(init as Float32Array) }),
      };
    return b.dtype === 'float32' && init instanceof Float32Array
      ? { ...b, init: roundFloat32ArrayToFloat16(init) }
      : b;
  });
  for (const name of already) half.add(name);
  const ops = plan.ops.map((o): PlanOp => {
    if (o.op !== 'module') return o;
    const a = o.attrs as unknown as ModuleOpAttrs;
    const d = a.definition;
    const to16 = <T extends { readonly name: string }>(xs: readonly T[]): T[] =>
      xs.map((x) => {
        const bound = o.bindings[x.name];
        return bound !== undefined && half.has(bound) ? { ...x, storage: 'float16' } : x;
      });
    const definition: ModuleDefinition = {
      ...d,
      state: to16(d.state),
      inputs: to16(d.inputs),
      outputs: to16(d.outputs),
    };
    return { ...o, attrs: { ...o.attrs, definition } };
  });
  return { ...plan, buffers, ops };
}

/** What one sample measured. */
export interface W4aSample {
  /** Spikes per neuron after `gateSteps`. */
  readonly counts: Float32Array;
  /** Wall seconds of the step loop (all `steps`), each run timed until its count readback (n floats). */
  readonly seconds: number;
  /** Compile + load (s). */
  readonly cold: number;
}

/** Runs one sample: `gateSteps` steps, reads the counts, then the remaining `steps − gateSteps`. */
export async function runW4aSample(
  b: Backend,
  n: number,
  seed: number,
  dtype: W4aDtype,
  steps: number,
  gateSteps = steps,
): Promise<W4aSample> {
  const t0 = performance.now();
  const pr = w4aProblem(n, seed, dtype);
  const p = await b.load(pr.plan);
  const t1 = performance.now();
  try {
    const inputs = { [pr.input.buffer]: pr.input.values };
    // Timed until the counts are read back: a backend may resolve run() before the device is done.
    const t2 = performance.now();
    await p.run({ steps: gateSteps, inputs });
    const counts = Float32Array.from(await p.read(pr.counts));
    let seconds = (performance.now() - t2) / 1000;
    if (steps > gateSteps) {
      const t3 = performance.now();
      await p.run({ steps: steps - gateSteps, inputs });
      await p.read(pr.counts);
      seconds += (performance.now() - t3) / 1000;
    }
    return { counts, seconds, cold: (t1 - t0) / 1000 };
  } finally {
    p.destroy();
  }
}

/** The gate's comparison of two batches of per-neuron counts. */
export interface CountComparison {
  readonly equal: boolean;
  /** Neurons (over all samples) whose counts differ. */
  readonly differing: number;
  /** Largest absolute difference of one neuron's count. */
  readonly maxDiff: number;
  /** The first difference as `sample s, neuron i: ref vs got`. */
  readonly first?: string;
  /** Spikes of the reference batch. */
  readonly total: number;
}

/** Compares per-neuron spike counts sample by sample (exact equality). */
export function compareCounts(
  ref: readonly ArrayLike<number>[],
  got: readonly ArrayLike<number>[],
): CountComparison {
  if (ref.length !== got.length) throw new Error(`compareCounts: ${ref.length} vs ${got.length} samples`);
  let differing = 0;
  let maxDiff = 0;
  let total = 0;
  let first: string | undefined;
  for (let s = 0; s < ref.length; s++) {
    const a = ref[s] as ArrayLike<number>;
    const b = got[s] as ArrayLike<number>;
    if (a.length !== b.length)
      throw new Error(`compareCounts: sample ${s + 1} has ${a.length} vs ${b.length} neurons`);
    for (let i = 0; i < a.length; i++) {
      const x = a[i] as number;
      const y = b[i] as number;
      total += x;
      if (x !== y) {
        differing++;
        maxDiff = Math.max(maxDiff, Math.abs(x - y));
        first ??= `sample ${s + 1}, neuron ${i}: ${x} vs ${y}`;
      }
    }
  }
  return { equal: differing === 0, differing, maxDiff, total, ...(first ? { first } : {}) };
}

/**
 * The gate's rule. f32: every count equal. f16: every count within ±1 and at most 0.1 % of the
 * neurons (B·n) different. Why f16 cannot be held to exact equality: the cpu backend evaluates in
 * f64 (JS numbers) and rounds at each store, webgpu evaluates in f32; the current and the membrane
 * update then differ in their last f32 bits, and the float16 store of the potential (11 significant
 * bits) turns such a difference into a different f16 value whenever the exact value lies near a
 * rounding boundary, which can move a threshold crossing by one step. Measured: one neuron of 8192
 * differing by one spike in 500 steps (n = 512, webgpu on SwiftShader); f32 equal in every run.
 */
export function gateVerdict(dtype: W4aDtype, cmp: CountComparison, neurons: number): { ok: boolean } {
  if (dtype === 'float32') return { ok: cmp.equal };
  return { ok: cmp.maxDiff <= 1 && cmp.differing <= Math.max(1, Math.floor(neurons / 1000)) };
}

/** A row of the W4a table. */
export interface W4aRow {
  readonly n: number;
  readonly dtype: W4aDtype;
  readonly runner: string;
  readonly batch: number;
  /** Steps per sample timed. */
  readonly steps: number;
  /** Steps per sample over which the counts were compared. */
  readonly gateSteps: number;
  readonly gate: 'reference' | 'pass' | 'fail';
  readonly gateNote: string;
  readonly usPerStep?: number;
  readonly sampleStepsPerS?: number;
  readonly synapseUpdatesPerS?: number;
  readonly coldStart?: number;
  readonly vsNaive?: number;
  readonly note?: string;
}

/** Options of {@link runW4a}. */
export interface W4aRunOptions {
  /** Backends to measure (a cpu backend is also the gate's reference; one is opened if absent). */
  readonly backends: readonly Backend[];
  readonly cases: readonly W4aCase[];
  readonly log: (line: string) => void;
  /** Samples (default 16). */
  readonly batch?: number;
  /** Steps per sample (default 500). */
  readonly steps?: number;
  /** cpu budget per batch (s; default 60): T shrinks to fit, to a multiple of 10, at least 10. */
  readonly cpuBudgetS?: number;
  /** True for backends that run on a software adapter (measured at n ≤ 512 only). */
  readonly software?: (b: Backend) => boolean;
  /** Skip the naive JS peer. */
  readonly noNaive?: boolean;
}

const summarize = (
  c: W4aCase,
  batch: number,
  steps: number,
  samples: readonly { seconds: number; cold?: number }[],
): Pick<W4aRow, 'usPerStep' | 'sampleStepsPerS' | 'synapseUpdatesPerS' | 'coldStart'> => {
  const wall = samples.reduce((a, s) => a + s.seconds, 0);
  const sampleSteps = batch * steps;
  const cold = samples[0]?.cold;
  return {
    usPerStep: (wall / sampleSteps) * 1e6,
    sampleStepsPerS: sampleSteps / wall,
    synapseUpdatesPerS: (c.n * c.n * sampleSteps) / wall,
    ...(cold !== undefined ? { coldStart: cold } : {}),
  };
};

/**
 * Runs W4a: per case, the cpu reference (T shortened to the cpu budget), the naive JS loop (f32, the
 * same kernels and T as cpu, informational gate), and every other backend (T steps, counts compared
 * after the cpu's T). Returns the rows; a row with `gate: 'fail'` has no speed figures.
 */
export async function runW4a(o: W4aRunOptions): Promise<W4aRow[]> {
  const batch = o.batch ?? W4A_BATCH;
  const steps = o.steps ?? W4A_STEPS;
  const budget = o.cpuBudgetS ?? W4A_CPU_BUDGET_S;
  const cpu = o.backends.find((b) => b.kind === 'cpu');
  const ref = cpu ?? cpuBackend();
  const seeds = Array.from({ length: batch }, (_, k) => k + 1);
  const rows: W4aRow[] = [];
  // Naive µs/step per n (its f32 loop is the denominator of both precisions).
  const naiveUsOf = new Map<number, number>();
  for (const c of o.cases) {
    const tag = `n=${c.n} ${c.dtype === 'float32' ? 'f32' : 'f16'}`;
    // cpu T: a 10-step probe of sample 1 sets it so that the batch fits the budget.
    const probe = await runW4aSample(ref, c.n, 1, c.dtype, 10);
    const perStep = probe.seconds / 10;
    const fit = Math.floor(budget / (batch * perStep) / 10) * 10;
    const cpuSteps = Math.max(10, Math.min(steps, fit));
    o.log(
      `W4a ${tag}: cpu ${(perStep * 1e6).toFixed(0)} µs/step in a 10-step probe → T = ${cpuSteps}${cpuSteps < steps ? ` (of ${steps}: cpu budget ${budget} s per batch)` : ''}`,
    );
    const refSamples: W4aSample[] = [];
    for (const s of seeds) refSamples.push(await runW4aSample(ref, c.n, s, c.dtype, cpuSteps));
    const refCounts = refSamples.map((s) => s.counts);
    const total = refCounts.reduce((a, x) => a + x.reduce((p, q) => p + q, 0), 0);
    const rate = total / (batch * c.n) / (cpuSteps / 1000);
    const cpuRow: W4aRow = {
      n: c.n,
      dtype: c.dtype,
      runner: 'spark-snn cpu',
      batch,
      steps: cpuSteps,
      gateSteps: cpuSteps,
      gate: 'reference',
      gateNote: `${total} spikes, ${rate.toFixed(1)} Hz mean`,
      ...summarize(c, batch, cpuSteps, refSamples),
    };
    const caseRows: W4aRow[] = [];
    if (!o.noNaive && c.dtype === 'float32') {
      const nv: { seconds: number }[] = [];
      const nc: Int32Array[] = [];
      for (const s of seeds) {
        const pr = w4aProblem(c.n, s, 'float32');
        const x = pr.input.values;
        const r = naiveDense(
          {
            n: c.n,
            weights: pr.weights,
            input: x,
            dt: pr.plan.dt,
            tau: pr.soma.potential_tau ?? 20,
            resistance: pr.soma.resistance ?? 0.1,
            threshold: (pr.soma.threshold ?? -40) - (pr.soma.potential_rest ?? -60),
            reset: (pr.soma.potential_reset ?? -50) - (pr.soma.potential_rest ?? -60),
          },
          cpuSteps,
        );
        nv.push(r);
        nc.push(r.counts);
      }
      const cmp = compareCounts(refCounts, nc);
      const fig = summarize(c, batch, cpuSteps, nv);
      if (fig.usPerStep !== undefined) naiveUsOf.set(c.n, fig.usPerStep);
      caseRows.push({
        n: c.n,
        dtype: c.dtype,
        runner: 'naive JS loop (1 thread, f32)',
        batch,
        steps: cpuSteps,
        gateSteps: cpuSteps,
        gate: cmp.equal ? 'pass' : 'fail',
        gateNote: cmp.equal
          ? 'counts = cpu'
          : `${cmp.differing} neurons differ from cpu (max ${cmp.maxDiff}; peer: figures kept)`,
        ...fig,
      });
    }
    const naiveUs = naiveUsOf.get(c.n);
    const ratio = (us: number | undefined): number | undefined =>
      naiveUs !== undefined && us !== undefined ? naiveUs / us : undefined;
    const vsCpu = ratio(cpuRow.usPerStep);
    caseRows.unshift({ ...cpuRow, ...(vsCpu !== undefined ? { vsNaive: vsCpu } : {}) });
    o.log(`  cpu: ${cpuRow.gateNote}, ${cpuRow.usPerStep?.toFixed(1)} µs/step per sample`);
    for (const b of o.backends) {
      if (b.kind === 'cpu') continue;
      const soft = o.software?.(b) ?? false;
      if (soft && c.n > 512) {
        o.log(`  ${b.kind}: skipped on a software adapter (n=${c.n})`);
        continue;
      }
      const bSteps = Math.max(steps, cpuSteps);
      const got: W4aSample[] = [];
      for (const s of seeds) got.push(await runW4aSample(b, c.n, s, c.dtype, bSteps, cpuSteps));
      const cmp = compareCounts(
        refCounts,
        got.map((g) => g.counts),
      );
      const base = {
        n: c.n,
        dtype: c.dtype,
        runner: `spark-snn ${b.kind}`,
        batch,
        steps: bSteps,
        gateSteps: cpuSteps,
        ...(soft ? { note: 'software adapter: overheads only' } : {}),
      };
      const verdict = gateVerdict(c.dtype, cmp, batch * c.n);
      if (!verdict.ok) {
        caseRows.push({
          ...base,
          gate: 'fail',
          gateNote: `${cmp.differing} neuron counts differ from cpu (max ${cmp.maxDiff}; first: ${cmp.first})`,
        });
        o.log(`  ${b.kind}: REFUSED (${cmp.differing} neuron counts differ; first: ${cmp.first})`);
        continue;
      }
      const fig = summarize(c, batch, bSteps, got);
      const vn = ratio(fig.usPerStep);
      caseRows.push({
        ...base,
        gate: 'pass',
        gateNote: cmp.equal
          ? `counts = cpu over ${cpuSteps} steps`
          : `f16 rule: ${cmp.differing} of ${batch * c.n} neuron counts ±1 vs cpu over ${cpuSteps} steps`,
        ...fig,
        ...(vn !== undefined ? { vsNaive: vn } : {}),
      });
      o.log(`  ${b.kind}: pass, ${fig.usPerStep?.toFixed(1)} µs/step per sample`);
    }
    rows.push(...caseRows);
  }
  if (!cpu) ref.destroy();
  return rows;
}

const num = (x: number | undefined, d = 1): string =>
  x === undefined ? '—' : x >= 1e5 ? x.toExponential(2) : x.toFixed(d);

/** Renders the W4a table (markdown). */
export function renderW4a(rows: readonly W4aRow[]): string {
  const out = [
    `### W4a: Spark-style dense layer (linear_synapses n→n + leaky_soma, dt = 1 ms, B = ${rows[0]?.batch ?? W4A_BATCH} brains, seeds 1…B)`,
    '',
    'Gate: per-neuron spike counts of every sample equal to the cpu backend in the same precision over the cpu\'s T (f32: exact; f16: ±1 spike in at most 0.1 % of the B·n neurons, see gateVerdict). "× naive JS" = naive µs/step ÷ ours (f32 naive loop for both precisions).',
    '',
    '| n | precision | runner | T (gate T) | gate | µs/step per sample | samples·steps/s | synapse updates/s | cold start (s) | × naive JS |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const gate =
      r.gate === 'reference'
        ? `reference (${r.gateNote})`
        : r.gate === 'pass'
          ? `pass (${r.gateNote})`
          : `**${r.runner.startsWith('naive') ? 'differs' : 'REFUSED'}** (${r.gateNote})`;
    out.push(
      `| ${r.n} | ${r.dtype === 'float32' ? 'f32' : 'f16'} | ${r.runner}${r.note ? ` (${r.note})` : ''} | ${r.steps}${r.gateSteps !== r.steps ? ` (${r.gateSteps})` : ''} | ${gate} | ${num(r.usPerStep)} | ${num(r.sampleStepsPerS)} | ${num(r.synapseUpdatesPerS)} | ${num(r.coldStart, 2)} | ${num(r.vsNaive, 2)} |`,
    );
  }
  out.push('');
  return out.join('\n');
}
