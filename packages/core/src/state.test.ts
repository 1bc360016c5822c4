import { describe, expect, it } from 'vitest';
import {
  assertJson,
  assertSameStructure,
  assertStateTree,
  cloneState,
  createStateTree,
  deletePath,
  diffStateStructure,
  flattenState,
  getPath,
  getTensor,
  hasPath,
  isStateTree,
  listPaths,
  mapState,
  merge,
  type Splittable,
  StateError,
  type StateTree,
  setPath,
  split,
  splitPath,
  stateEquals,
  unflattenState,
} from './state.ts';
import { Tensor } from './tensor.ts';

const f32 = (values: number[], shape?: number[]) => Tensor.fromArray('float32', values, shape);

function brainState(): StateTree {
  const tree = createStateTree();
  setPath(tree, 'A_excitatory/synapses/kernel', f32([1, 2, 3, 4], [2, 2]));
  setPath(tree, 'A_excitatory/synapses/current_tracer/trace', f32([0, 0]));
  setPath(tree, 'A_excitatory/soma/potential', f32([-65, -65]));
  setPath(tree, 'B/soma/potential', f32([-70]));
  return tree;
}

describe('paths', () => {
  it('get, has and list', () => {
    const t = brainState();
    expect(getTensor(t, 'A_excitatory/synapses/kernel').toNumbers()).toEqual([1, 2, 3, 4]);
    expect(Object.keys(getPath(t, 'A_excitatory/synapses'))).toEqual(['kernel', 'current_tracer']);
    expect(getPath(t, '')).toBe(t);
    expect(hasPath(t, 'B/soma')).toBe(true);
    expect(hasPath(t, 'B/soma/potential/x')).toBe(false);
    expect(hasPath(t, 'C')).toBe(false);
    expect(listPaths(t)).toEqual([
      'A_excitatory/synapses/kernel',
      'A_excitatory/synapses/current_tracer/trace',
      'A_excitatory/soma/potential',
      'B/soma/potential',
    ]);
  });

  it('unknown paths name the nearest prefix, its children and a suggestion', () => {
    const t = brainState();
    expect(() => getTensor(t, 'A_excitatory/synapses/kernal')).toThrow(
      "state path 'A_excitatory/synapses/kernal' not found: 'A_excitatory/synapses' has no 'kernal'; it has " +
        "'kernel', 'current_tracer' (did you mean 'A_excitatory/synapses/kernel'?)",
    );
    expect(() => getPath(t, 'Z/soma')).toThrow(
      "state path 'Z/soma' not found: the root has no 'Z'; it has 'A_excitatory', 'B'",
    );
    expect(() => getPath(t, 'B/soma/potential/x')).toThrow("'B/soma/potential' is a tensor, not a subtree");
    expect(() => getTensor(t, 'B/soma')).toThrow(
      "state path 'B/soma' is a subtree (with 'potential'), not a tensor",
    );
    try {
      getPath(t, 'B/x');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StateError);
      expect((e as StateError).path).toBe('B/x');
    }
  });

  it('rejects invalid and reserved keys (no prototype pollution)', () => {
    const t = createStateTree();
    expect(() => setPath(t, '__proto__/polluted', f32([1]))).toThrow("state key '__proto__' is reserved");
    expect(() => setPath(t, 'a/constructor', f32([1]))).toThrow(/'constructor' is reserved/);
    expect(() => setPath(t, 'prototype', f32([1]))).toThrow(/reserved/);
    expect(() => splitPath('a//b')).toThrow("state path 'a//b' has an empty segment");
    expect(() => setPath(t, '', f32([1]))).toThrow(/cannot replace the root/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // a tree parsed from JSON can carry an own "__proto__" key: it is refused
    const parsed = JSON.parse('{"__proto__": {}}') as unknown;
    expect(isStateTree(parsed)).toBe(false);
    expect(() => assertStateTree(parsed)).toThrow(/reserved/);
    // inherited properties are never visible as children
    expect(hasPath(t, 'toString')).toBe(false);
    expect(hasPath({} as StateTree, 'toString')).toBe(false);
    expect(() => getPath({} as StateTree, 'hasOwnProperty')).toThrow(/not found/);
  });

  it('setPath creates subtrees, refuses to descend into tensors, and replaces leaves', () => {
    const t = brainState();
    setPath(t, 'B/soma/potential', f32([1]));
    expect(getTensor(t, 'B/soma/potential').toNumbers()).toEqual([1]);
    expect(() => setPath(t, 'B/soma/potential/x', f32([1]))).toThrow(
      "setPath: cannot create 'B/soma/potential/x': 'B/soma/potential' is a tensor, not a subtree",
    );
    expect(Object.getPrototypeOf(getPath(t, 'B'))).toBeNull();
    expect(() => setPath(t, 'C', new Float32Array(2) as unknown as Tensor)).toThrow(/wrap it in a Tensor/);
    expect(deletePath(t, 'B/soma/potential')).toBe(true);
    expect(deletePath(t, 'B/soma/potential')).toBe(false);
    expect(listPaths(t)).not.toContain('B/soma/potential');
  });

  it('flatten / unflatten round-trip and detect conflicts', () => {
    const t = brainState();
    const flat = flattenState(t);
    const back = unflattenState(flat);
    expect(stateEquals(t, back)).toBe(true);
    expect(listPaths(back)).toEqual(listPaths(t));
    expect(() =>
      unflattenState([
        ['a', f32([1])],
        ['a/b', f32([1])],
      ]),
    ).toThrow(/'a' is a tensor/);
    expect(() => unflattenState({ a: f32([1]), 'a/': f32([1]) })).toThrow(/empty segment/);
    expect(listPaths(unflattenState({ 'x/y': f32([1]) }))).toEqual(['x/y']);
  });

  it('map, clone, equality and structural diff', () => {
    const t = brainState();
    const doubled = mapState(t, (x, path) =>
      path.endsWith('kernel')
        ? f32(
            x.toNumbers().map((v) => 2 * v),
            [2, 2],
          )
        : x,
    );
    expect(getTensor(doubled, 'A_excitatory/synapses/kernel').toNumbers()).toEqual([2, 4, 6, 8]);
    expect(getTensor(t, 'A_excitatory/synapses/kernel').toNumbers()).toEqual([1, 2, 3, 4]);
    expect(stateEquals(t, doubled)).toBe(false);
    const c = cloneState(t);
    getTensor(c, 'B/soma/potential').data[0] = 0;
    expect(getTensor(t, 'B/soma/potential').get([0])).toBe(-70);
    const other = brainState();
    deletePath(other, 'B/soma/potential');
    setPath(other, 'A_excitatory/soma/potential', f32([0, 0, 0]));
    setPath(other, 'C/x', Tensor.zeros('int32', [1]));
    expect(diffStateStructure(t, other)).toEqual([
      "'A_excitatory/soma/potential': expected float32[2], got float32[3]",
      "'B/soma/potential': missing (expected float32[1])",
      "'C/x': unexpected (int32[1])",
    ]);
    expect(() => assertSameStructure(t, other)).toThrow(/setState: state does not match the module/);
    expect(() => assertSameStructure(t, cloneState(t))).not.toThrow();
  });

  it('detects cycles and non-tensor leaves', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => assertStateTree(a)).toThrow(/'self' is part of a cycle/);
    expect(() => assertStateTree({ x: [1, 2] })).toThrow(
      "state: 'x' must be a Tensor or a plain object of tensors, got an array",
    );
    expect(isStateTree({ x: { y: f32([1]) } })).toBe(true);
  });
});

describe('split / merge', () => {
  class Leaky implements Splittable<{ type: string; config: { tau: number; units: number } }> {
    tau: number;
    potential: Tensor<'float32'>;
    constructor(config: { tau: number; units: number }) {
      this.tau = config.tau;
      this.potential = Tensor.zeros('float32', [config.units]);
    }
    getGraph() {
      return { type: 'leaky_soma', config: { tau: this.tau, units: this.potential.size } };
    }
    getState(): StateTree {
      const s = createStateTree();
      setPath(s, 'potential', this.potential);
      return s;
    }
    setState(state: StateTree): void {
      assertSameStructure(this.getState(), state);
      this.potential = getTensor(state, 'potential') as Tensor<'float32'>;
    }
  }

  it('split gives JSON + state and merge rebuilds an equivalent module', () => {
    const m = new Leaky({ tau: 20, units: 3 });
    m.potential.data.set([1, 2, 3]);
    const { graph, state } = split(m);
    expect(graph).toEqual({ type: 'leaky_soma', config: { tau: 20, units: 3 } });
    expect(JSON.parse(JSON.stringify(graph))).toEqual(graph);
    const rebuilt = merge(graph, cloneState(state), (g) => new Leaky(g.config));
    expect(rebuilt.tau).toBe(20);
    expect(rebuilt.potential.toNumbers()).toEqual([1, 2, 3]);
    expect(rebuilt.potential).not.toBe(m.potential);
    const wrong = createStateTree();
    setPath(wrong, 'potential', f32([1]));
    expect(() => merge(graph, wrong, (g) => new Leaky(g.config))).toThrow(
      "'potential': expected float32[3], got float32[1]",
    );
  });

  it('graphs must be plain JSON', () => {
    expect(() => assertJson({ a: [1, { b: f32([1]) }] })).toThrow(
      'graph.a[1].b: a Tensor (tensors belong in the state) is not JSON',
    );
    expect(() => assertJson({ a: Number.NaN })).toThrow('graph.a: NaN is not representable in JSON');
    expect(() => assertJson({ f: () => 1 })).toThrow(/graph.f: function is not JSON/);
    expect(() => assertJson({ x: new Float32Array(1) })).toThrow(/Float32Array/);
    expect(() => assertJson({ a: 1, b: 'x', c: [true, null] })).not.toThrow();
  });
});
