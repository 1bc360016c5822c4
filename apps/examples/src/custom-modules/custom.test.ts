import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeScfg } from '@spark-snn/config';
import { attachModules, Brain, CustomModuleError, defineModule, loadModel } from '@spark-snn/nn';
import { describe, expect, it } from 'vitest';
import { customBrain, registerCustomModules } from './network.ts';

const STEPS = 300;
const N_IN = 20;
const N = 16;

function rates(): Float32Array {
  const r = new Float32Array(N_IN);
  for (let i = 0; i < N_IN; i++) r[i] = (i + 1) / N_IN;
  return r;
}

async function simulate(backend: 'cpu' | 'webgpu' | 'gpujs', steps = STEPS) {
  const setup = registerCustomModules();
  const brain = await Brain.fromConfig(customBrain(setup), {
    backend,
    registry: setup.registry,
    lowerings: setup.lowerings,
    inputShapes: { rates: [N_IN] },
  });
  const kernel0 = (await brain.readState(['pool/synapses/kernel']))['pool/synapses/kernel']!.data.slice();
  const rec = await brain.run({
    steps,
    inputs: { rates: rates() },
    record: ['encoder.spikes', 'pool.out_spikes'],
  });
  const kernel = (await brain.readState(['pool/synapses/kernel']))['pool/synapses/kernel']!.data.slice();
  brain.destroy();
  return {
    encoder: rec.series['encoder.spikes']!.data,
    pool: rec.series['pool.out_spikes']!.data,
    kernel0,
    kernel,
  };
}

/** An independent, plain float32 implementation of linear synapses → QIF soma → nearest-spike STDP. */
function reference(encoder: Float32Array, kernel0: Float32Array, steps: number) {
  const f = Math.fround;
  const W = Float32Array.from(kernel0);
  const v = new Float32Array(N).fill(-65);
  const preTrace = new Float32Array(N * N_IN);
  const postTrace = new Float32Array(N * N_IN);
  const spikes = new Float32Array(steps * N);
  const dPlus = f(Math.exp(-1 / 20));
  const dMinus = f(Math.exp(-1 / 20));
  for (let t = 0; t < steps; t++) {
    // one step of latency between encoder and pool (Brain semantics)
    const s = t === 0 ? new Float32Array(N_IN) : encoder.subarray((t - 1) * N_IN, t * N_IN);
    const post = new Float32Array(N);
    for (let i = 0; i < N; i++) {
      let I = 0;
      for (let j = 0; j < N_IN; j++) I = f(I + f(W[i * N_IN + j]! * s[j]!));
      const drive = f(f(f(f(0.04 * f(v[i]! + 65)) * f(v[i]! + 50)) + f(1 * I)));
      v[i] = f(v[i]! + f(f(1 / 10) * drive));
      if (v[i]! > 30) {
        post[i] = 1;
        v[i] = -70;
      }
      spikes[t * N + i] = post[i]!;
    }
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N_IN; j++) {
        const k = i * N_IN + j;
        preTrace[k] = s[j]! > 0 ? 1 : f(preTrace[k]! * dPlus);
        postTrace[k] = post[i]! > 0 ? 1 : f(postTrace[k]! * dMinus);
        const w = f(f(W[k]! + f(f(0.01 * preTrace[k]!) * post[i]!)) - f(f(0.012 * postTrace[k]!) * s[j]!));
        W[k] = Math.min(Math.max(w, 0), 5);
      }
    }
  }
  return { spikes, kernel: W };
}

describe('custom modules: quadratic soma, nearest-spike STDP, rate encoder', () => {
  it('match an independent hand-written reference on cpu', async () => {
    const run = await simulate('cpu');
    const ref = reference(run.encoder, run.kernel0, STEPS);
    const total = run.pool.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(20); // the network is active
    expect(Array.from(run.pool)).toEqual(Array.from(ref.spikes));
    for (let k = 0; k < ref.kernel.length; k++) expect(run.kernel[k]).toBeCloseTo(ref.kernel[k]!, 5);
    expect(Array.from(run.kernel)).not.toEqual(Array.from(run.kernel0)); // STDP changed the weights
    // rate encoder: P(spike) = clamp(x)·max_rate·dt = x·0.2
    for (const i of [4, 19]) {
      let n = 0;
      for (let t = 0; t < STEPS; t++) n += run.encoder[t * N_IN + i]!;
      const p = ((i + 1) / N_IN) * 0.2;
      expect(Math.abs(n - STEPS * p)).toBeLessThan(5 * Math.sqrt(STEPS * p * (1 - p)));
    }
  });

  it('give identical spikes on cpu, webgpu and gpujs (same seed)', async () => {
    const cpu = await simulate('cpu', 120);
    for (const backend of ['webgpu', 'gpujs'] as const) {
      const other = await simulate(backend, 120);
      expect(cpu.pool.some((x) => x !== 0)).toBe(true);
      expect(Array.from(other.encoder), `${backend} encoder`).toEqual(Array.from(cpu.encoder));
      expect(Array.from(other.pool), `${backend} pool`).toEqual(Array.from(cpu.pool));
    }
  }, 300_000);

  it('travel inside a model file and run identically after loading it', async () => {
    const setup = registerCustomModules();
    const doc = attachModules(customBrain(setup), setup.modules, {
      neurons: setup.neurons,
      registry: setup.registry,
    });
    const bytes = writeScfg(doc, { registry: setup.registry });
    const loaded = loadModel(bytes);
    expect(loaded.modules.map((m) => m.name)).toEqual(['quadratic_soma', 'nearest_stdp', 'rate_encoder']);
    const a = await simulate('cpu', 100);
    const brain = await Brain.fromConfig(loaded.document, {
      backend: 'cpu',
      registry: loaded.registry,
      lowerings: loaded.lowerings,
      inputShapes: { rates: [N_IN] },
    });
    const rec = await brain.run({ steps: 100, inputs: { rates: rates() }, record: ['pool.out_spikes'] });
    expect(Array.from(rec.series['pool.out_spikes']!.data)).toEqual(Array.from(a.pool));
    brain.destroy();
  });

  it('loads and runs in a fresh process from the file alone', async () => {
    const setup = registerCustomModules();
    const doc = attachModules(customBrain(setup), setup.modules, {
      neurons: setup.neurons,
      registry: setup.registry,
    });
    const dir = mkdtempSync(join(tmpdir(), 'spark-custom-'));
    const file = join(dir, 'model.scfg');
    writeFileSync(file, writeScfg(doc, { registry: setup.registry }));
    const here = dirname(fileURLToPath(import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'load.ts'), file, '100'], {
      cwd: join(here, '..', '..'),
      encoding: 'utf8',
    });
    const fresh = JSON.parse(out.trim().split('\n').pop()!) as { modules: string[]; perUnit: number[] };
    expect(fresh.modules).toEqual(['quadratic_soma', 'nearest_stdp', 'rate_encoder']);
    const local = await simulate('cpu', 100);
    const perUnit = Array.from({ length: N }, (_, i) => {
      let n = 0;
      for (let t = 0; t < 100; t++) n += local.pool[t * N + i]!;
      return n;
    });
    expect(fresh.perUnit).toEqual(perUnit);
    expect(perUnit.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 120_000);

  it('name the unknown module when a file lacks its definition', () => {
    const setup = registerCustomModules();
    const bytes = writeScfg(customBrain(setup), { registry: setup.registry });
    expect(() => loadModel(bytes)).toThrow(/rate_encoder/);
  });

  it('reject malicious or broken definitions without executing anything', () => {
    const base = { name: 'evil', kind: 'generic' as const };
    const cases: Array<[string, unknown, RegExp]> = [
      [
        'unknown function',
        'module evil over unit\ninput x: FloatArray f32\noutput y: FloatArray f32\ny = eval(x)\n',
        /eval|unknown|reserved/i,
      ],
      [
        'prototype key',
        'module evil over unit\ninput __proto__: FloatArray f32\noutput y: FloatArray f32\ny = 1\n',
        /__proto__|identifier|reserved|invalid/i,
      ],
      [
        'constructor trick',
        'module evil over unit\ninput x: FloatArray f32\noutput y: FloatArray f32\ny = x.constructor\n',
        /bad number|constructor|unexpected|expected/i,
      ],
      [
        'infinite expression',
        'module evil over unit\ninput x: FloatArray f32\noutput y: FloatArray f32\ny = 1 / 0\n',
        /zero|infinite|finite/i,
      ],
      [
        '10 MB expression',
        `module evil over unit\ninput x: FloatArray f32\noutput y: FloatArray f32\ny = ${'x + '.repeat(2_600_000)}x\n`,
        /too (long|large)|limit|characters/i,
      ],
      ['not a definition', { name: 'evil', params: 'nope' }, /definition/i],
    ];
    for (const [what, definition, pattern] of cases) {
      let thrown: unknown;
      try {
        defineModule({ ...base, definition: definition as string });
      } catch (e) {
        thrown = e;
      }
      expect(thrown, what).toBeInstanceOf(CustomModuleError);
      expect((thrown as Error).message, what).toMatch(pattern);
    }
    expect(() => defineModule({ name: '__proto__', kind: 'soma', definition: '' })).toThrow(/snake_case/);
    expect(() => defineModule({ name: 'x', kind: 'toString' as 'soma', definition: '' })).toThrow(/kind/);
  });
});
