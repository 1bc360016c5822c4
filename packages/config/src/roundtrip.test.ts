import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBrainConfig, moduleSpecs } from './api.ts';
import type { FieldSpec } from './fields.ts';
import { createRegistry } from './registry.ts';
import { documentToJson, readScfg, readSession, validateDocument, writeScfg } from './scfg.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests walk untyped JSON
type Loose = any;

const registry = createRegistry();

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

function scalarFor(f: FieldSpec): fc.Arbitrary<number> {
  if (f.validators?.includes('positive')) return finite(1e-3, 1e4).filter((x) => x > 0);
  if (f.validators?.includes('zero_one')) return finite(0, 1);
  if (f.validators?.includes('nonnegative')) return finite(0, 1e4);
  return finite(-1e4, 1e4);
}

/** Random overrides for the plain float fields of one module (`prefix__field`). */
function overridesFor(moduleName: string, prefix: string): fc.Arbitrary<Record<string, unknown>> {
  const spec = registry.get(moduleName)!;
  const entries: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of spec.fields) {
    if (f.kind === 'float' && f.name !== 'dt') {
      const s = scalarFor(f);
      entries[`${prefix}${f.name}`] = f.allowsArray
        ? fc.oneof(
            s,
            fc.array(s, { minLength: 1, maxLength: 4 }),
            s.map((x) => ({ __type__: 'jax_array', dtype: 'float32', shape: [1], data: [x] })),
          )
        : s;
    } else if (f.kind === 'bool') entries[`${prefix}${f.name}`] = fc.boolean();
    else if (f.kind === 'dtype' && f.name === 'dtype')
      entries[`${prefix}${f.name}`] = fc.constantFrom('float16', 'float32');
  }
  return fc.record(entries, { requiredKeys: [] });
}

const neuronArb = fc.record({
  type: fc.constantFrom('lif_neuron', 'alif_neuron', 'ad_ex_neuron'),
  units: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 2 }),
  inhibitory_rate: finite(0, 1),
  selfLoop: fc.boolean(),
  soma: fc.constant(0),
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
});

const brainArb = fc
  .record({
    spiker: fc.constantFrom(
      'poisson_spiker',
      'linear_spiker',
      'topological_poisson_spiker',
      'topological_linear_spiker',
    ),
    neurons: fc.array(neuronArb, { minLength: 1, maxLength: 3 }),
    numOutputs: fc.integer({ min: 1, max: 8 }),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    dt: fc.constantFrom(0.1, 0.5, 1, 1.0, 2),
    compress: fc.boolean(),
  })
  .chain((b) =>
    fc.record({
      b: fc.constant(b),
      spikerOverrides: overridesFor(b.spiker, ''),
      somaOverrides: fc.tuple(
        ...b.neurons.map((n) =>
          overridesFor(
            n.type === 'lif_neuron'
              ? 'leaky_soma'
              : n.type === 'alif_neuron'
                ? 'adaptive_leaky_soma'
                : 'adaptive_exponential_soma',
            'soma__',
          ),
        ),
      ),
    }),
  );

function buildBrain({
  b,
  spikerOverrides,
  somaOverrides,
}: fc.Arbitrary<unknown> extends never
  ? never
  : { b: Loose; spikerOverrides: Record<string, unknown>; somaOverrides: Record<string, unknown>[] }) {
  const mods = [
    moduleSpecs(
      'spiker',
      b.spiker,
      { inputs: { signal: ['__call__.signal'] }, config: { seed: b.seed, ...spikerOverrides } },
      registry,
    ).specs,
  ];
  b.neurons.forEach((n: Loose, i: number) => {
    const src = i === 0 ? 'spiker.spikes' : `pool${i - 1}.out_spikes`;
    const r = moduleSpecs(
      `pool${i}`,
      n.type,
      {
        inputs: { in_spikes: n.selfLoop ? [src, `pool${i}.out_spikes`] : [src] },
        config: { seed: n.seed, units: n.units, inhibitory_rate: n.inhibitory_rate, ...somaOverrides[i] },
      },
      registry,
    );
    expect(r.issues).toEqual([]);
    mods.push(r.specs);
  });
  mods.push(
    moduleSpecs(
      'readout',
      'exponential_integrator',
      {
        inputs: { spikes: [`pool${b.neurons.length - 1}.out_spikes`] },
        outputs: { action: 'signal' },
        config: { num_outputs: b.numOutputs, seed: 1 },
      },
      registry,
    ).specs,
  );
  return createBrainConfig(mods, { seed: b.seed, dt: b.dt, registry });
}

describe('property: valid configs round-trip through write → read unchanged', () => {
  it('random brains', () => {
    fc.assert(
      fc.property(brainArb, (arb) => {
        const doc = buildBrain(arb as never);
        const errors = validateDocument(doc, registry).filter((i) => i.severity === 'error');
        expect(errors).toEqual([]);
        const bytes = writeScfg(doc, { registry, compress: arb.b.compress });
        const r = readScfg(bytes, { registry });
        expect(r.issues).toEqual([]);
        if (!r.ok) return;
        expect(r.document.config).toEqual(doc.config);
        expect(r.document.provenance).toBe('spark-snn');
        expect(r.document.behaviour).toBe('corrected');
        expect(r.document.compressed).toBe(arb.b.compress);
      }),
      { numRuns: 40 },
    );
  });
});

describe('property: hostile input yields issues, never exceptions', () => {
  const valid = JSON.parse(
    JSON.stringify(
      documentToJson(
        buildBrain({
          b: {
            spiker: 'poisson_spiker',
            neurons: [{ type: 'lif_neuron', units: [4], inhibitory_rate: 0.2, selfLoop: true, seed: 1 }],
            numOutputs: 2,
            seed: 1,
            dt: 1,
          },
          spikerOverrides: {},
          somaOverrides: [{}],
        } as never),
        registry,
      ),
    ),
  ) as Record<string, unknown>;

  const exercise = (input: Uint8Array | string) => {
    const r = readScfg(input, { registry });
    if (r.ok) {
      validateDocument(r.document, registry);
      writeScfg(r.document, { registry });
    } else expect(r.issues.length).toBeGreaterThan(0);
    readSession(input, { registry });
  };

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => exercise(bytes)),
      { numRuns: 200 },
    );
  });

  it('random JSON', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), (text) => exercise(text)),
      { numRuns: 200 },
    );
  });

  it('random JSON grafted into a valid brain', () => {
    const paths: string[][] = [];
    const walk = (v: unknown, p: string[]) => {
      paths.push(p);
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...p, k]);
    };
    walk(valid, []);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths.filter((p) => p.length > 0)),
        fc.jsonValue({ maxDepth: 3 }),
        (path, value) => {
          const doc = structuredClone(valid);
          let o: Loose = doc;
          for (const k of path.slice(0, -1)) o = o[k];
          o[path[path.length - 1]!] = value;
          exercise(JSON.stringify(doc));
        },
      ),
      { numRuns: 400 },
    );
  });
});
