import {
  createBrainConfig,
  createRegistry,
  defaultRegistry,
  moduleSpecs,
  registerModule,
} from '@spark-snn/config';
import { parseDefinition } from '@spark-snn/kernels/lang';
import { describe, expect, it } from 'vitest';
import { Brain, BrainError } from './brain.ts';
import { defaultLowerings, definitionLowering } from './lowerings/index.ts';

function leakyBrain() {
  const { specs, issues } = moduleSpecs('soma', 'leaky_soma', {
    inputs: { current: ['__call__.drive'] },
    outputs: { spikes: 'spikes' },
    config: { potential_tau: 10, resistance: 0.1 },
  });
  expect(issues).toEqual([]);
  return createBrainConfig([specs], { seed: 7, dt: 1 });
}

describe('Brain with one leaky soma (cpu)', () => {
  it('integrates same-step caller input exactly as the leaky equation says', async () => {
    const brain = await Brain.fromConfig(leakyBrain(), { backend: 'cpu', inputShapes: { drive: [3] } });
    expect(brain.backend?.kind).toBe('cpu');
    const drive = [100, 250, 400];
    const d = Math.exp(-1 / 10);
    const v = [0, 0, 0];
    for (let t = 0; t < 30; t++) {
      const out = await brain.step({ drive });
      for (let i = 0; i < 3; i++) {
        v[i] = d * v[i]! + (1 - d) * 0.1 * drive[i]!;
        const spike = v[i]! > 20;
        if (spike) v[i] = 10; // reset −50 rebased on rest −60
        expect(out.spikes![i]).toBe(spike ? 1 : 0);
      }
    }
    const pot = await brain.readState(['soma.potential']);
    for (let i = 0; i < 3; i++) expect(pot['soma.potential']!.data[i]).toBeCloseTo(v[i]!, 4);
    // 100 pA drives v to 10 mV < 20: never spikes; 400 pA spikes regularly.
    const rec = await brain.run({ steps: 200, inputs: { drive }, record: ['soma.spikes'] });
    const counts = [0, 0, 0];
    rec.series['soma.spikes']!.data.forEach((s, k) => {
      counts[k % 3]! += s;
    });
    expect(counts[0]).toBe(0);
    expect(counts[2]).toBeGreaterThan(counts[1]!);
    brain.destroy();
  });

  it('rejects bad inputs with a path and keeps the last good state', async () => {
    const brain = await Brain.fromConfig(leakyBrain(), { backend: 'cpu', inputShapes: { drive: [3] } });
    await brain.step({ drive: [300, 300, 300] });
    const before = await brain.readState(['soma.potential']);
    await expect(brain.step({ drive: [1, 2] })).rejects.toThrow(/inputs\.drive: has 2 values; expected 3/);
    await expect(brain.step({ drive: [1, Number.NaN, 2] })).rejects.toThrow(/inputs\.drive\[1\]: is NaN/);
    await expect(brain.step({ drive: [1, 2, 3], wind: [1] })).rejects.toThrow(/no input "wind"/);
    await expect(brain.readState(['soma.voltage'])).rejects.toThrow(/soma has no port "voltage"/);
    const after = await brain.readState(['soma.potential']);
    expect(Array.from(after['soma.potential']!.data)).toEqual(Array.from(before['soma.potential']!.data));
    brain.destroy();
  });

  it('reports build progress: each module compiled, then the backend load', async () => {
    const seen: string[] = [];
    const brain = await Brain.fromConfig(leakyBrain(), {
      backend: 'cpu',
      inputShapes: { drive: [3] },
      onProgress: (p) => seen.push(`${p.stage} ${p.done}/${p.total}${p.module ? ` ${p.module}` : ''}`),
    });
    expect(seen).toEqual(['compile 1/1 soma', 'load 0/1', 'load 1/1']);
    brain.destroy();
  });

  it('reports config errors before building', async () => {
    const doc = leakyBrain();
    (doc.config.modules_specs as { config: Record<string, unknown> }[])[0]!.config.potential_tau = -1;
    const err = await Brain.fromConfig(doc, { backend: 'cpu' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrainError);
    expect((err as BrainError).issues.some((i) => i.path.includes('potential_tau'))).toBe(true);
  });
});

describe('Brain step semantics', () => {
  // A test-only module: out = in (FloatArray → FloatArray), to observe the wiring alone.
  const registry = createRegistry();
  registerModule(
    {
      name: 'relay',
      className: 'Relay',
      kind: 'interface',
      fields: [],
      ports: {
        inputs: [{ name: 'x', payload: 'FloatArray', optional: false }],
        outputs: [{ name: 'y', payload: 'FloatArray', optional: false }],
        properties: [],
      },
      docs: 'test relay',
    },
    registry,
  );
  const lowerings = defaultLowerings();
  lowerings.register(
    definitionLowering({
      name: 'relay',
      definition: parseDefinition(
        'module relay over unit\ninput x: FloatArray f32\noutput y: FloatArray f32\ny = x\n',
      ),
      sizeFrom: 'x',
      inputs: { x: 'x' },
      outputs: { y: { name: 'y', payload: 'FloatArray' } },
    }),
  );
  const chain = (order: string[]) => {
    const src: Record<string, string> = { m1: '__call__.signal', m2: 'm1.y', m3: 'm2.y', m4: 'm3.y' };
    const specs = order.map(
      (name) =>
        moduleSpecs(
          name,
          'relay',
          { inputs: { x: [src[name]!] }, ...(name === 'm4' ? { outputs: { out: 'y' } } : {}) },
          registry,
        ).specs,
    );
    return createBrainConfig(specs, { registry });
  };

  for (const order of [
    ['m1', 'm2', 'm3', 'm4'],
    ['m4', 'm3', 'm2', 'm1'],
    ['m3', 'm1', 'm4', 'm2'],
  ]) {
    it(`a pulse reaches module k at step t+k−1 for declaration order ${order.join(',')}`, async () => {
      const brain = await Brain.fromConfig(chain(order), {
        backend: 'cpu',
        registry,
        lowerings,
        inputShapes: { signal: [1] },
      });
      const signal = new Float32Array(8);
      signal[2] = 5;
      const rec = await brain.run({ steps: 8, inputs: { signal }, record: ['m1.y', 'm2.y', 'm3.y', 'm4.y'] });
      for (let k = 1; k <= 4; k++) {
        const expected = new Array(8).fill(0);
        expected[2 + k - 1] = 5;
        expect(Array.from(rec.series[`m${k}.y`]!.data)).toEqual(expected);
      }
      brain.destroy();
    });
  }

  it('exposes the default registry when none is given', () => {
    expect(defaultRegistry.get('leaky_soma')?.kind).toBe('soma');
  });
});
