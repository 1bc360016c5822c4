import { describe, expect, it } from 'vitest';
import { tracedSynapsesDefinition } from '../synapses/traced_synapses.ts';
import { compileDefinition, instantiate, roundToType } from './compile.ts';
import { evalExpr, extentIndex } from './interpret.ts';

describe('instantiate', () => {
  const compiled = compileDefinition(tracedSynapsesDefinition(true));
  const decay = compiled.derived.findIndex((d) => d.extent === 'synapse');

  it('compiles a definition object once', () => {
    const def = tracedSynapsesDefinition(true);
    expect(compileDefinition(def)).toBe(compileDefinition(def));
  });

  it('keeps a parameter given as one number as one value, filled only when an array is asked for', () => {
    const inst = instantiate(compiled, { size: 12, nPre: 4, dt: 1, params: { tau: 5, scale: 2, base: 0.5 } });
    expect(inst.uniform.get('param:tau')).toBe(5);
    expect(inst.uniform.get(`derived:${decay}`)).toBe(Math.fround(Math.exp(-1 / 5)));
    expect(inst.initialState.get('current_trace')).toBe(0.5);
    // Backends that do not read `uniform` still get every element.
    expect(Array.from(inst.arrayParams.get('tau') as Float64Array)).toEqual(new Array(12).fill(5));
    expect(Array.from(inst.derived[decay] as Float64Array)).toEqual(
      new Array(12).fill(Math.fround(Math.exp(-1 / 5))),
    );
    expect([...inst.arrayParams.keys()].sort()).toEqual(['base', 'scale', 'tau']);
  });

  it('evaluates derived constants of per-element parameters exactly as the interpreter, element by element', () => {
    // Runs of equal values (evaluated once each) and a −0 among zeros (a different argument).
    const tau = Float64Array.from([5, 5, 5, 7, 7, 5, 5, 9, 9, 9, 9, 10]);
    const base = Float64Array.from([0, 0, -0, 0, 1, 1, 1, 0, 0, 0, 0, 2]);
    const params = { tau, scale: 1, base };
    const inst = instantiate(compiled, { size: 12, nPre: 4, dt: 0.5, params });
    const d = compiled.derived[decay]!;
    const want = Array.from({ length: 12 }, (_, i) =>
      roundToType(d.ty, evalExpr(d.expr, { i, nPre: 4, dt: 0.5, params })),
    );
    expect(Array.from(inst.derived[decay] as Float64Array)).toEqual(want);
    expect(inst.uniform.has(`derived:${decay}`)).toBe(false);
    const init = inst.initialState.get('current_trace') as Float64Array;
    for (let i = 0; i < 12; i++) expect(Object.is(init[i], base[extentIndex('synapse', i, 4)])).toBe(true);
  });

  it('returns the same instance for the same parameter object (a plan is instantiated at build and at load)', () => {
    const params = { tau: 5 };
    const a = instantiate(compiled, { size: 8, nPre: 4, dt: 1, params });
    expect(instantiate(compiled, { size: 8, nPre: 4, dt: 1, params })).toBe(a);
    expect(instantiate(compiled, { size: 8, nPre: 4, dt: 0.5, params })).not.toBe(a);
    expect(instantiate(compiled, { size: 8, nPre: 4, dt: 1, params: { tau: 5 } })).not.toBe(a);
  });
});
