import { fromFloat16Bits, type Plan } from '@spark-snn/core';
import { describe, expect, it } from 'vitest';
import {
  bitwise,
  clippedKernel,
  EVENT_RULES,
  float16Pool,
  pool,
  rulePool,
  streams,
  withFloat16,
  worstRelative,
} from '../../test/common/event-pool.ts';
import { cpuBackend } from '../backends/cpu/index.ts';
import { eventPlan, readView, writeView } from './plan.ts';

async function run(
  plan: Plan,
  inputs: Record<string, Float32Array | Uint16Array>,
  steps: number,
  read: readonly string[],
) {
  const p = await cpuBackend().load(plan);
  const r = await p.run({ steps, inputs, record: ['s.currents'] });
  const out: Record<string, ArrayLike<number>> = { currents: r.records['s.currents'] as Float32Array };
  for (const b of read) out[b] = await p.read(b);
  p.destroy();
  return out;
}

/**
 * Runs a pool's dense plan and its event form: the kernel bit for bit (and changed), every view of a
 * per-synapse trace bit for bit in the dense buffer's own type, written back and read again the same,
 * refused when values within one key differ. Returns the currents of both.
 */
async function againstDense(
  plan: Plan,
  ev: ReturnType<typeof eventPlan>,
  inputs: Record<string, Float32Array | Uint16Array>,
  steps: number,
  views: readonly string[],
) {
  const clipped = clippedKernel(plan, ev);
  const dense = await run(clipped, inputs, steps, ['s.kernel', ...views]);
  const p = await cpuBackend().load(ev.plan);
  const r = await p.run({ steps, inputs, record: ['s.currents'] });
  const kernel = (await p.read('s.kernel')) as Float32Array;
  expect(bitwise(kernel, dense['s.kernel'] as Float32Array)).toBe(0);
  // The rule did change weights (the comparison is not of two untouched kernels).
  expect(
    bitwise(kernel, clipped.buffers.find((b) => b.name === 's.kernel')!.init as Float32Array),
  ).toBeGreaterThan(20);
  // Per-synapse traces, read from their shared form, are the dense ones.
  for (const v of views) {
    const view = ev.views.get(v)!;
    expect(view.kind).toBe('shared');
    if (view.kind !== 'shared') continue;
    const contents = new Map<string, ArrayLike<number>>();
    for (const b of [view.buffer, view.delays, view.classOf])
      if (b !== undefined) contents.set(b, await p.read(b));
    const read = (b: string) => contents.get(b) as ArrayLike<number>;
    const got = readView(view, read);
    expect(got.constructor, v).toBe(dense[v]!.constructor);
    expect(bitwise(got, dense[v]!), v).toBe(0);
    const size = contents.get(view.buffer)!.length;
    const compact = writeView(view, got, read, size);
    // Written back, the per-synapse view gives the same values (keys no synapse uses are free).
    const again = readView({ ...view, buffer: 'again' }, (b) =>
      b === 'again' ? (compact as Float32Array) : read(b),
    );
    expect(bitwise(again, got)).toBe(0);
    // Values that differ within one key have no shared form.
    const spoiled = got.slice();
    spoiled[0] = (spoiled[0] as number) + 1;
    expect(writeView(view, spoiled, read, size)).toBeUndefined();
  }
  p.destroy();
  return { currents: r.records['s.currents'] as Float32Array, dense };
}

describe('eventPlan on a pool (delays → synapses → plasticity)', () => {
  it.each(EVENT_RULES)(
    '%s: the kernel equals the dense update bit for bit, the currents to float32 rounding',
    async (_n, rule, compat, masks) => {
      const steps = 300;
      const { plan, inputs, traces: views } = rulePool(rule, compat, masks, steps);
      const ev = eventPlan(plan);
      expect(ev.dense).toEqual([]);
      expect(ev.modules.map((m) => [m.op, m.shared, m.integrators, m.inPlace])).toEqual([
        ['s', [], ['current_trace'], []],
        [
          'p.update',
          rule === 'quadruplet_rule_tensor' ? ['pre_trace', 'post_trace'] : ['pre_trace'],
          [],
          ['updated_kernel'],
        ],
      ]);
      expect(ev.plan.ops.map((o) => o.op)).toEqual(
        rule === 'quadruplet_rule_tensor'
          ? ['delay.ring', 'module.events', 'module.events']
          : ['delay.ring', 'module.events', 'module', 'module.events'], // + the per-neuron post trace
      );
      const { currents, dense } = await againstDense(plan, ev, inputs, steps, views);
      // Row sums kept incrementally instead of re-summed: float32 rounding, relative to the row's scale.
      expect(worstRelative(currents, dense.currents as Float32Array)).toBeLessThan(1e-5);
    },
  );

  it('float16 traces and postsynaptic spikes (4 synapse types): the kernel and the traces equal the dense float16 plan bit for bit', async () => {
    const steps = 300;
    const { p32, plan, inputs } = float16Pool(steps);
    const ev = eventPlan(plan);
    expect(ev.dense).toEqual([]);
    expect(ev.modules.map((m) => [m.op, m.shared, m.inPlace])).toEqual([
      ['s', [], []],
      ['p.update', ['pre_trace', 'post_trace'], ['updated_kernel']],
    ]);
    const traces = ['p.update.pre_trace', 'p.update.post_trace'];
    for (const t of traces) expect(ev.views.get(t)).toMatchObject({ kind: 'shared', storage: 'float16' });
    const { dense } = await againstDense(plan, ev, inputs, steps, traces);
    // The traces as the float16 buffers hold them (half bits), float16 values that moved.
    for (const t of traces) {
      expect(dense[t]).toBeInstanceOf(Uint16Array);
      expect(Array.from(dense[t]!).filter((h) => fromFloat16Bits(h) !== 0).length).toBeGreaterThan(20);
    }
    // A trace summed per row is not admitted in float16 storage (the dense row sum adds rounded values).
    const summed = eventPlan(withFloat16(p32, 's', ['current_trace']));
    expect(summed.dense).toEqual([
      { op: 's', reason: 'state "current_trace" is summed per row but stored as float16' },
    ]);
  });

  it('keeps what it cannot prove equivalent dense, with the reason', () => {
    const zenke = eventPlan(pool({ synapses: 'traced_synapses', rule: 'zenke_rule' }).plan);
    expect(zenke.dense).toEqual([
      { op: 'p.update', reason: 'without spikes "target" is not held or decayed by parameters alone' },
    ]);
    const oja = eventPlan(pool({ synapses: 'traced_synapses', rule: 'oja_rule' }).plan);
    expect(oja.dense.map((d) => d.reason)).toEqual([
      'output "updated_kernel": without spikes it is not an input passed through (it changes every step)',
    ]);
    // The dense rule reads the per-synapse spikes, so the delay keeps writing them.
    expect(oja.plan.ops.map((o) => o.op)).toContain('delay.per_synapse');
    // A trace that decays towards a base other than 0 is not summed per row.
    const based = eventPlan(pool({ synapses: 'traced_synapses', synapseConfig: { base: 0.25 } }).plan);
    expect(based.dense).toEqual([
      { op: 's', reason: 'state "current_trace" is per synapse and not summed per row by its only reader' },
    ]);
    // Something reading a trace per synapse keeps the module dense.
    const kept = eventPlan(pool({ synapses: 'traced_synapses' }).plan, {
      keep: new Set(['s.current_trace']),
    });
    expect(kept.dense).toEqual([{ op: 's', reason: 'state "current_trace" is recorded or read' }]);
  });

  it('sums RD traces per row as the linear combination D − R', async () => {
    const steps = 200;
    const { plan } = pool({ synapses: 'rd_traced_synapses' });
    const ev = eventPlan(plan);
    expect(ev.dense).toEqual([]);
    expect(ev.modules.map((m) => m.integrators)).toEqual([['rise_trace', 'decay_trace']]);
    const inputs = streams(steps, '', undefined, 4);
    const dense = await run(plan, inputs, steps, []);
    const event = await run(ev.plan, inputs, steps, []);
    const b = dense.currents as Float32Array;
    expect(worstRelative(event.currents as Float32Array, b)).toBeLessThan(1e-5);
    expect(b.some((x) => Math.abs(x) > 1)).toBe(true);
  });
});

describe('the WebAssembly form of module.events (the cpu default where WebAssembly SIMD exists)', () => {
  /** Runs an event plan with and without WebAssembly: every buffer and the currents bit for bit. */
  async function bothForms(plan: Plan, inputs: Record<string, Float32Array | Uint16Array>, steps: number) {
    const out = [];
    for (const simd of [true, false]) {
      const p = await cpuBackend({ simd }).load(plan);
      const r = await p.run({ steps, inputs, record: ['s.currents'] });
      const buffers: Record<string, ArrayLike<number>> = {};
      for (const b of plan.buffers) buffers[b.name] = await p.read(b.name);
      const groups = (p as unknown as { groups: readonly { ops: readonly string[]; engine: string }[] })
        .groups;
      out.push({ currents: r.records['s.currents'] as Float32Array, buffers, groups });
      p.destroy();
    }
    const [wasm, js] = out as [(typeof out)[number], (typeof out)[number]];
    for (const o of plan.ops.filter((x) => x.op === 'module.events')) {
      expect(wasm.groups, o.name).toContainEqual({ ops: [o.name], engine: 'wasm' });
      expect(js.groups, o.name).toContainEqual({ ops: [o.name], engine: 'js' });
    }
    expect(bitwise(wasm.currents, js.currents)).toBe(0);
    for (const b of plan.buffers) expect(bitwise(wasm.buffers[b.name]!, js.buffers[b.name]!), b.name).toBe(0);
    return wasm;
  }

  it.each(EVENT_RULES)(
    '%s: the same kernel, traces and currents as the JavaScript form, bit for bit',
    async (_n, rule, compat, masks) => {
      const steps = 200;
      const { plan, inputs } = rulePool(rule, compat, masks, steps);
      const ev = eventPlan(plan);
      const wasm = await bothForms(ev.plan, inputs, steps);
      // the rule moved weights (not two untouched kernels)
      const init = ev.plan.buffers.find((b) => b.name === 's.kernel')!.init as Float32Array;
      expect(bitwise(wasm.buffers['s.kernel']!, init)).toBeGreaterThan(20);
    },
  );

  it('float16 traces and spikes, and RD traces summed per row (D − R): as the JavaScript form, bit for bit', async () => {
    const steps = 200;
    const half = float16Pool(steps);
    await bothForms(eventPlan(half.plan).plan, half.inputs, steps);
    const rd = eventPlan(pool({ synapses: 'rd_traced_synapses' }).plan);
    await bothForms(rd.plan, streams(steps, '', undefined, 4), steps);
  });
});
