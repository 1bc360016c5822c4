/**
 * Validation is the gate `run` trusts: whatever `validateDocument` accepts, `Brain.fromConfig`
 * compiles and loads (property test), and what it refuses for size is refused before allocation.
 */
import {
  type ConfigDocument,
  createBrainConfig,
  createRegistry,
  estimateResources,
  moduleSpecs,
  validateDocument,
} from '@spark-snn/config';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Brain, BrainError } from '../../src/brain.ts';

const BUDGET = 64 * 2 ** 20;
const INPUT = 4;

/** Values a hostile or careless user may write for a number (mostly sane ones). */
const wild = fc.oneof(
  { arbitrary: fc.double({ min: 0.5, max: 100, noNaN: true, noDefaultInfinity: true }), weight: 6 },
  {
    arbitrary: fc.constantFrom(0, -1, 1e-30, 1e-9, 1e5, 65504, 65520, 1e9, 1e30, 1e39, 1e308, 2 ** 32),
    weight: 1,
  },
);
const seed = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 2 ** 32 - 1 }), weight: 6 },
  { arbitrary: fc.constantFrom(-1, 2 ** 32, 1e30), weight: 1 },
);
const units = fc.oneof(
  { arbitrary: fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 2 }), weight: 4 },
  { arbitrary: fc.constantFrom([1e6], [1e9], [100000, 100000], [3, 2000]), weight: 1 },
);
const somaArb = fc.record({
  kind: fc.constant('soma' as const),
  cls: fc.constantFrom('leaky_soma', 'refractory_leaky_soma', 'adaptive_leaky_soma'),
  dtype: fc.constantFrom('float16', 'float32'),
  seed,
  tau: wild,
  rest: wild,
  threshold: wild,
  resistance: wild,
});
const poolArb = fc.record({
  kind: fc.constant('pool' as const),
  cls: fc.constantFrom('lif_neuron', 'alif_neuron'),
  dtype: fc.constantFrom('float16', 'float32'),
  seed,
  units,
  maxDelay: fc.oneof(fc.constantFrom(8, 1, 1e4, 1e9), wild),
  tau: wild,
});

/** A generated module: a soma fed by currents, or a neuron pool fed by spikes. */
type Gen =
  | {
      kind: 'soma';
      cls: string;
      dtype: string;
      seed: number;
      tau: number;
      rest: number;
      threshold: number;
      resistance: number;
    }
  | {
      kind: 'pool';
      cls: string;
      dtype: string;
      seed: number;
      units: readonly number[];
      maxDelay: number;
      tau: number;
    };

function brainOf(m: Gen, brainSeed: number): ConfigDocument {
  const spec =
    m.kind === 'soma'
      ? moduleSpecs('m', m.cls, {
          inputs: { current: ['__call__.x'] },
          outputs: { out: 'spikes' },
          config: {
            seed: m.seed,
            dtype: m.dtype,
            potential_tau: m.tau,
            potential_rest: m.rest,
            threshold: m.threshold,
            resistance: m.resistance,
          },
        })
      : moduleSpecs('m', m.cls, {
          inputs: { in_spikes: ['__call__.x'] },
          outputs: { out: 'out_spikes' },
          config: {
            _s_units: [...m.units],
            _s_seed: m.seed,
            _s_dtype: m.dtype,
            delays__max_delay: m.maxDelay,
            soma__potential_tau: m.tau,
          },
        });
  const doc = createBrainConfig([spec.specs], { seed: brainSeed });
  doc.config.io_specs = {
    inputs: {
      x: {
        payload_type: m.kind === 'soma' ? 'CurrentArray' : 'SpikeArray',
        shape: [INPUT],
        dtype: null,
        description: null,
      },
    },
    outputs: { out: { payload_type: 'SpikeArray', shape: null, dtype: null, description: null } },
  };
  return doc;
}

describe('validate ok ⇒ compile ok', () => {
  it('every generated config that validates without errors builds, loads and steps on cpu', async () => {
    const registry = createRegistry();
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(somaArb, poolArb), seed, async (m, brainSeed) => {
        const doc = brainOf(m, brainSeed);
        const errors = validateDocument(doc, registry, { memoryBudget: BUDGET }).filter(
          (i) => i.severity === 'error',
        );
        if (errors.length > 0) {
          refused++;
          for (const e of errors) expect(e.message.length).toBeGreaterThan(0);
          return;
        }
        accepted++;
        const brain = await Brain.fromConfig(doc, {
          backend: 'cpu',
          registry,
          memoryBudget: BUDGET,
          inputShapes: { x: [INPUT] },
        });
        const out = await brain.step({ x: new Float32Array(INPUT).fill(1) });
        expect(Object.keys(out)).toEqual(['out']);
        brain.destroy();
      }),
      { numRuns: 120, seed: 19 },
    );
    // both sides of the gate were exercised
    expect(accepted).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(5);
  }, 300_000);
});

describe('resources are refused before allocation', () => {
  it('units [1e9]: validation and Brain.build both refuse it with the path of the units', async () => {
    const registry = createRegistry();
    const doc = brainOf(
      { kind: 'pool', cls: 'lif_neuron', dtype: 'float16', seed: 1, units: [1e9], maxDelay: 8, tau: 20 },
      1,
    );
    const issues = validateDocument(doc, registry, { memoryBudget: BUDGET });
    expect(issues.filter((i) => i.code === 'resources').map((i) => i.path)).toContain(
      'modules_specs[0].config.units',
    );
    const before = process.memoryUsage().rss;
    const err = await Brain.fromConfig(doc, {
      backend: 'cpu',
      registry,
      skipValidation: true,
      memoryBudget: BUDGET,
      inputShapes: { x: [INPUT] },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrainError);
    expect((err as BrainError).issues.some((i) => i.code === 'resources')).toBe(true);
    // nothing close to the 1e9 × 4 bytes of one buffer was allocated
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 2 ** 20);
  });

  it('the estimate bounds the plan the compiler makes (ab_brain-sized pools, cuba-sized somas)', async () => {
    const registry = createRegistry();
    const cases: Gen[] = [
      { kind: 'pool', cls: 'alif_neuron', dtype: 'float32', seed: 1, units: [256], maxDelay: 8, tau: 20 },
      { kind: 'pool', cls: 'lif_neuron', dtype: 'float16', seed: 1, units: [64, 2], maxDelay: 3, tau: 20 },
      {
        kind: 'soma',
        cls: 'adaptive_leaky_soma',
        dtype: 'float32',
        seed: 1,
        tau: 20,
        rest: -60,
        threshold: -50,
        resistance: 1,
      },
    ];
    for (const m of cases) {
      const doc = brainOf(m, 1);
      const est = estimateResources(doc.config, registry, { x: [INPUT] });
      const brain = await Brain.fromConfig(doc, { backend: 'cpu', registry, inputShapes: { x: [INPUT] } });
      const plan = brain.compiledBrain!.plan;
      const elements = plan.buffers.reduce((s, b) => s + b.shape.reduce((a, x) => a * x, 1), 0);
      const estElements = est.modules.reduce((s, x) => s + x.elements, 0);
      expect(estElements, m.cls).toBeGreaterThanOrEqual(elements);
      // an upper bound, not a wild one
      expect(estElements, m.cls).toBeLessThanOrEqual(6 * elements);
      brain.destroy();
    }
  });
});
