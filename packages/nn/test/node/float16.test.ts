/**
 * Spark's float16 mode through `Brain.fromConfig`: `dtype: float16` gives float16 state storage,
 * parameters rounded to float16 on load, and every stored value is the float16 rounding (nearest,
 * ties to even) of what the same step computes in float32 — checked element by element against
 * NumPy's float16 where Python and NumPy are available (CI-optional), else against core's rounding.
 */
import { spawnSync } from 'node:child_process';
import { type ConfigDocument, createBrainConfig, moduleSpecs } from '@spark-snn/config';
import { CounterRng, roundToFloat16, toFloat16Bits } from '@spark-snn/core';
import type { ModuleOpAttrs } from '@spark-snn/kernels';
import { describe, expect, it } from 'vitest';
import { Brain } from '../../src/brain.ts';

/** An adaptive leaky soma (three state variables) fed by `drive`; parameters exact in float16. */
function somaBrain(dtype: 'float16' | 'float32'): ConfigDocument {
  const { specs, issues } = moduleSpecs('soma', 'adaptive_leaky_soma', {
    inputs: { current: ['__call__.drive'] },
    outputs: { spikes: 'spikes' },
    config: {
      dtype,
      potential_rest: -60,
      potential_reset: -52,
      potential_tau: 16,
      resistance: 0.125,
      threshold: -45,
      threshold_tau: 24,
      threshold_delta: 2,
      cooldown: 2,
    },
  });
  expect(issues).toEqual([]);
  return createBrainConfig([specs], { seed: 3 });
}

const N = 64;
const SHAPES = { drive: [N] };

function drive(step: number): Float32Array {
  const rng = new CounterRng(11);
  return Float32Array.from({ length: N }, (_, i) => 100 + 300 * rng.uniform(step, 0, i));
}

/** NumPy's float16 bits of float32 values, or undefined without Python/NumPy. */
function numpyHalfBits(values: Float32Array): Uint16Array | undefined {
  const py = spawnSync(
    'python3',
    [
      '-c',
      'import sys, numpy as np; sys.stdout.buffer.write(np.frombuffer(sys.stdin.buffer.read(), "<f4").astype(np.float16).view("<u2").tobytes())',
    ],
    { input: Buffer.from(values.buffer, values.byteOffset, values.byteLength), maxBuffer: 1 << 26 },
  );
  if (py.status !== 0 || py.stdout.length !== values.length * 2) return undefined;
  return new Uint16Array(py.stdout.buffer, py.stdout.byteOffset, values.length);
}

describe('float16 storage through Brain.fromConfig', () => {
  it('stores a float16 module’s state as float16 and rounds its parameters; float32 stays float32', async () => {
    const half = await Brain.fromConfig(somaBrain('float16'), { backend: 'cpu', inputShapes: SHAPES });
    const full = await Brain.fromConfig(somaBrain('float32'), { backend: 'cpu', inputShapes: SHAPES });
    const dtypes = (b: Brain) =>
      Object.fromEntries(b.compiledBrain!.plan.buffers.map((x) => [x.name, x.dtype] as const));
    const h = dtypes(half);
    expect(h['soma.potential']).toBe('float16');
    expect(h['soma.adaptive_threshold']).toBe('float16');
    expect(Object.values(dtypes(full))).not.toContain('float16');
    const op = half.compiledBrain!.plan.ops.find((o) => o.op === 'module')!;
    const params = (op.attrs as unknown as ModuleOpAttrs).params!;
    for (const v of Object.values(params)) {
      for (const x of typeof v === 'number' ? [v] : Array.from(v)) expect(x).toBe(roundToFloat16(x));
    }
    // recordings and readState come back as numbers, not half bits
    const rec = await half.run({ steps: 5, inputs: { drive: drive(0) }, record: ['soma/potential'] });
    const v = rec.series['soma/potential']!.data;
    expect(v.some((x) => x > 1)).toBe(true);
    for (const x of v) expect(x).toBe(roundToFloat16(x));
    half.destroy();
    full.destroy();
  });

  it('every stored value is the float16 rounding of the float32 step, element by element', async () => {
    const half = await Brain.fromConfig(somaBrain('float16'), { backend: 'cpu', inputShapes: SHAPES });
    const twin = await Brain.fromConfig(somaBrain('float32'), { backend: 'cpu', inputShapes: SHAPES });
    const STATE = ['soma/potential', 'soma/adaptive_threshold', 'soma/refractory'];
    const exact: number[] = [];
    const stored: number[] = [];
    let spikes = 0;
    for (let t = 0; t < 40; t++) {
      // the twin starts the step from the float16 state and computes it in float32 storage
      await twin.merge((await half.split()).state);
      const a = await half.step({ drive: drive(t) });
      const b = await twin.step({ drive: drive(t) });
      spikes += a.spikes!.reduce((n, s) => n + s, 0);
      expect(Array.from(a.spikes!), `spikes at step ${t}`).toEqual(Array.from(b.spikes!));
      const hs = await half.readState(STATE);
      const ts = await twin.readState(STATE);
      for (const k of STATE) {
        exact.push(...ts[k]!.data);
        stored.push(...hs[k]!.data);
      }
    }
    expect(spikes).toBeGreaterThan(20);
    const f32 = Float32Array.from(exact);
    const reference = numpyHalfBits(f32) ?? Uint16Array.from(f32, toFloat16Bits);
    let changed = 0;
    for (let i = 0; i < stored.length; i++) {
      expect(toFloat16Bits(stored[i]!), `element ${i}: f32 ${f32[i]}`).toBe(reference[i]);
      if (stored[i] !== f32[i]) changed++;
    }
    // the rounding was exercised, not only values that are exact in float16
    expect(changed).toBeGreaterThan(stored.length / 4);
    half.destroy();
    twin.destroy();
  });
});

describe('float16 storage on every backend', () => {
  it.each(['webgpu', 'gpujs'] as const)(
    '%s stores the same float16 state and spikes as cpu (emulated or native f16)',
    async (backend) => {
      const cpu = await Brain.fromConfig(somaBrain('float16'), { backend: 'cpu', inputShapes: SHAPES });
      const other = await Brain.fromConfig(somaBrain('float16'), { backend, inputShapes: SHAPES });
      expect(other.backend!.kind).toBe(backend);
      const steps = 60;
      const inputs = {
        drive: Float32Array.from({ length: steps * N }, (_, k) => drive(Math.floor(k / N))[k % N]!),
      };
      const record = ['soma.spikes', 'soma/potential', 'soma/adaptive_threshold'];
      const a = await cpu.run({ steps, inputs, record });
      const b = await other.run({ steps, inputs, record });
      for (const r of record) expect(Array.from(b.series[r]!.data), r).toEqual(Array.from(a.series[r]!.data));
      expect(a.series['soma.spikes']!.data.some((x) => x !== 0)).toBe(true);
      cpu.destroy();
      other.destroy();
    },
    300_000,
  );
});
