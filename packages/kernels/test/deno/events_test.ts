// Deno (wgpu on Mesa lavapipe, which has shader-f16): the event-driven form on webgpu with native
// float16 storage — the rule's postsynaptic spikes are an `array<f16>` binding of the event kernels
// there, which Dawn's SwiftShader (emulated float16) never exercises. The kernel and the float16
// traces equal the cpu event form bit for bit (test/webgpu-events.test.ts has the emulated case).
import type { Backend } from '@spark-snn/core';
import { cpuBackend } from '../../src/backends/cpu/index.ts';
import { type WebGpuProgram, webgpuBackend } from '../../src/backends/webgpu/index.ts';
import { eventPlan, readView } from '../../src/events/plan.ts';
import { bitwise, float16Pool } from '../common/event-pool.ts';

declare const Deno: { test(name: string, fn: () => Promise<void>): void };

function assert(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

Deno.test('module.events with native float16 spikes and traces: webgpu equals the cpu event form bit for bit', async () => {
  const steps = 120;
  const { plan, inputs } = float16Pool(steps);
  const ev = eventPlan(plan);
  assert(ev.dense.length === 0, JSON.stringify(ev.dense));
  const names = ['s.kernel', 'p.update.pre_trace', 'p.update.post_trace'];
  const run = async (b: Backend) => {
    const p = await b.load(ev.plan);
    await p.run({ steps, inputs });
    const out: ArrayLike<number>[] = [];
    for (const name of names) {
      const view = ev.views.get(name);
      if (view?.kind !== 'shared') {
        out.push(await p.read(name));
        continue;
      }
      const buf = await p.read(view.buffer);
      const classes = view.classOf ? await p.read(view.classOf) : undefined;
      const delays = view.delays ? await p.read(view.delays) : undefined;
      out.push(
        readView(
          view,
          (x) => (x === view.buffer ? buf : x === view.classOf ? classes : delays) as ArrayLike<number>,
        ),
      );
    }
    const info = (p as Partial<WebGpuProgram>).info;
    p.destroy();
    return { out, info };
  };
  const gpu = await webgpuBackend();
  try {
    const g = await run(gpu);
    assert(g.info?.float16 === 'native', `float16 ${g.info?.float16}: the native path is not exercised`);
    const c = await run(cpuBackend());
    for (const [n, name] of names.entries())
      assert(
        bitwise(g.out[n] as ArrayLike<number>, c.out[n] as ArrayLike<number>) === 0,
        `${name}: webgpu vs cpu`,
      );
    const k0 = ev.plan.buffers.find((b) => b.name === 's.kernel')?.init as Float32Array;
    assert(
      bitwise(k0, g.out[0] as ArrayLike<number>) > 20,
      'the rule changed no weight: the run tests nothing',
    );
  } finally {
    gpu.destroy();
  }
});
