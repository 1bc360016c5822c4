import { describe, expect, it } from 'vitest';
import { CORRECTED, SPARK_COMPAT } from '../library/compat.ts';
import { LIBRARY } from '../library/registry.ts';
import { configSchema } from '../library/schema.ts';
import { defineModule } from './builder.ts';
import { checkDefinition, DefinitionError } from './check.ts';
import { parseDefinition } from './parser.ts';
import { bindSchema, type ParamSchema } from './schema.ts';
import { parseUnit, unitEquals } from './units.ts';

const SCHEMA: ParamSchema = {
  module: 'toy',
  fields: [
    { name: 'tau', default: 20, units: 'ms', validators: ['positive'], description: 'Time constant.' },
    { name: 'r', default: 0.1, units: 'GΩ', description: 'Resistance.' },
    { name: 'gain', default: [2, 2, 2, 2], description: 'Per-type gain.' },
    { name: 'mixed', default: [1, 2], description: 'Not uniform.' },
    { name: 'lo', default: null, description: 'Lower bound (None = none).' },
    { name: 'flag', default: true, description: 'A switch.' },
    { name: 'glue', default: 0, validators: ['binary'], description: 'Binary.' },
    { name: 'odd', default: 1, validators: ['prime'], description: 'Unknown validator.' },
    { name: 'weird', default: 1, units: 'furlong', description: 'Unknown unit.' },
  ],
};

function issues(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof DefinitionError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('bindSchema: parameters declared once, in the config schema', () => {
  it('fills default, unit, validators and description from the fields', () => {
    const def = parseDefinition(
      'module toy\nparam tau: f32 per unit\nparam r: f32 [GOhm]\nparam gain: f32\nparam lo: f32 = -5\nparam flag: f32\nparam glue: f32\nparam _k: f32 = 3 [ms] positive internal\noutput o: FloatArray\no = r * tau / _k * gain + lo + flag + glue',
    );
    const bound = bindSchema(def, SCHEMA);
    expect(bound.params).toEqual([
      {
        name: 'tau',
        type: 'f32',
        extent: 'unit',
        default: 20,
        unit: 'ms',
        validators: ['positive'],
        doc: 'Time constant.',
      },
      { name: 'r', type: 'f32', default: 0.1, unit: 'GΩ', doc: 'Resistance.' },
      // A list whose entries are equal binds as that value (a per-type tuple expanded on the host).
      { name: 'gain', type: 'f32', default: 2, doc: 'Per-type gain.' },
      // A null default: the definition's value stands for null.
      { name: 'lo', type: 'f32', default: -5, doc: 'Lower bound (None = none).' },
      { name: 'flag', type: 'f32', default: 1, doc: 'A switch.' },
      { name: 'glue', type: 'f32', default: 0, validators: ['binary'], doc: 'Binary.' },
      // Internal parameters stay as declared.
      { name: '_k', type: 'f32', default: 3, unit: 'ms', validators: ['positive'], internal: true },
    ]);
    expect(() => checkDefinition(bound)).not.toThrow();
    // The stated unit GOhm and the schema's GΩ are the same unit.
    expect(unitEquals(parseUnit('GOhm')!, parseUnit('GΩ')!)).toBe(true);
    // Without units (equations in plain numbers) no unit is attached.
    expect(
      bindSchema(parseDefinition('module toy\nparam tau: f32'), SCHEMA, { units: false }).params,
    ).toEqual([{ name: 'tau', type: 'f32', default: 20, validators: ['positive'], doc: 'Time constant.' }]);
  });

  it('rejects every second declaration and every gap with the parameter and the schema named', () => {
    const def = parseDefinition(
      [
        'module toy',
        'param tau: f32 = 5 [ms] positive',
        'param missing: f32',
        'param r: f32 [mV]',
        'param lo: f32',
        'param mixed: f32',
        'param odd: f32',
        'param weird: f32',
        'param glue: f32 = 1 internal',
        'output o: FloatArray',
        'o = tau',
      ].join('\n'),
    );
    expect(issues(() => bindSchema(def, SCHEMA))).toEqual([
      'params[0]: parameter "tau" declares validators; they come from the toy config schema',
      'params[0]: parameter "tau" declares a default (5); it comes from the toy config schema (20)',
      'params[1]: parameter "missing" is not a field of the toy config schema (fields: tau, r, gain, mixed, lo, flag, glue, odd, weird); add it there, or mark it internal',
      'params[2]: parameter "r" needs the unit [mV]; the field of the toy config schema is in [GΩ]',
      'params[3]: parameter "lo" needs a default: the value that stands for null (the field\'s default in the toy config schema is null)',
      'params[4]: parameter "mixed" has a default in the toy config schema that is not a number: [1,2]',
      'params[5]: parameter "odd" has the validator "prime" in the toy config schema, which the equation language does not know',
      'params[6]: parameter "weird" has the unit "furlong" in the toy config schema, which the equation language does not know',
      'params[7]: parameter "glue" is a field of the toy config schema; drop "internal" and its own default, unit and validators',
    ]);
    // A unit the definition needs where the schema has none.
    expect(issues(() => bindSchema(parseDefinition('module toy\nparam gain: f32 [pA]'), SCHEMA))).toEqual([
      'params[0]: parameter "gain" needs the unit [pA]; the field of the toy config schema has no unit',
    ]);
  });

  it('the builder binds at definition time, so a library definition cannot drift from its schema', () => {
    expect(() =>
      defineModule(
        'leaky_soma',
        (m) => {
          m.param('potential_tau', { extent: 'unit', default: 25 });
          m.output('o', { payload: 'FloatArray' });
          m.assign('o', 1);
        },
        { schema: configSchema('leaky_soma') },
      ),
    ).toThrow(
      /parameter "potential_tau" declares a default \(25\); it comes from the leaky_soma config schema \(20\)/,
    );
    expect(() => configSchema('no_such_module')).toThrow(/no config schema "no_such_module"/);
  });

  it('every library definition takes each config parameter from its schema (default, unit, validators, description)', () => {
    let bound = 0;
    let internal = 0;
    for (const e of Object.values(LIBRARY)) {
      const fields = configSchema(e.name).fields;
      for (const compat of [CORRECTED, SPARK_COMPAT])
        for (const async of [false, true])
          for (const d of e.definitions(compat, async))
            for (const p of d.params) {
              if (p.internal === true) {
                expect(
                  fields.some((f) => f.name === p.name),
                  `${e.name}.${p.name}`,
                ).toBe(false);
                internal++;
                continue;
              }
              const f = fields.find((x) => x.name === p.name);
              expect(f, `${e.name}.${p.name}`).toBeDefined();
              expect(p.doc, `${e.name}.${p.name}`).toBe(f?.description);
              expect(p.validators ?? [], `${e.name}.${p.name}`).toEqual(f?.validators ?? []);
              if (p.unit !== undefined) expect(p.unit, `${e.name}.${p.name}`).toBe(f?.units);
              const dflt = f?.default;
              if (typeof dflt === 'number') expect(p.default, `${e.name}.${p.name}`).toBe(dflt);
              else if (Array.isArray(dflt)) expect(p.default, `${e.name}.${p.name}`).toBe(dflt[0]);
              bound++;
            }
    }
    // Every definition of every compatibility mode and spike layout (counted with repeats).
    expect(bound).toBeGreaterThan(250);
    expect(internal).toBeGreaterThan(10);
  });
});
