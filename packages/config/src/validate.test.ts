import { describe, expect, it } from 'vitest';
import { createBrainConfig, moduleSpecs } from './api.ts';
import { defaultRegistry } from './registry.ts';
import { estimateResources, MAX_BUFFER_ELEMENTS } from './resources.ts';
import type { ConfigDocument } from './scfg.ts';
import { readScfg, validateDocument } from './scfg.ts';
import type { ConfigIssue, ModuleSpecs } from './types.ts';

/** `leaky_soma` fed by the brain input `drive`, with config overrides. */
function somaBrain(config: Record<string, unknown> = {}, brain: { seed?: number } = {}): ConfigDocument {
  const soma = moduleSpecs('soma', 'leaky_soma', {
    inputs: { current: ['__call__.drive'] },
    outputs: { spikes: 'spikes' },
    config: { seed: 1, ...config },
  });
  expect(soma.issues).toEqual([]);
  return createBrainConfig([soma.specs], { seed: 1, ...brain });
}

/** A `lif_neuron` pool of `units` fed by `spikes` (declared with `inputSize` units in io_specs). */
function poolBrain(units: number[], inputSize = 4, config: Record<string, unknown> = {}): ConfigDocument {
  const pool = moduleSpecs('pool', 'lif_neuron', {
    inputs: { in_spikes: ['__call__.spikes'] },
    outputs: { out: 'out_spikes' },
    config: { _s_units: units, _s_seed: 3, ...config },
  });
  expect(pool.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const doc = createBrainConfig([pool.specs], { seed: 1 });
  doc.config.io_specs = {
    inputs: { spikes: { payload_type: 'SpikeArray', shape: [inputSize], dtype: null, description: null } },
    outputs: { out: { payload_type: 'SpikeArray', shape: null, dtype: null, description: null } },
  };
  return doc;
}

const errors = (issues: ConfigIssue[]) => issues.filter((i) => i.severity === 'error');
const at = (issues: ConfigIssue[], path: string) => issues.filter((i) => i.path === path);

describe('numeric limits', () => {
  it('refuses seeds outside unsigned 32-bit (module and brain), with the path', () => {
    for (const seed of [-1, 1e30, 2 ** 32]) {
      const m = at(validateDocument(somaBrain({ seed })), 'modules_specs[0].config.seed');
      expect(m.map((i) => [i.severity, i.code])).toEqual([['error', 'invalid_value']]);
      expect(m[0]!.message).toContain('unsigned 32-bit');
      const b = at(validateDocument(somaBrain({}, { seed })), 'seed');
      expect(b.map((i) => i.code)).toEqual(['invalid_value']);
    }
    expect(errors(validateDocument(somaBrain({ seed: 2 ** 32 - 1 })))).toEqual([]);
  });

  it('says when a value overflows float32, and float16 for a float16 module', () => {
    const tau = at(
      validateDocument(somaBrain({ potential_tau: 1e308 })),
      'modules_specs[0].config.potential_tau',
    );
    expect(tau.map((i) => i.code)).toEqual(['out_of_range']);
    expect(tau[0]!.message).toMatch(/overflows float32/);
    const rest = 'modules_specs[0].config.potential_rest';
    const half = at(validateDocument(somaBrain({ potential_rest: -1e5, dtype: 'float16' })), rest);
    expect(half.map((i) => [i.severity, i.code])).toEqual([['error', 'out_of_range']]);
    expect(half[0]!.message).toMatch(/overflows float16 \(largest 65504\)/);
    expect(at(validateDocument(somaBrain({ potential_rest: -1e5, dtype: 'float32' })), rest)).toEqual([]);
  });

  it('refuses a positive parameter that rounds to 0 in float16, accepts it in float32', () => {
    const p = 'modules_specs[0].config.potential_tau';
    const half = at(validateDocument(somaBrain({ potential_tau: 1e-9, dtype: 'float16' })), p);
    expect(half.map((i) => [i.severity, i.code])).toEqual([['error', 'out_of_range']]);
    expect(half[0]!.message).toMatch(/rounds to 0 in float16/);
    const full = at(validateDocument(somaBrain({ potential_tau: 1e-9, dtype: 'float32' })), p);
    expect(full.map((i) => [i.severity, i.code])).toEqual([['warning', 'decay_limit']]);
    expect(full[0]!.message).toMatch(/exactly 0 in float32/);
  });

  it('warns when a decay factor is exactly 1 (float32) or rounds to 1 (float16)', () => {
    const p = 'modules_specs[0].config.potential_tau';
    const f32 = at(validateDocument(somaBrain({ potential_tau: 1e9, dtype: 'float32' })), p);
    expect(f32.map((i) => [i.severity, i.code])).toEqual([['warning', 'decay_limit']]);
    expect(f32[0]!.message).toMatch(/exactly 1 in float32/);
    const f16 = at(validateDocument(somaBrain({ potential_tau: 20000, dtype: 'float16' })), p);
    expect(f16.map((i) => [i.severity, i.code])).toEqual([['warning', 'float16_noop']]);
    expect(at(validateDocument(somaBrain({ potential_tau: 20000, dtype: 'float32' })), p)).toEqual([]);
  });

  it('warns when a float16 learning rate underflows to 0', () => {
    const doc = poolBrain([8], 4, { hebbian_rule__eta: 1e-9, _s_dtype: 'float16' });
    const eta = at(validateDocument(doc), 'modules_specs[0].config.hebbian_rule.eta');
    expect(eta.map((i) => [i.severity, i.code])).toEqual([['warning', 'float16_underflow']]);
    expect(eta[0]!.message).toMatch(/never changes the kernel/);
  });
});

describe('names JavaScript objects reserve', () => {
  it('refuses __proto__ as a brain input, a module and an output name', () => {
    const doc = somaBrain();
    const m = doc.config.modules_specs as ModuleSpecs[];
    m[0]!.inputs.current![0]!.port = '__proto__';
    const input = validateDocument(doc);
    expect(at(input, 'modules_specs[0].inputs.current[0].port').map((i) => i.code)).toEqual(['unsafe_key']);
    const named = somaBrain();
    (named.config.modules_specs as ModuleSpecs[])[0]!.name = 'constructor';
    expect(at(validateDocument(named), 'modules_specs[0].name').map((i) => i.code)).toEqual(['unsafe_key']);
    const out = somaBrain();
    (out.config.modules_specs as ModuleSpecs[])[0]!.outputs = { toString: 'spikes' };
    expect(at(validateDocument(out), 'modules_specs[0].outputs.toString').map((i) => i.code)).toEqual([
      'unsafe_key',
    ]);
  });

  it('refuses an unknown sub-registry', () => {
    const doc = somaBrain();
    const text = JSON.stringify({
      __type__: 'brain_config',
      __cfg__: {
        ...doc.config,
        modules_specs: (doc.config.modules_specs as ModuleSpecs[]).map((m) => ({
          __type__: 'module_specs',
          __data__: { ...m, module_cls: { __module_type__: m.module_cls.name, __subregistry__: 'BOGUS' } },
        })),
      },
    });
    const r = readScfg(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const issues = at(validateDocument(r.document), 'modules_specs[0].module_cls');
    expect(issues.map((i) => [i.severity, i.code])).toEqual([['error', 'invalid_value']]);
    expect(issues[0]!.message).toMatch(/unknown sub-registry "BOGUS"/);
  });

  it('hints that an unknown *_neuron is a template to register first', () => {
    const doc = somaBrain();
    (doc.config.modules_specs as ModuleSpecs[])[0]!.module_cls = {
      name: 'alif_mod_neuron',
      subregistry: 'NEURONS',
    };
    const [issue] = at(validateDocument(doc), 'modules_specs[0].module_cls');
    expect(issue?.code).toBe('unknown_module');
    expect(issue?.hint).toMatch(/custom neuron: register its template \(alif_mod_neuron\.scfg\)/);
  });
});

describe('resource estimate', () => {
  it('refuses units [1e9] before anything is allocated, naming the units', () => {
    const issues = validateDocument(poolBrain([1e9]), undefined, { memoryBudget: 8 * 2 ** 30 });
    const r = issues.filter((i) => i.code === 'resources');
    expect(r.length).toBeGreaterThan(0);
    expect(r.map((i) => i.path)).toContain('modules_specs[0].config.units');
    expect(r.some((i) => /more than the memory budget \(8\.00 GiB\)/.test(i.message))).toBe(true);
  });

  it('refuses a buffer beyond 2^31 − 1 elements whatever the budget', () => {
    const issues = validateDocument(poolBrain([100000, 100000]), undefined, { memoryBudget: Infinity });
    const r = issues.filter((i) => i.code === 'resources');
    expect(r.length).toBeGreaterThan(0);
    expect(r[0]!.message).toContain(String(MAX_BUFFER_ELEMENTS));
  });

  it('refuses a delay ring that a long max_delay makes too large', () => {
    const doc = poolBrain([4], 1000, { delays__max_delay: 1e9 });
    const r = validateDocument(doc, undefined, { memoryBudget: Infinity }).filter(
      (i) => i.code === 'resources',
    );
    expect(r.map((i) => i.path)).toEqual(['modules_specs[0].config.delays.max_delay']);
    expect(r[0]!.message).toMatch(/delay ring of 1000000001 slots × 1000 inputs/);
  });

  it('accepts a brain within its budget and refuses it one byte below its estimate', () => {
    const doc = poolBrain([64], 16);
    const est = estimateResources(doc.config, defaultRegistry);
    const need = Math.max(est.bytes.cpu, est.bytes.webgpu, est.bytes.gpujs);
    const with_ = (memoryBudget: number) =>
      validateDocument(doc, undefined, { memoryBudget }).filter((i) => i.code === 'resources');
    expect(with_(need)).toEqual([]);
    expect(with_(need - 1).map((i) => i.path)).toEqual(['modules_specs[0].config.units']);
  });

  it('counts per-synapse buffers from the input shapes given at run time', () => {
    const doc = poolBrain([64], 16, { _s_dtype: 'float16' });
    delete doc.config.io_specs;
    const unknown = estimateResources(doc.config, defaultRegistry);
    const known = estimateResources(doc.config, defaultRegistry, { spikes: [16] });
    // delays, synapses and the Hebbian rule each hold 64 × 16 per-synapse values, 4 bytes each
    expect(known.bytes.webgpu - unknown.bytes.webgpu).toBeGreaterThanOrEqual(64 * 15 * 3 * 4);
    expect(known.modules[0]!.float16).toBe(true);
    // float16 storage halves the per-element bytes on cpu
    expect(known.bytes.cpu).toBeLessThan(known.bytes.webgpu);
  });
});

describe('neuron templates', () => {
  it('accepts units [] in a neuron_config file (a template) but not inside a brain', () => {
    const pool = poolBrain([8]);
    const neuron = (pool.config.modules_specs as ModuleSpecs[])[0]!;
    const template: ConfigDocument = {
      type: 'neuron_config',
      config: { ...neuron.config, units: [] },
      provenance: 'spark',
      behaviour: 'spark',
      compressed: true,
    };
    expect(errors(validateDocument(template))).toEqual([]);
    expect(errors(validateDocument(template, undefined, { template: false })).map((i) => i.path)).toEqual([
      'units',
    ]);
    neuron.config.units = [];
    expect(errors(validateDocument(pool)).map((i) => i.path)).toContain('modules_specs[0].config.units');
  });
});
