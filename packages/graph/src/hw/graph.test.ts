import { describe, expect, it } from 'vitest';
import { GraphError } from '../diagnostics.ts';
import { zeros } from '../tensor.ts';
import { genericModule, lif, linear, passThrough, residual, sequential } from './builders.ts';
import { ConversionRegistry } from './conversions.ts';
import {
  addModule,
  addModuleChannel,
  asHolder,
  bag,
  channelInfo,
  clearModuleChannels,
  connect,
  emptyGraph,
  findByKind,
  findRecurrent,
  getModule,
  type HwGraph,
  merge,
  removeModule,
  removeModuleChannel,
  replaceModule,
  setHolder,
  stronglyConnected,
  sumInto,
} from './graph.ts';
import { SetList } from './setlist.ts';

describe('SetList', () => {
  it('deduplicates on construction, append and extend', () => {
    expect(new SetList([0, 1, 1, 2]).length).toBe(3);
    const a = new SetList([0, 1]);
    a.append(0);
    expect(a.toArray()).toEqual([0, 1]);
    a.extend([2, 1, 0]);
    expect(a.toArray()).toEqual([0, 1, 2]);
    a.remove(1);
    a.remove(7);
    expect(a.toArray()).toEqual([0, 2]);
  });
});

/** Three generic modules gm1(2→3), gm2(3→4), gm3(4→2) in one graph. */
function three(): { g: HwGraph; ids: [string, string, string] } {
  let g = emptyGraph();
  const r1 = addModule(g, { kind: 'module', name: 'mod1' }, 2, 3);
  const r2 = addModule(r1.graph, { kind: 'module', name: 'mod2' }, 3, 4);
  const r3 = addModule(r2.graph, { kind: 'module', name: 'mod3' }, 4, 2);
  g = r3.graph;
  return { g, ids: [r1.id, r2.id, r3.id] };
}

describe('modules and channels', () => {
  it('factory with zero inputs, registration, removal', () => {
    const { graph, id } = addModule(emptyGraph(), { kind: 'module' }, 0, 3);
    const m = getModule(graph, id);
    expect(m.inputs).toHaveLength(0);
    expect(m.outputs).toHaveLength(3);
    for (const c of m.outputs) expect(channelInfo(graph, c).sources).toEqual([id]);
    const g2 = removeModule(graph, id);
    for (const c of m.outputs) expect(channelInfo(g2, c).sources).toEqual([]);
    // the original graph is untouched
    expect(channelInfo(graph, m.outputs[0]!).sources).toEqual([id]);
  });

  it('holders are never channel sources or sinks', () => {
    const { g, ids } = three();
    const h = asHolder(g, ids[1], 'holder');
    const g2 = connect(setHolder(g, h), ids[0], 'holder');
    for (const info of g2.channels.values()) {
      expect(info.sources).not.toContain('holder');
      expect(info.sinks).not.toContain('holder');
    }
    // the holder list was rewired along with mod2
    expect(g2.holders.get('holder')!.inputs).toEqual(getModule(g2, ids[0]).outputs);
    expect(getModule(g2, ids[1]).inputs).toEqual(getModule(g2, ids[0]).outputs);
  });

  it('validates linear weight shapes and alias arity', () => {
    expect(() => linear(zeros([2, 3]))).not.toThrow();
    expect(() => addModule(emptyGraph(), { kind: 'linear', weights: zeros([2, 3]) }, 3, 3)).toThrow(
      GraphError,
    );
    expect(() => addModule(emptyGraph(), { kind: 'alias' }, 2, 3)).toThrow(/as many inputs/);
  });
});

describe('connect', () => {
  it('full connection keeps the source channels', () => {
    const { g, ids } = three();
    const g2 = connect(g, ids[0], ids[1]);
    expect(getModule(g2, ids[1]).inputs).toEqual(getModule(g2, ids[0]).outputs);
    for (const c of getModule(g2, ids[0]).outputs) {
      expect(channelInfo(g2, c).sources).toEqual([ids[0]]);
      expect(channelInfo(g2, c).sinks).toEqual([ids[1]]);
    }
  });

  it('partial connections', () => {
    const g1 = genericModule(2, 4, 'g1');
    const g2 = genericModule(2, 4, 'g2');
    const { graph } = merge(g1, g2);
    const a = connect(graph, 'g1', 'g2', [1, 2]);
    const o = getModule(a, 'g1').outputs;
    expect(getModule(a, 'g2').inputs).toEqual([o[1], o[2]]);

    const g3 = genericModule(8, 4, 'g3');
    const b0 = merge(g1, g3).graph;
    const b = connect(b0, 'g1', 'g3', undefined, [0, 2, 4, 6]);
    const o1 = getModule(b, 'g1').outputs;
    const i3 = getModule(b, 'g3').inputs;
    expect([i3[0], i3[2], i3[4], i3[6]]).toEqual([...o1]);
    for (const k of [1, 3, 5, 7]) expect(o1).not.toContain(i3[k]);

    const c = connect(b0, 'g1', 'g3', [0, 3], [1, 2]);
    const oc = getModule(c, 'g1').outputs;
    const ic = getModule(c, 'g3').inputs;
    expect(ic[1]).toBe(oc[0]);
    expect(ic[2]).toBe(oc[3]);
  });

  it('mismatched sizes throw', () => {
    const { g, ids } = three();
    expect(() => connect(g, ids[0], ids[2])).toThrow(
      /Number of output nodes 3 does not match number of input nodes 4/,
    );
  });

  it('works with a holder on either side', () => {
    const { g, ids } = three();
    const g1 = setHolder(setHolder(g, asHolder(g, ids[0], 'h1')), asHolder(g, ids[1], 'h2'));
    const a = connect(g1, 'h1', ids[1]);
    expect(getModule(a, ids[1]).inputs).toEqual(getModule(a, ids[0]).outputs);
    const b = connect(g1, ids[0], 'h2');
    expect(getModule(b, ids[1]).inputs).toEqual(getModule(b, ids[0]).outputs);
    expect(b.holders.get('h2')!.inputs).toEqual(getModule(b, ids[0]).outputs);
  });

  it('a pass-through block (Dropout) disappears', () => {
    const l1 = linear(zeros([2, 3]), { name: 'l1' });
    const l2 = linear(zeros([3, 2]), { name: 'l2' });
    const g = sequential(l1, passThrough(3), l2);
    expect(bag(g).modules).toEqual(['l1', 'l2']);
    expect(getModule(g, 'l1').outputs).toEqual(getModule(g, 'l2').inputs);
  });

  it('a second connect into the same destination merges the two sources (fan-in)', () => {
    let g = emptyGraph();
    g = addModule(g, { kind: 'module', name: 'a' }, 1, 3).graph;
    g = addModule(g, { kind: 'module', name: 'b' }, 3, 1).graph;
    g = addModule(g, { kind: 'module', name: 'c' }, 1, 3).graph;
    g = connect(g, 'a', 'b');
    g = connect(g, 'c', 'b');
    expect(getModule(g, 'a').outputs).toEqual(getModule(g, 'c').outputs);
    for (const ch of getModule(g, 'a').outputs) expect(channelInfo(g, ch).sources).toEqual(['c', 'a']);
    // sumInto is the explicit form of the same thing
    let h = emptyGraph();
    h = addModule(h, { kind: 'module', name: 'a' }, 1, 3).graph;
    h = addModule(h, { kind: 'module', name: 'b' }, 3, 1).graph;
    h = addModule(h, { kind: 'module', name: 'c' }, 1, 3).graph;
    h = sumInto(h, ['a', 'c'], 'b');
    expect(getModule(h, 'a').outputs).toEqual(getModule(h, 'c').outputs);
  });
});

describe('bag / find', () => {
  it('chain 2→3→4→2 = 11 channels, loop closed = 9; rockpool order [mod1, mod3, mod2]', () => {
    const { g, ids } = three();
    let c = connect(connect(g, ids[0], ids[1]), ids[1], ids[2]);
    let b = bag(c, ids[0], 'rockpool');
    expect(b.channels).toHaveLength(11);
    expect(b.modules).toHaveLength(3);
    c = connect(c, ids[2], ids[0]);
    b = bag(c, ids[0], 'rockpool');
    expect(b.channels).toHaveLength(9);
    expect(b.modules).toEqual(['mod1', 'mod3', 'mod2']);
    expect(bag(c, ids[0], 'topological').modules).toEqual(['mod1', 'mod2', 'mod3']);
    expect(stronglyConnected(c)).toEqual([['mod1', 'mod2', 'mod3']]);
  });

  it('findByKind counts subkinds (1 linear, 3 modules)', () => {
    const g = sequential(
      genericModule(2, 3, 'm1'),
      linear(zeros([3, 3]), { name: 'w' }),
      genericModule(3, 1, 'm2'),
    );
    expect(findByKind(g, 'linear')).toHaveLength(1);
    expect(findByKind(g, 'module')).toHaveLength(3);
  });

  it('findRecurrent reports both members of a two-module loop', () => {
    const { g, ids } = three();
    const c = connect(connect(g, ids[0], ids[1]), ids[1], ids[0], [0, 1], [0, 1]);
    expect(findRecurrent(c).recurrent.sort()).toEqual(['mod1', 'mod2']);
    const r = lif({ n: 3, tauMem: 0.02, tauSyn: 0.002, dt: 0.001, wRec: zeros([3, 3]), name: 'lif' });
    expect(findRecurrent(r).recurrent.sort()).toEqual(['lif', 'lif_rec']);
    // longer loops are not "recurrent" but are strongly connected
    const t = three();
    const loop = connect(connect(connect(t.g, 'mod1', 'mod2'), 'mod2', 'mod3'), 'mod3', 'mod1');
    expect(findRecurrent(loop).recurrent).toEqual([]);
    expect(stronglyConnected(loop)).toHaveLength(1);
  });

  it('replaceModule takes over channels and checks arity', () => {
    const { g, ids } = three();
    const c = connect(g, ids[0], ids[1]);
    const r = replaceModule(c, ids[1], { kind: 'neurons', name: 'n' }, 'n');
    expect(r.modules.has(ids[1])).toBe(false);
    expect(getModule(r, 'n').inputs).toEqual(getModule(c, ids[1]).inputs);
    for (const ch of getModule(r, 'n').inputs) expect(channelInfo(r, ch).sinks).toEqual(['n']);
    const bad = { ...getModule(c, ids[0]), inputs: [1] };
    expect(() => replaceModule(c, ids[1], bad)).toThrow(/Number of input nodes/);
    const bad2 = { ...getModule(c, ids[1]), outputs: [1] };
    expect(() => replaceModule(c, ids[1], bad2)).toThrow(/Number of output nodes/);
  });
});

describe('tracing counts', () => {
  const L = (i: number, o: number, name?: string) => linear(zeros([i, o]), name ? { name } : {});
  const LIF = (n: number, name?: string, rec = false) =>
    lif({
      n,
      tauMem: 0.02,
      tauSyn: 0.02,
      dt: 0.001,
      ...(name ? { name } : {}),
      ...(rec ? { wRec: zeros([n, n]) } : {}),
    });

  it('Seq(Lin, LIF, Lin, LIF, Lin) → 5 modules; recurrent LIF → 6', () => {
    expect(bag(sequential(L(2, 3), LIF(3), L(3, 4), LIF(4), L(4, 5))).modules).toHaveLength(5);
    expect(bag(sequential(L(2, 3), LIF(3), L(3, 4), LIF(4, 'l', true), L(4, 5))).modules).toHaveLength(6);
  });

  it('the residual network → 8 modules in Rockpool order, recurrent [lif1, lif1_rec]', () => {
    const g = sequential(
      L(2, 4, 'l0'),
      LIF(4, 'lif0'),
      residual(L(4, 4, 'l1'), LIF(4, 'lif1', true)),
      L(4, 2, 'l2'),
      LIF(2, 'lif2'),
    );
    expect(bag(g, undefined, 'rockpool').modules).toEqual([
      'l0',
      'lif0',
      'l1',
      'residual_aliases',
      'lif1',
      'lif1_rec',
      'l2',
      'lif2',
    ]);
    expect(findRecurrent(g).recurrent).toEqual(['lif1', 'lif1_rec']);
  });
});

describe('conversion registry', () => {
  it('converts by rule, reports missing rules, never mutates', () => {
    const reg = new ConversionRegistry();
    reg.register('neurons', 'rate', (m) => ({
      kind: 'rate',
      tau: new Float64Array(m.outputs.length).fill(0.01),
      bias: new Float64Array(m.outputs.length),
    }));
    const g = lif({ n: 2, tauMem: 0.02, tauSyn: 0.02, name: 'p' });
    const r = reg.convert(g, 'p', 'rate');
    expect(r.ok).toBe(true);
    expect(getModule(r.graph, 'p').kind).toBe('rate');
    expect(getModule(g, 'p').kind).toBe('lif');
    expect(r.diagnostics[0]?.code).toBe('convert.generic-rule');
    const bad = reg.convert(g, 'p', 'linear');
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics[0]?.message).toMatch(/cannot be converted/);
  });
});

describe('adding, removing and clearing module channels', () => {
  it('registers and unregisters the module on the channels', () => {
    const { graph, id } = addModule(emptyGraph(), { kind: 'module', name: 'm' }, 2, 1);
    const c = getModule(graph, id).inputs[0]!;
    const cleared = clearModuleChannels(graph, id, 'inputs');
    expect(getModule(cleared, id).inputs).toEqual([]);
    expect(channelInfo(cleared, c).sinks).toEqual([]);
    const added = addModuleChannel(cleared, id, 'inputs', c);
    expect(getModule(added, id).inputs).toEqual([c]);
    expect(channelInfo(added, c).sinks).toEqual([id]);
    expect(addModuleChannel(added, id, 'inputs', c)).toBe(added);
    const removed = removeModuleChannel(added, id, 'inputs', c);
    expect(channelInfo(removed, c).sinks).toEqual([]);
    expect(removeModuleChannel(removed, id, 'inputs', c)).toBe(removed);
    // linear modules keep their weight-shape invariant
    const l = linear(zeros([1, 1]), { name: 'l' });
    expect(() => addModuleChannel(l, 'l', 'inputs', 99)).toThrow(GraphError);
  });
});
