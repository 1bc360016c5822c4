import { describe, expect, it } from 'vitest';
import { createConfigRegistry } from '../config-bridge.ts';
import { addModule } from './commands.ts';
import { buildSections, checkField, fieldFromValue, initializerFields, registrySchemas } from './fields.ts';
import { createRegistry } from './registry.ts';
import { emptyDocument } from './types.ts';

describe('inspector generation', () => {
  const registry = createConfigRegistry();
  const schemas = registrySchemas(registry);

  it('builds rows from the config JSON Schema with units, defaults, validators and descriptions', () => {
    const r = addModule(emptyDocument(), registry, 'leaky_soma', { x: 0, y: 0 });
    if (!r.ok) throw new Error(r.message);
    const main = buildSections(r.value.config, 'leaky_soma', schemas);
    const tau = main.fields.find((f) => f.name === 'potential_tau');
    expect(tau).toMatchObject({
      widget: 'number',
      units: 'ms',
      default: 20,
      checks: ['positive'],
      allowsInit: true,
    });
    expect(tau?.description).toBeTruthy();
    expect(main.fields.find((f) => f.name === 'dtype')).toMatchObject({
      widget: 'select',
      options: ['float16', 'float32'],
    });
    expect(main.fields.find((f) => f.name === 'seed')?.advanced).toBe(true);
    expect(main.fields.map((f) => f.name)).not.toContain('__metadata__');
    if (!tau) throw new Error('no tau');
    expect(checkField(tau, -1)).toMatch(/> 0/);
    expect(checkField(tau, 5)).toBeUndefined();
    expect(checkField(tau, 'x')).toMatch(/expected a number/);
  });

  it('gives a neuron one section per component, with initializer choices', () => {
    const r = addModule(emptyDocument(), registry, 'lif_neuron', { x: 0, y: 0 });
    if (!r.ok) throw new Error(r.message);
    const main = buildSections(r.value.config, 'lif_neuron', schemas);
    expect(main.sections.map((s) => s.title)).toEqual(
      r.value.config.modules_specs
        ? (r.value.config.modules_specs as Array<{ __data__: { name: string } }>).map((s) => s.__data__.name)
        : [],
    );
    const synapses = main.sections.find((s) => s.type === 'linear_synapses');
    const kernel = synapses?.fields.find((f) => f.name === 'kernel');
    expect(kernel?.widget).toBe('initializer');
    const sub = initializerFields(kernel?.value, kernel?.path ?? []);
    expect(sub.map((f) => f.name)).toEqual(expect.arrayContaining(['scale', 'density']));
    expect(sub.find((f) => f.name === 'density')?.checks).toEqual(['zero_one']);
    // units [1] everywhere, as Spark's editor creates nodes
    expect(main.fields.find((f) => f.name === 'units')?.value).toEqual([1]);
    expect(synapses?.fields.find((f) => f.name === 'units')?.value).toEqual([1]);
  });

  it('infers rows from values when no schema is known', () => {
    const bare = createRegistry();
    const r = addModule(emptyDocument(), bare, 'leaky_soma', { x: 0, y: 0 });
    if (!r.ok) throw new Error(r.message);
    const main = buildSections(r.value.config, 'leaky_soma', registrySchemas(bare));
    expect(main.fields.find((f) => f.name === 'dt')).toMatchObject({
      widget: 'number',
      units: 'ms',
      checks: ['positive'],
    });
    expect(main.fields.find((f) => f.name === 'dtype')?.widget).toBe('select');
    expect(fieldFromValue('units', [3, 4], ['units']).widget).toBe('shape');
    expect(checkField(fieldFromValue('units', [3], ['units']), [0])).toMatch(/positive integers/);
  });
});
