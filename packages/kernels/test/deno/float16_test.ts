// Deno: native float16 storage. wgpu on Mesa lavapipe offers `shader-f16`, so here the webgpu
// backend stores float16 buffers as `array<f16>`; the same plan run with `float16: 'emulated'`
// (f32 storage rounded to half) on the same adapter must give bit-identical half values, and the
// cpu backend agrees to one ulp (it rounds from float64, the GPUs from f32).
import { fromFloat16Bits } from '@spark-snn/core';
import { cpuBackend } from '../../src/backends/cpu/index.ts';
import { type WebGpuProgram, webgpuBackend } from '../../src/backends/webgpu/index.ts';
import { wasmSimdSupported } from '../../src/codegen/wasm-memory.ts';
import { compareFloat16Runs, float16Plan, HALF_INFINITY, runFloat16Plan } from '../common/float16.ts';
import { expectedHalfBits, float16Conversion } from '../common/wasm-float16.ts';

declare const Deno: { test(name: string, fn: () => Promise<void>): void };
declare const navigator: { gpu: GPU };

function assert(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

Deno.test('webgpu: float16 buffers are native array<f16> where the adapter has shader-f16', async () => {
  const adapter = await navigator.gpu.requestAdapter();
  assert(
    adapter?.features.has('shader-f16') === true,
    'this adapter lacks shader-f16: the native float16 path is not exercised here',
  );
  const gpu = await webgpuBackend();
  try {
    assert(gpu.float16 === 'native', `backend reports float16 ${gpu.float16}`);
    const p = await gpu.load(float16Plan());
    assert(p.info.float16 === 'native', `program reports ${JSON.stringify(p.info)}`);
    assert(p.info.float16Buffers === 5, `float16 buffers ${p.info.float16Buffers}`);
    p.destroy();
  } finally {
    gpu.destroy();
  }
});

Deno.test('webgpu: native float16 storage is bit-identical to the emulation and halves the bytes', async () => {
  const native = await webgpuBackend();
  const emulated = await webgpuBackend({ float16: 'emulated' });
  try {
    const infos: WebGpuProgram['info'][] = [];
    const keep = (p: unknown) => infos.push((p as WebGpuProgram).info);
    const a = await runFloat16Plan(native, keep);
    const b = await runFloat16Plan(emulated, keep);
    const [ia, ib] = infos as [WebGpuProgram['info'], WebGpuProgram['info']];
    assert(ia.float16 === 'native' && ib.float16 === 'emulated', JSON.stringify(infos));
    const diff = compareFloat16Runs(a, b);
    assert(diff.length === 0, `native vs emulated:\n${diff.join('\n')}`);
    // Every buffer of the plan is float16 (33 + 33 + 33 + 33 + 66 elements, odd lengths padded).
    assert(ib.bufferBytes === 198 * 4, `emulated bytes ${ib.bufferBytes}`);
    assert(ia.bufferBytes === 4 * 68 + 132, `native bytes ${ia.bufferBytes}`);
    // The run reached the overflow case (so ±∞ travels identically through both forms).
    assert((a.records['h.o'] as Uint16Array).includes(HALF_INFINITY), 'no +∞ in h.o');
    const c = await runFloat16Plan(cpuBackend());
    const dc = compareFloat16Runs(a, c, 1);
    assert(dc.length === 0, `native vs cpu:\n${dc.join('\n')}`);
  } finally {
    native.destroy();
    emulated.destroy();
  }
});

Deno.test("cpu: float16 storage in WebAssembly SIMD stores the JavaScript loop's half bits", async () => {
  assert(wasmSimdSupported(), 'no WebAssembly SIMD in this Deno');
  const js = await runFloat16Plan(cpuBackend({ simd: false }));
  const diff = compareFloat16Runs(js, await runFloat16Plan(cpuBackend()));
  assert(diff.length === 0, `JavaScript vs WebAssembly:\n${diff.join('\n')}`);
  // the conversions themselves: every half loads exactly, and a sweep of float32 patterns stores as core
  const n = 1 << 16;
  const g = float16Conversion(n);
  if ('unsupported' in g) throw new Error(g.unsupported);
  for (let b = 0; b < n; b++) {
    g.h[b] = b;
    g.xBits[b] = Math.imul(b, 0x9e3779b1) >>> 0;
  }
  g.run();
  for (let b = 0; b < n; b++) {
    assert(Object.is(g.y[b], fromFloat16Bits(b)), `load ${b.toString(16)}: ${g.y[b]}`);
    const bits = g.xBits[b] as number;
    assert(g.o[b] === expectedHalfBits(bits), `store ${bits.toString(16)}: ${g.o[b]}`);
  }
});
