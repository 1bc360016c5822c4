// The event-driven synapse domain on ab_brain (cpu): the same spikes and weights as the dense plan,
// the Spark golden at its tolerances, per-synapse state readable or refused with a way out.

import type { ConfigDocument, Registry } from '@spark-snn/config';
import { Tensor } from '@spark-snn/core';
import { cpuBackend } from '@spark-snn/kernels';
import { eventPlan, readView } from '@spark-snn/kernels/internal';
import { TraceComparison } from '@spark-snn/testing';
import { golden } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import { Brain, BrainError } from '../../src/brain.ts';
import { cartpoleRegistry, goldenBrainDocument, goldenBrainDocumentFloat16 } from './brains.ts';

interface BrainGolden {
  steps: number;
  inputs: { signal: number[][]; mod_a_ex: number; mod_b_ex: number; mod_a_in: number; mod_b_in: number };
  outputs: { spike_indices: Record<string, number[][]> };
  state: { per_step_checksums: Record<string, { potential_sum: number[]; kernel_sum: number[] }> };
}

const POOLS = ['A_excitatory', 'B_excitatory', 'A_inhibitory', 'B_inhibitory'] as const;
const SHAPES = { signal: [4], mod_a_ex: [1], mod_b_ex: [1], mod_a_in: [1], mod_b_in: [1] };

function goldenInputs(g: BrainGolden, from: number, steps: number) {
  return {
    signal: Float32Array.from(g.inputs.signal.slice(from, from + steps).flat()),
    mod_a_ex: [g.inputs.mod_a_ex],
    mod_b_ex: [g.inputs.mod_b_ex],
    mod_a_in: [g.inputs.mod_a_in],
    mod_b_in: [g.inputs.mod_b_in],
  };
}

/** The paths of a state tree. */
function flat(tree: object, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}/${k}` : k;
    if (v instanceof Tensor) out[path] = v;
    else flat(v as object, path, out);
  }
  return out;
}

function bitwiseDiffs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) n++;
  return n;
}

/** Runs 400 golden steps in chunks of 100; per chunk end: every pool's kernel and plasticity traces. */
async function goldenRun(brain: Brain, g: BrainGolden) {
  const record = [...POOLS.map((p) => `${p}.out_spikes`), ...POOLS.map((p) => `${p}/soma/potential`)];
  const spikes: Record<string, number[]> = {};
  const potentialSums: Record<string, number[]> = {};
  const snapshots: Array<Record<string, Float32Array>> = [];
  for (let from = 0; from < g.steps; from += 100) {
    const rec = await brain.run({ steps: 100, inputs: goldenInputs(g, from, 100), record, chunk: 100 });
    for (const p of POOLS) {
      spikes[p] = [...(spikes[p] ?? []), ...rec.series[`${p}.out_spikes`]!.data];
      const v = rec.series[`${p}/soma/potential`]!.data;
      const n = v.length / 100;
      const sums = potentialSums[p] ?? [];
      potentialSums[p] = sums;
      for (let t = 0; t < 100; t++) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += v[t * n + i]!;
        sums.push(sum);
      }
    }
    const paths = POOLS.flatMap((p) => [
      `${p}/synapses/kernel`,
      `${p}/plasticity/pre_trace`,
      `${p}/plasticity/post_trace`,
    ]);
    const state = await brain.readState(paths);
    snapshots.push(Object.fromEntries(paths.map((p) => [p, state[p]!.data as Float32Array])));
  }
  return { spikes, potentialSums, snapshots };
}

/** The brain of a document twice: event-driven (the default) and dense (`eventDriven: false`). */
async function eventAndDense(doc: ConfigDocument, registry: Registry, backend: 'cpu' | 'webgpu' = 'cpu') {
  const event = await Brain.fromConfig(doc, { backend, registry, inputShapes: SHAPES });
  const dense = await Brain.fromConfig(doc, {
    backend,
    registry,
    inputShapes: SHAPES,
    eventDriven: false,
  });
  return { event, dense };
}

describe('ab_brain event-driven on cpu', () => {
  it('equals the dense form for 400 steps — spikes, weights and plasticity traces bit for bit — and the Spark golden at its tolerances', async () => {
    const registry = cartpoleRegistry();
    const g = golden<BrainGolden>('brain_ab_float32.json');
    const doc = goldenBrainDocument(registry);
    const { event, dense } = await eventAndDense(doc, registry);
    expect(dense.eventForm).toBeUndefined();
    // Every pool: synapses summed per row, plasticity on shared traces with weights updated in place;
    // only the spiker (not synapse-domain) is left as it is.
    expect(event.eventForm!.modules.map((m) => m.op).sort()).toEqual(
      POOLS.flatMap((p) => [`${p}/plasticity.update`, `${p}/synapses`]).sort(),
    );
    expect(event.eventForm!.dense).toEqual([]);
    expect(event.plan.ops.filter((o) => o.op === 'module.events')).toHaveLength(8);

    const e = await goldenRun(event, g);
    const d = await goldenRun(dense, g);
    for (const p of POOLS) {
      expect(e.spikes[p], p).toEqual(d.spikes[p]);
      // …which are the golden's, every step.
      const n = e.spikes[p]!.length / g.steps;
      for (let t = 0; t < g.steps; t++) {
        const got: number[] = [];
        for (let i = 0; i < n; i++) if (e.spikes[p]![t * n + i] !== 0) got.push(i);
        expect(got, `${p} step ${t}`).toEqual(g.outputs.spike_indices[p]![t]);
      }
    }
    for (let k = 0; k < e.snapshots.length; k++)
      for (const [path, data] of Object.entries(e.snapshots[k]!))
        expect(bitwiseDiffs(data, d.snapshots[k]![path]!), `${path} after ${(k + 1) * 100} steps`).toBe(0);
    // The kernels did learn (a comparison of untouched kernels would prove nothing).
    const first = await Brain.fromConfig(doc, { backend: 'cpu', registry, inputShapes: SHAPES });
    const k0 = (await first.readState(['A_excitatory/synapses/kernel']))['A_excitatory/synapses/kernel']!
      .data;
    expect(bitwiseDiffs(k0, e.snapshots[3]!['A_excitatory/synapses/kernel']!)).toBeGreaterThan(10_000);
    // Golden checksums (rel = |a − b| / max(|b|, 1) ≤ 1e-5): potentials every step (they integrate the
    // synaptic currents, which the event form sums per row incrementally), kernels every 100 steps.
    const sums = new TraceComparison();
    for (const p of POOLS) {
      const c = g.state.per_step_checksums[p]!;
      const want = c.potential_sum.slice(0, g.steps).map((x) => [x]);
      sums.trace(`${p} potential sum`, e.potentialSums[p]!, want, 'float32');
      for (let k = 0; k < 4; k++) {
        let sum = 0;
        for (const x of e.snapshots[k]![`${p}/synapses/kernel`]!) sum += x;
        sums.row(`${p} kernel sum`, [sum], [c.kernel_sum[(k + 1) * 100 - 1]!], 'float32', {
          step: (k + 1) * 100 - 1,
        });
      }
    }
    expect(sums.mismatches).toEqual([]);
    expect(sums.checked).toBe(POOLS.length * (g.steps + 4));
    for (const b of [event, dense, first]) b.destroy();
  }, 600_000);

  it.each([
    ['float32', goldenBrainDocument],
    ['float16', goldenBrainDocumentFloat16],
  ] as const)(
    '%s: with the synapses left dense, the event-driven plasticity alone equals the dense plan for 400 steps — spikes, kernels and traces bit for bit',
    async (dtype, document) => {
      const registry = cartpoleRegistry();
      const g = golden<BrainGolden>('brain_ab_float32.json');
      const brain = await Brain.fromConfig(document(registry), {
        backend: 'cpu',
        registry,
        inputShapes: SHAPES,
        eventDriven: false,
      });
      const plan = brain.compiledBrain!.plan;
      // The plasticity traces have the document's dtype in the dense plan; in float16 so do the
      // inhibitory pools' spikes, which their rules read as the postsynaptic spikes.
      const dtypeOf = (b: string) => plan.buffers.find((x) => x.name === b)?.dtype;
      const traces = POOLS.flatMap((p) => [
        `${p}/plasticity.update.pre_trace`,
        `${p}/plasticity.update.post_trace`,
      ]);
      for (const t of traces) expect(dtypeOf(t), t).toBe(dtype);
      expect(dtypeOf('A_inhibitory/soma.spikes')).toBe(dtype);
      const ev = eventPlan(plan, { denseOps: new Set(POOLS.map((p) => `${p}/synapses`)) });
      expect(ev.modules.map((m) => [m.op, m.shared, m.inPlace])).toEqual(
        POOLS.map((p) => [`${p}/plasticity.update`, ['pre_trace', 'post_trace'], ['updated_kernel']]),
      );
      const inputs = {
        '@input/signal': Float32Array.from(g.inputs.signal.flat()),
        '@input/mod_a_ex': Float32Array.of(g.inputs.mod_a_ex),
        '@input/mod_b_ex': Float32Array.of(g.inputs.mod_b_ex),
        '@input/mod_a_in': Float32Array.of(g.inputs.mod_a_in),
        '@input/mod_b_in': Float32Array.of(g.inputs.mod_b_in),
      };
      const spikes = POOLS.map((p) => `${p}/soma.spikes`);
      const kernels = POOLS.map((p) => `${p}/synapses.kernel`);
      const results: Array<{ spikes: ArrayLike<number>[]; state: ArrayLike<number>[] }> = [];
      for (const p of [plan, ev.plan]) {
        const program = await cpuBackend().load(p);
        const r = await program.run({ steps: g.steps, inputs, record: spikes });
        // Traces of the event form through their views (half bits for float16, as the dense buffers).
        const read = async (b: string) => {
          const view = p === plan ? undefined : ev.views.get(b);
          if (!view) return program.read(b);
          const contents = new Map<string, ArrayLike<number>>();
          for (const x of view.kind === 'shared' ? [view.buffer, view.delays, view.classOf] : [])
            if (x !== undefined) contents.set(x, await program.read(x));
          return readView(view, (x) => contents.get(x) as ArrayLike<number>);
        };
        const state: ArrayLike<number>[] = [];
        for (const b of [...kernels, ...traces]) state.push(await read(b));
        results.push({ spikes: spikes.map((b) => r.records[b]!), state });
        program.destroy();
      }
      const [d, e] = results as [(typeof results)[0], (typeof results)[0]];
      for (const [n, b] of spikes.entries())
        expect(Array.from(e.spikes[n]!), b).toEqual(Array.from(d.spikes[n]!));
      for (const [n, b] of [...kernels, ...traces].entries()) {
        expect(e.state[n]!.constructor, b).toBe(d.state[n]!.constructor);
        expect(bitwiseDiffs(e.state[n]!, d.state[n]!), b).toBe(0);
      }
      // The rules did learn, and the traces moved (a comparison of untouched state would prove nothing).
      const k0 = plan.buffers.find((b) => b.name === kernels[0])!.init as Float32Array;
      expect(bitwiseDiffs(k0, e.state[0]!)).toBeGreaterThan(10_000);
      expect(Array.from(e.state[4]!).filter((x) => x !== 0).length).toBeGreaterThan(10_000);
      brain.destroy();
    },
    600_000,
  );

  it('reads shared traces per synapse, refuses what it does not keep with the way out, and restores checkpoints', async () => {
    const registry = cartpoleRegistry();
    const g = golden<BrainGolden>('brain_ab_float32.json');
    const doc = goldenBrainDocument(registry);
    const brain = await Brain.fromConfig(doc, { backend: 'cpu', registry, inputShapes: SHAPES });
    await brain.run({ steps: 60, inputs: goldenInputs(g, 0, 60) });
    const pre = (await brain.readState(['A_excitatory/plasticity/pre_trace']))[
      'A_excitatory/plasticity/pre_trace'
    ]!;
    expect(pre.shape).toEqual([256 * 832]);
    expect(pre.data.some((x) => x > 0)).toBe(true);
    await expect(brain.readState(['A_excitatory/synapses/current_trace'])).rejects.toThrow(
      /not kept by the event-driven form.*eventDriven: false/,
    );
    await expect(
      brain.run({ steps: 1, inputs: goldenInputs(g, 60, 1), record: ['A_excitatory/plasticity/pre_trace'] }),
    ).rejects.toThrow(BrainError);

    // A checkpoint of the event form restores it exactly; the traces summed per row travel as such.
    const bytes = await brain.saveCheckpoint();
    const { state } = await brain.split();
    const paths = Object.keys(flat(state));
    expect(paths).toContain('A_excitatory/synapses/current_trace@rows');
    expect(paths).not.toContain('A_excitatory/synapses/current_trace');
    // The spikes of A_excitatory over the 40 steps after step 60.
    const next40 = async (b: Brain) =>
      Array.from(
        (await b.run({ steps: 40, inputs: goldenInputs(g, 60, 40), record: ['A_excitatory.out_spikes'] }))
          .series['A_excitatory.out_spikes']!.data,
      );
    const cont = await next40(brain);
    const other = await Brain.fromConfig(doc, { backend: 'cpu', registry, inputShapes: SHAPES });
    await other.loadCheckpoint(bytes);
    expect(await next40(other)).toEqual(cont);
    // A dense brain cannot take row sums; an event brain takes a dense checkpoint (traces summed).
    const dense = await Brain.fromConfig(doc, {
      backend: 'cpu',
      registry,
      inputShapes: SHAPES,
      eventDriven: false,
    });
    await expect(dense.loadCheckpoint(bytes)).rejects.toThrow(/row sums/);
    await dense.run({ steps: 60, inputs: goldenInputs(g, 0, 60) });
    const fromDense = await Brain.fromConfig(doc, { backend: 'cpu', registry, inputShapes: SHAPES });
    await fromDense.loadCheckpoint(await dense.saveCheckpoint());
    expect(await next40(fromDense)).toEqual(await next40(dense));
    for (const x of [brain, other, dense, fromDense]) x.destroy();
  }, 600_000);
});

describe("ab_brain in float16 (Spark's default dtype) event-driven on cpu", () => {
  it('equals the dense float16 brain (eventDriven: false) until the row sums part them: spikes, kernels and traces read per synapse bit for bit for 200 steps; checkpoints carry the traces as half bits', async () => {
    const registry = cartpoleRegistry();
    const g = golden<BrainGolden>('brain_ab_float32.json');
    const doc = goldenBrainDocumentFloat16(registry);
    const { event, dense } = await eventAndDense(doc, registry);
    expect(event.eventForm!.dense).toEqual([]);
    expect(event.eventForm!.modules.map((m) => m.op).sort()).toEqual(
      POOLS.flatMap((p) => [`${p}/plasticity.update`, `${p}/synapses`]).sort(),
    );
    // Measured: the synaptic currents, summed per row as they evolve instead of re-summed (float32
    // rounding), first change a spike at step 237 (A_excitatory unit 10); the rules alone are exact
    // for 400 steps (the float16 case of the program-level test above).
    const short = { ...g, steps: 200 };
    const e = await goldenRun(event, short);
    const d = await goldenRun(dense, short);
    for (const p of POOLS) expect(e.spikes[p], p).toEqual(d.spikes[p]);
    for (let k = 0; k < e.snapshots.length; k++)
      for (const [path, data] of Object.entries(e.snapshots[k]!))
        expect(bitwiseDiffs(data, d.snapshots[k]![path]!), `${path} after ${(k + 1) * 100} steps`).toBe(0);
    const trace = e.snapshots[1]!['A_excitatory/plasticity/pre_trace']!;
    expect(trace.filter((x) => x !== 0).length).toBeGreaterThan(10_000);
    // A checkpoint carries the float16 traces as the dense brain does (half bits), and restores them.
    const pre = (s: object) => flat(s)['A_excitatory/plasticity/pre_trace'] as Tensor<'float16'>;
    const mine = pre((await event.split()).state);
    expect(mine.dtype).toBe('float16');
    expect(Array.from(mine.data)).toEqual(Array.from(pre((await dense.split()).state).data));
    const other = await Brain.fromConfig(doc, { backend: 'cpu', registry, inputShapes: SHAPES });
    await other.loadCheckpoint(await event.saveCheckpoint());
    const again = (await other.readState(['A_excitatory/plasticity/pre_trace']))[
      'A_excitatory/plasticity/pre_trace'
    ]!.data;
    expect(bitwiseDiffs(again, trace)).toBe(0);
    for (const b of [event, dense, other]) b.destroy();
  }, 900_000);
});

describe('ab_brain event-driven on webgpu (Dawn on SwiftShader)', () => {
  it('equals the dense webgpu plan for 200 steps — spikes, weights and plasticity traces bit for bit — and the cpu event form', async () => {
    const registry = cartpoleRegistry();
    const g = golden<BrainGolden>('brain_ab_float32.json');
    const doc = goldenBrainDocument(registry);
    const { event, dense } = await eventAndDense(doc, registry, 'webgpu');
    expect(event.backend!.kind).toBe('webgpu');
    expect(dense.eventForm).toBeUndefined();
    expect(event.eventForm!.dense).toEqual([]);
    expect(event.plan.ops.filter((o) => o.op === 'module.events')).toHaveLength(8);
    const short = { ...g, steps: 200 };
    const e = await goldenRun(event, short);
    const d = await goldenRun(dense, short);
    const cpu = await Brain.fromConfig(doc, { backend: 'cpu', registry, inputShapes: SHAPES });
    const c = await goldenRun(cpu, short);
    for (const p of POOLS) {
      expect(e.spikes[p], p).toEqual(d.spikes[p]);
      expect(e.spikes[p], p).toEqual(c.spikes[p]);
      const n = e.spikes[p]!.length / short.steps;
      for (let t = 0; t < short.steps; t++) {
        const got: number[] = [];
        for (let i = 0; i < n; i++) if (e.spikes[p]![t * n + i] !== 0) got.push(i);
        expect(got, `${p} step ${t}`).toEqual(g.outputs.spike_indices[p]![t]);
      }
      // The potentials integrate the row sums, which add the cpu event form's terms in its order.
      expect(e.potentialSums[p], p).toEqual(c.potentialSums[p]);
    }
    for (let k = 0; k < e.snapshots.length; k++)
      for (const [path, data] of Object.entries(e.snapshots[k]!)) {
        expect(bitwiseDiffs(data, d.snapshots[k]![path]!), `${path} after ${(k + 1) * 100} steps`).toBe(0);
        expect(bitwiseDiffs(data, c.snapshots[k]![path]!), `${path} (cpu) after ${(k + 1) * 100} steps`).toBe(
          0,
        );
      }
    // The kernels did learn.
    const k0 = dense.compiledBrain!.plan.buffers.find((b) => b.name === 'A_excitatory/synapses.kernel')!
      .init as Float32Array;
    expect(bitwiseDiffs(k0, e.snapshots[1]!['A_excitatory/synapses/kernel']!)).toBeGreaterThan(1_000);
    for (const b of [event, dense, cpu]) b.destroy();
  }, 900_000);
});
