import { describe, expect, it } from 'vitest';
import { configSchema } from '../library/schema.ts';
import { LEAKY_SOMA_SOURCE, leakySoma } from '../somas/leaky_soma.ts';
import type { ModuleDefinition } from './ast.ts';
import { defineModule, dt, exp, f32, lit, ref, select } from './builder.ts';
import { checkDefinition, DefinitionError } from './check.ts';
import { compileDefinition, instantiate } from './compile.ts';
import { interpretInitialState, interpretStep } from './interpret.ts';
import { ParseError, parseDefinition } from './parser.ts';
import { bindSchema } from './schema.ts';
import { parseUnit, unitEquals } from './units.ts';

function issuesOf(def: ModuleDefinition): string[] {
  try {
    checkDefinition(def);
  } catch (e) {
    expect(e).toBeInstanceOf(DefinitionError);
    return (e as DefinitionError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

const base = (body: string): string => `
module t
param tau: f32 = 20 [ms] positive
param g: f32 = 1
param r: f32 = 0.1 [GOhm]
state v: f32 = 0 [mV]
state k: i32 = 0
input I: CurrentArray f32 [pA]
output out: FloatArray f32
${body}
`;

describe('units', () => {
  it('Spark units are consistent: GOhm·pA = mV, nS·mV = pA', () => {
    const mv = parseUnit('mV');
    expect(mv).toBeDefined();
    expect(unitEquals(parseUnit('GOhm*pA') as never, mv as never)).toBe(true);
    expect(unitEquals(parseUnit('GΩ pA') as never, mv as never)).toBe(true);
    expect(unitEquals(parseUnit('nS*mV') as never, parseUnit('pA') as never)).toBe(true);
    expect(unitEquals(parseUnit('mV') as never, parseUnit('V') as never)).toBe(false);
    expect(parseUnit('furlong')).toBeUndefined();
  });
});

describe('parser', () => {
  it('parses leaky_soma text into the same definition as the builder', () => {
    const { doc: _doc, ...built } = leakySoma;
    // The text names the parameters; their defaults, units and validators come from the schema.
    const parsed = parseDefinition(LEAKY_SOMA_SOURCE);
    expect(parsed.params.map((p) => Object.keys(p).sort())).toEqual(
      parsed.params.map(() => ['extent', 'name', 'type']),
    );
    expect(bindSchema(parsed, configSchema('leaky_soma'))).toEqual(built);
  });

  it('reports syntax errors with line and column', () => {
    expect(() => parseDefinition('module m\nstate v: f32\nv = (1 +')).toThrow(ParseError);
    try {
      parseDefinition('module m\nstate v: f32\nv = 1 + * 2');
    } catch (e) {
      expect((e as ParseError).line).toBe(3);
      expect((e as ParseError).message).toMatch(/expected an expression/);
    }
    // A parameter without a default parses (a schema gives it) but does not check unbound.
    const unbound = parseDefinition('module m\nparam a: f32 [ms]\noutput o: FloatArray\no = a / a');
    expect(unbound.params).toEqual([{ name: 'a', type: 'f32', unit: 'ms' }]);
    expect(() => checkDefinition(unbound)).toThrow(/params\[0\]\.default: parameter "a" has no default/);
    expect(() => parseDefinition('module m\nlet x = 1 < 2 < 3')).toThrow(/do not chain/);
    expect(() => parseDefinition('module m\nlet x = 1 $ 2')).toThrow(/unexpected character/);
  });

  it('bounds nesting depth and input size', () => {
    const deep = `module m\nstate v: f32\nv = ${'('.repeat(200)}1${')'.repeat(200)}`;
    expect(() => parseDefinition(deep)).toThrow(/nested more than/);
    expect(() => parseDefinition(`module m\n${'#'.repeat(300_000)}`)).toThrow(/longer than/);
  });

  it('never evaluates text: a JavaScript-looking payload is just an unknown symbol', () => {
    const def = parseDefinition('module m\noutput o: FloatArray\no = constructor(1)');
    expect(issuesOf(def).join('\n')).toMatch(/unknown function "constructor"/);
  });
});

describe('checkDefinition', () => {
  it('accepts leaky_soma', () => {
    expect(issuesOf(leakySoma)).toEqual([]);
  });

  it('reports unknown symbols with a path', () => {
    const issues = issuesOf(parseDefinition(base('out = v + tua')));
    expect(issues).toEqual(['body[0].value.right: unknown symbol "tua"']);
  });

  it('reports unit mismatches', () => {
    expect(issuesOf(parseDefinition(base('v = v + tau\nout = 0'))).join('\n')).toMatch(
      /unit mismatch in "\+"/,
    );
    expect(issuesOf(parseDefinition(base('v = r * I\nout = 0')))).toEqual([]);
    expect(issuesOf(parseDefinition(base('v = exp(v)\nout = 0'))).join('\n')).toMatch(
      /dimensionless argument/,
    );
    expect(issuesOf(parseDefinition(base('v = tau\nout = 0'))).join('\n')).toMatch(
      /unit mismatch: .* assigned to "v"/,
    );
  });

  it('reports dtype mismatches and bool misuse', () => {
    expect(issuesOf(parseDefinition(base('k = k + v\nout = 0'))).join('\n')).toMatch(
      /type mismatch in "\+": i32 vs f32/,
    );
    expect(issuesOf(parseDefinition(base('k = k + 1\nout = f32(k)')))).toEqual([]);
    expect(issuesOf(parseDefinition(base('k = k + 1.5\nout = 0'))).join('\n')).toMatch(/not an integer/);
    expect(issuesOf(parseDefinition(base('out = v > 1'))).join('\n')).toMatch(/cannot store a bool/);
    expect(issuesOf(parseDefinition(base('out = (v > 1) + 1'))).join('\n')).toMatch(/does not apply to bool/);
  });

  it('reports division by a possibly-zero constant', () => {
    expect(issuesOf(parseDefinition(base('out = 1 / g'))).join('\n')).toMatch(
      /may be zero: give parameter "g" a validator/,
    );
    expect(issuesOf(parseDefinition(base('out = 1 / 0'))).join('\n')).toMatch(/division by zero/);
    expect(issuesOf(parseDefinition(base('out = 1 / (tau - 1)'))).join('\n')).toMatch(/may be zero/);
    expect(issuesOf(parseDefinition(base('out = 1 / (tau + dt)')))).toEqual([]);
    expect(issuesOf(parseDefinition(base('out = 1 / v')))).toEqual([]);
  });

  it('reports use before assignment and bad targets', () => {
    expect(issuesOf(parseDefinition(base('v = out\nout = 1'))).join('\n')).toMatch(
      /output "out" used before assignment/,
    );
    expect(issuesOf(parseDefinition(base('out = x\nlet x = 1'))).join('\n')).toMatch(/unknown symbol "x"/);
    expect(issuesOf(parseDefinition(base('tau = 1\nout = 1'))).join('\n')).toMatch(
      /cannot assign to param "tau"/,
    );
    expect(issuesOf(parseDefinition(base('v = 1'))).join('\n')).toMatch(/output "out" is never assigned/);
    expect(issuesOf(parseDefinition(base('let x = 1\nlet x = 2\nout = x'))).join('\n')).toMatch(
      /duplicate name "x"/,
    );
  });

  it('rejects bad identifiers, reserved words and non-finite defaults', () => {
    const bad: ModuleDefinition = {
      name: 'm',
      params: [
        { name: 'exp', type: 'f32', default: 1 },
        { name: 'a b', type: 'f32', default: 1 },
        { name: 'c', type: 'f32', default: Number.NaN },
      ],
      state: [],
      inputs: [],
      outputs: [],
      body: [],
    };
    const issues = issuesOf(bad).join('\n');
    expect(issues).toMatch(/"exp" is a reserved word/);
    expect(issues).toMatch(/invalid identifier "a b"/);
    expect(issues).toMatch(/default must be a finite number/);
  });

  it('the builder produces the same data as the text form', () => {
    const built = defineModule('t2', (m) => {
      const tau = m.param('tau', { default: 5, unit: 'ms', validators: ['positive'] });
      const v = m.state('v', { unit: 'mV' });
      const o = m.output('o', { payload: 'FloatArray' });
      m.assign(v, exp(dt.neg().div(tau)).mul(v));
      m.assign(o, f32(v.gt(1)));
      m.assign(v, select(ref('v').gt(1), lit(0), v));
    });
    const parsed = parseDefinition(
      'module t2\nparam tau: f32 = 5 [ms] positive\nstate v: f32 [mV]\noutput o: FloatArray f32\nv = exp(-dt / tau) * v\no = f32(v > 1)\nv = v > 1 ? 0 : v',
    );
    expect(parsed).toEqual(built);
  });
});

describe('compile', () => {
  it('hoists exp(-dt/tau) into a per-unit derived constant computed in float64 and rounded once', () => {
    const c = compileDefinition(leakySoma);
    const decay = c.derived.find((d) => d.expr.k === 'math' && d.expr.fn === 'exp');
    expect(decay?.extent).toBe('unit');
    const inst = instantiate(c, { size: 3, dt: 1, params: { potential_tau: [20, 25, 10] } });
    const values = inst.derived[decay?.id as number] as Float64Array;
    expect(Array.from(values)).toEqual([
      Math.fround(Math.exp(-1 / 20)),
      Math.fround(Math.exp(-1 / 25)),
      Math.fround(Math.exp(-1 / 10)),
    ]);
  });

  it('rejects NaN and invalid parameter values with a path', () => {
    const c = compileDefinition(leakySoma);
    expect(() => instantiate(c, { size: 2, dt: 1, params: { potential_tau: Number.NaN } })).toThrow(
      /params.potential_tau: is NaN/,
    );
    expect(() => instantiate(c, { size: 2, dt: 1, params: { potential_tau: [1, -1] } })).toThrow(
      /potential_tau\[1\]: must be > 0/,
    );
    expect(() => instantiate(c, { size: 2, dt: 1, params: { potential_tau: [1, 2, 3] } })).toThrow(
      /expected 2 values/,
    );
    expect(() => instantiate(c, { size: 2, dt: 1, params: { nope: 1 } })).toThrow(/unknown parameter/);
  });
});

describe('interpreter', () => {
  it('runs leaky_soma: integrates, spikes strictly above threshold, resets', () => {
    const def = checkDefinition(leakySoma);
    const state = interpretInitialState(def, { size: 2 }, {}, 1);
    const outputs = { spikes: new Float64Array(2) };
    // R*I = 0.1 * 400 = 40 mV drive; threshold is 20 mV above rest.
    let fired = -1;
    for (let t = 0; t < 50 && fired < 0; t++) {
      interpretStep(def, {
        size: 2,
        params: {},
        state,
        inputs: { current: [400, 0] },
        outputs,
        step: t,
        dt: 1,
      });
      if (outputs.spikes[0] === 1) fired = t;
      expect(outputs.spikes[1]).toBe(0);
    }
    // v_t = 40 (1 - d^(t+1)) > 20  ⇔  d^(t+1) < 0.5  ⇔  t + 1 > 20 ln 2 ≈ 13.86.
    expect(fired).toBe(13);
    expect(state.potential?.[0]).toBe(10);
  });
});

describe('parser robustness (fast-check)', () => {
  it('arbitrary text yields a definition or a ParseError, never another exception', async () => {
    const fc = (await import('fast-check')).default;
    const tokens = [
      'module m',
      'param',
      'state',
      'input',
      'output',
      'let',
      'x',
      '=',
      '(',
      ')',
      '?',
      ':',
      '1.5',
      '-',
      '*',
      '/',
      '[mV]',
      'f32',
      'exp(',
      ',',
      '\n',
      ';',
      '#c',
      '&&',
      '<=',
      'per unit',
      'as float16',
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.array(fc.constantFrom(...tokens), { maxLength: 60 }).map((t) => t.join(' ')),
        ),
        (text) => {
          try {
            const def = parseDefinition(text);
            // Whatever parsed is plain data; checking it reports problems as a DefinitionError.
            try {
              checkDefinition(def);
            } catch (e) {
              expect(e).toBeInstanceOf(DefinitionError);
            }
          } catch (e) {
            expect(e).toBeInstanceOf(ParseError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('arbitrary JSON-like data as a definition yields a DefinitionError, never a crash', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.object({ maxDepth: 4 }), (obj) => {
        const def = {
          name: 'm',
          params: [],
          state: [],
          inputs: [],
          outputs: [],
          body: [{ kind: 'assign', target: 'x', value: obj }],
        };
        expect(() => checkDefinition(def as unknown as ModuleDefinition)).toThrow(DefinitionError);
      }),
      { numRuns: 300 },
    );
  });
});
