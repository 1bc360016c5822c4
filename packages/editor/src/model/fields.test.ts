import { defaultRegistry } from '@spark-snn/config';
import { describe, expect, it } from 'vitest';
import { createConfigRegistry } from '../config-bridge.ts';
import { addModule } from './commands.ts';
import {
  buildSections,
  checkField,
  fieldFromValue,
  initializerFields,
  moduleSections,
  parseFieldText,
  registryFields,
} from './fields.ts';
import { emptyDocument } from './types.ts';

describe('inspector generation', () => {
  const registry = createConfigRegistry();
  const lookup = registryFields(registry);

  it('builds rows from the config JSON Schema with units, defaults, validators and descriptions', () => {
    const r = addModule(emptyDocument(), registry, 'leaky_soma', { x: 0, y: 0 });
    if (!r.ok) throw new Error(r.message);
    const main = moduleSections(r.value.config, 'leaky_soma', lookup);
    const tau = main.fields.find((f) => f.name === 'potential_tau');
    expect(tau).toMatchObject({
      widget: 'number',
      units: 'ms',
      default: 20,
      validatorText: ['Positive (> 0)'],
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
    expect(checkField(tau, -1)).toBe('must be > 0 (got -1)');
    expect(checkField(tau, 5)).toBeUndefined();
    expect(checkField(tau, 'x')).toBe('expected a number, an array, an initializer config, got a string');
    // What is typed is read as the field's type; text of another type is refused, never stored.
    expect(parseFieldText(tau, '2.5e1')).toEqual({ ok: true, value: 25 });
    expect(parseFieldText(tau, 'abc')).toEqual({ ok: false, message: '"abc" is not a number' });
    expect(parseFieldText(tau, '"abc"')).toMatchObject({ ok: false });
    expect(parseFieldText(tau, '[1, 2]')).toEqual({ ok: true, value: [1, 2] });
    // A validator violation has the right type: it is stored and shown as a problem, as in Spark.
    expect(parseFieldText(tau, '-3')).toEqual({ ok: true, value: -3 });
    const seed = main.fields.find((f) => f.name === 'seed');
    if (!seed) throw new Error('no seed');
    expect(parseFieldText(seed, '1.5')).toMatchObject({ ok: false });
  });

  it('gives a neuron one section per component, with initializer choices', () => {
    const r = addModule(emptyDocument(), registry, 'lif_neuron', { x: 0, y: 0 });
    if (!r.ok) throw new Error(r.message);
    const main = moduleSections(r.value.config, 'lif_neuron', lookup);
    expect(main.sections.map((s) => s.title)).toEqual(
      r.value.config.modules_specs
        ? (r.value.config.modules_specs as Array<{ __data__: { name: string } }>).map((s) => s.__data__.name)
        : [],
    );
    const synapses = main.sections.find((s) => s.type === 'linear_synapses');
    const kernel = synapses?.fields.find((f) => f.name === 'kernel');
    expect(kernel?.widget).toBe('initializer');
    const sub = initializerFields(kernel?.value, kernel?.path ?? [], registry);
    expect(sub.map((f) => f.name)).toEqual(expect.arrayContaining(['scale', 'density']));
    expect(sub.find((f) => f.name === 'density')?.validatorText).toEqual(['ZeroOne (in [0, 1])']);
    // The neuron's optional inhibition_mask (a spark-snn extension) is no problem when unset.
    const mask = main.fields.find((f) => f.name === 'inhibition_mask');
    expect(mask?.optional).toBe(true);
    expect(checkField(mask!, undefined)).toBeUndefined();
    for (const f of main.fields) expect(checkField(f, f.value), f.name).toBeUndefined();
    // units [1] everywhere, as Spark's editor creates nodes
    expect(main.fields.find((f) => f.name === 'units')?.value).toEqual([1]);
    expect(synapses?.fields.find((f) => f.name === 'units')?.value).toEqual([1]);
  });

  it('infers rows from values when the module is unknown (seed, dtype and dt described by config)', () => {
    const main = buildSections(
      { seed: 3, dtype: { __type__: 'dtype', name: 'float32' }, dt: 0.5, gain: 2, units: [3] },
      undefined,
      lookup,
    );
    expect(main.fields.find((f) => f.name === 'dt')).toMatchObject({
      widget: 'number',
      units: 'ms',
      validatorText: ['Positive (> 0)'],
    });
    expect(main.fields.find((f) => f.name === 'dtype')?.widget).toBe('select');
    expect(main.fields.find((f) => f.name === 'gain')?.widget).toBe('number');
    expect(fieldFromValue('units', [3, 4], ['units']).widget).toBe('shape');
    expect(checkField(fieldFromValue('units', [3], ['units']), [0])).toMatch(/positive integer/);
  });
});

describe('new documents', () => {
  it("take the controllers' defaults from @spark-snn/config", () => {
    const dflt = (controller: string, field: string) =>
      defaultRegistry.get(controller)?.fields.find((f) => f.name === field)?.default;
    expect(dflt('neuron', 'inhibitory_rate')).toBe(0.2);
    expect(emptyDocument('brain').controller.dt).toBe(dflt('brain', 'dt'));
    const neuron = emptyDocument('neuron').controller;
    expect(neuron.dt).toBe(dflt('neuron', 'dt'));
    expect(neuron.inhibitory_rate).toBe(0.2);
    expect(neuron.units).toEqual([1]);
  });
});
