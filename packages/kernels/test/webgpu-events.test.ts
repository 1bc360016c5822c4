// The event-driven synapse domain on webgpu (`module.events`, `delay.ring`): on pools of every rule
// the event form admits, the event plan on webgpu updates the kernel and the shared traces exactly as
// the dense plan on webgpu does (bit for bit), and equals the cpu event form bit for bit — the row sums
// too, which add the same terms in the same order. With and without the event lists (the program's
// lists of spike vectors and of the delay ring, or the kernels testing every unit), on Dawn's
// SwiftShader adapter (a software adapter: these runs say nothing of GPU speed).
import { type GpuDeviceHandle, type Plan, requestGpuDevice } from '@spark-snn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { type WebGpuBackend, webgpuBackend } from '../src/backends/webgpu/index.ts';
import { eventPlan, readView } from '../src/events/plan.ts';
import {
  bitwise,
  clippedKernel,
  EVENT_RULES,
  float16Pool,
  pool,
  rulePool,
  streams,
  worstRelative,
} from './common/event-pool.ts';

let handle: GpuDeviceHandle;
let gpu: WebGpuBackend;
let unlisted: WebGpuBackend;

beforeAll(async () => {
  handle = await requestGpuDevice();
  gpu = await webgpuBackend({ device: handle.device, chunk: 37 });
  unlisted = await webgpuBackend({ device: handle.device, chunk: 37, events: false });
});

afterAll(() => {
  gpu?.destroy();
  unlisted?.destroy();
  handle?.destroy();
});

type Backendish = Pick<WebGpuBackend, 'load'> | ReturnType<typeof cpuBackend>;

/** Runs `plan` for `steps` steps in two runs; the currents recorded and `read` read (through views). */
async function run(
  backend: Backendish,
  plan: Plan,
  ev: ReturnType<typeof eventPlan> | undefined,
  inputs: Record<string, Float32Array | Uint16Array>,
  steps: number,
  read: readonly string[],
) {
  const p = await backend.load(plan);
  // Two runs of uneven length: the ring rows and the step counter carry over between runs.
  const first = Math.floor(steps / 3);
  const slice = (from: number, to: number) =>
    Object.fromEntries(
      Object.entries(inputs).map(([name, data]) => {
        const n = data.length / steps;
        return [name, data.subarray(from * n, to * n)];
      }),
    );
  const a = await p.run({ steps: first, inputs: slice(0, first), record: ['s.currents'] });
  const b = await p.run({ steps: steps - first, inputs: slice(first, steps), record: ['s.currents'] });
  const currents = new Float32Array(a.records['s.currents']!.length + b.records['s.currents']!.length);
  currents.set(a.records['s.currents'] as Float32Array);
  currents.set(b.records['s.currents'] as Float32Array, a.records['s.currents']!.length);
  const out: Record<string, ArrayLike<number>> = { currents };
  for (const name of read) {
    const view = ev?.views.get(name);
    if (view === undefined) {
      out[name] = await p.read(name);
      continue;
    }
    const contents = new Map<string, ArrayLike<number>>();
    for (const x of view.kind === 'shared' ? [view.buffer, view.delays, view.classOf] : [])
      if (x !== undefined) contents.set(x, await p.read(x));
    out[name] = readView(view, (x) => contents.get(x) as ArrayLike<number>);
  }
  const info = 'info' in p ? (p.info as { schedule: { eventLists: readonly string[] } }) : undefined;
  p.destroy();
  return { out, lists: info?.schedule.eventLists ?? [] };
}

/**
 * The event plan on webgpu (with and without lists) against the dense plan on webgpu and the event
 * plan on cpu: kernel and traces bit for bit, currents bit for bit with the cpu event form and within
 * float32 rounding of the dense row sums.
 */
async function againstDense(
  plan: Plan,
  ev: ReturnType<typeof eventPlan>,
  inputs: Record<string, Float32Array | Uint16Array>,
  steps: number,
  traces: readonly string[],
) {
  const read = ['s.kernel', ...traces];
  const dense = (await run(gpu, clippedKernel(plan, ev), undefined, inputs, steps, read)).out;
  const listed = await run(gpu, ev.plan, ev, inputs, steps, read);
  const plain = (await run(unlisted, ev.plan, ev, inputs, steps, read)).out;
  const cpu = (await run(cpuBackend(), ev.plan, ev, inputs, steps, read)).out;
  // The ring keeps a list (its delay pushes it), and so do the spikes the rule reads per row.
  expect(listed.lists.some((b) => b.endsWith('.ring'))).toBe(true);
  for (const name of read) {
    expect(bitwise(listed.out[name]!, dense[name]!), `${name}: event vs dense`).toBe(0);
    expect(bitwise(plain[name]!, dense[name]!), `${name}: event without lists vs dense`).toBe(0);
    expect(bitwise(listed.out[name]!, cpu[name]!), `${name}: webgpu vs cpu event form`).toBe(0);
  }
  // The rule did change weights, the traces moved.
  const k0 = ev.plan.buffers.find((b) => b.name === 's.kernel')!.init as Float32Array;
  expect(bitwise(k0, listed.out['s.kernel']!)).toBeGreaterThan(20);
  for (const t of traces)
    expect(Array.from(listed.out[t]!).filter((x) => x !== 0).length, t).toBeGreaterThan(20);
  // Row sums: the cpu event form's bit for bit; the dense sums within float32 rounding of the row.
  const a = listed.out.currents as Float32Array;
  expect(bitwise(a, cpu.currents!)).toBe(0);
  expect(bitwise(plain.currents!, cpu.currents!)).toBe(0);
  const b = dense.currents as Float32Array;
  expect(worstRelative(a, b)).toBeLessThan(1e-5);
  expect(b.some((x) => Math.abs(x) > 1)).toBe(true);
}

describe('module.events and delay.ring on webgpu', () => {
  it.each(EVENT_RULES)(
    '%s: equals the dense plan and the cpu event form bit for bit',
    async (_n, rule, compat, masks) => {
      const steps = 200;
      const { plan, inputs, traces } = rulePool(rule, compat, masks, steps);
      const ev = eventPlan(plan);
      expect(ev.dense).toEqual([]);
      expect(ev.plan.ops.filter((o) => o.op === 'module.events')).toHaveLength(2);
      await againstDense(plan, ev, inputs, steps, traces);
    },
  );

  it('float16 traces and postsynaptic spikes (4 synapse types): bit for bit with the dense float16 plan', async () => {
    const steps = 200;
    const { plan, inputs } = float16Pool(steps);
    const ev = eventPlan(plan);
    expect(ev.dense).toEqual([]);
    await againstDense(plan, ev, inputs, steps, ['p.update.pre_trace', 'p.update.post_trace']);
  });

  it('sums RD traces per row as the linear combination D − R, as the cpu event form', async () => {
    const steps = 150;
    const { plan } = pool({ synapses: 'rd_traced_synapses' });
    const ev = eventPlan(plan);
    expect(ev.modules.map((m) => m.integrators)).toEqual([['rise_trace', 'decay_trace']]);
    const inputs = streams(steps, '', undefined, 4);
    const dense = (await run(gpu, plan, undefined, inputs, steps, [])).out.currents!;
    const event = (await run(gpu, ev.plan, ev, inputs, steps, [])).out.currents!;
    const plain = (await run(unlisted, ev.plan, ev, inputs, steps, [])).out.currents!;
    const cpu = (await run(cpuBackend(), ev.plan, ev, inputs, steps, [])).out.currents!;
    expect(bitwise(event, cpu)).toBe(0);
    expect(bitwise(plain, cpu)).toBe(0);
    expect(worstRelative(event, dense)).toBeLessThan(1e-5);
    expect(Array.from(dense).some((x) => Math.abs(x) > 1)).toBe(true);
  });
});
