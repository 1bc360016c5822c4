import { describe, expect, it } from 'vitest';
import { exampleGraph, exampleNodes } from '../../test/common/nir-examples.ts';
import { type Tensor, tensor, tensorEquals } from '../tensor.ts';
import { fromDict, type NirDict, type NirDictValue, type StringTensor, toDict } from './dict.ts';
import { readHdf5Tree, readNir, writeNir, writeNirDict } from './hdf5.ts';
import { checkTypes, flattenShape, fromList, inferTypes, intrinsicTypes } from './infer.ts';
import { fromNirJson, NIR_JSON_FORMAT, toNirJson } from './json.ts';
import { NIR_NODE_TYPES, type NirGraph, type NirNode, nirGraph } from './types.ts';

const META = { some: 'metadata', with: 2, data: [1, 2, 3] };

/** Deep equality that compares tensors by dtype/shape/data. */
function expectSameNode(a: NirNode | undefined, b: NirNode | undefined, path = ''): void {
  expect(a, path).toBeDefined();
  expect(b, path).toBeDefined();
  if (!a || !b) return;
  expect(b.type, path).toBe(a.type);
  if (a.type === 'NIRGraph' && b.type === 'NIRGraph') {
    expect([...b.nodes.keys()].sort(), path).toEqual([...a.nodes.keys()].sort());
    for (const [k, n] of a.nodes) expectSameNode(n, b.nodes.get(k), `${path}.${k}`);
    expect([...b.edges].map((e) => e.join('>')).sort(), path).toEqual(
      [...a.edges].map((e) => e.join('>')).sort(),
    );
    expect(b.metadata, path).toEqual(a.metadata);
    return;
  }
  for (const [k, v] of Object.entries(a)) {
    const w = (b as unknown as Record<string, unknown>)[k];
    if (v && typeof v === 'object' && 'data' in v && 'dtype' in v) {
      expect(tensorEquals(v as Tensor, w as Tensor), `${path}.${k}`).toBe(true);
    } else expect(w, `${path}.${k}`).toEqual(v);
  }
  expect(Object.keys(b).sort(), path).toEqual(Object.keys(a).sort());
}

describe('NIR round trips', () => {
  it('covers every node type', () => {
    const types = new Set(Object.values(exampleNodes()).map((n) => n.type));
    types.add('NIRGraph');
    expect([...types].sort()).toEqual([...NIR_NODE_TYPES].sort());
  });

  it('model → dict → model for every node type, with metadata', () => {
    for (const [name, node] of Object.entries(exampleNodes(META))) {
      const r = fromDict(toDict(node), name);
      expect(r.diagnostics).toEqual([]);
      expectSameNode(node, r.node, name);
    }
    const g = exampleGraph(META);
    const r = fromDict(toDict(g));
    expectSameNode(g, r.node);
  });

  it('model → HDF5 → model for every node type (nested, recurrent, metadata)', async () => {
    const g = exampleGraph(META);
    const bytes = await writeNir(g);
    const r = await readNir(bytes, { typeCheck: 'off' });
    expect(r.diagnostics).toEqual([]);
    expect(r.version).toBe('0.2.0');
    expectSameNode(g, r.graph);
    // uncompressed too
    const r2 = await readNir(await writeNir(g, { compression: false }), { typeCheck: 'off' });
    expectSameNode(g, r2.graph);
  });

  it('empty edge list and a self-loop survive HDF5', async () => {
    const empty = nirGraph({ x: { type: 'Input', shape: [2] } }, []);
    const r = await readNir(await writeNir(empty), { typeCheck: 'off' });
    expectSameNode(empty, r.graph);
    const rec = nirGraph(
      {
        i: { type: 'Input', shape: [1] },
        a: { type: 'Linear', weight: tensor([[1]]) },
        o: { type: 'Output', shape: [1] },
      },
      [
        ['i', 'a'],
        ['a', 'a'],
        ['a', 'o'],
      ],
    );
    const r2 = await readNir(await writeNir(rec));
    expect(r2.ok).toBe(true);
    expectSameNode(rec, r2.graph);
  });

  it('JSON debug form round-trips and is labelled non-standard', () => {
    const g = exampleGraph(META);
    const text = toNirJson(g);
    expect(JSON.parse(text).format).toBe(NIR_JSON_FORMAT);
    expect(NIR_JSON_FORMAT).toMatch(/NON-STANDARD/);
    const r = fromNirJson(text);
    expect(r.diagnostics).toEqual([]);
    expectSameNode(g, r.graph);
    expect(fromNirJson('{oops').diagnostics[0]?.code).toBe('nir.json');
  });
});

describe('type inference', () => {
  const f = (v: number[], shape: number[]) => tensor(v, { shape });
  it('conv/pool/flatten tables', () => {
    const n = exampleNodes();
    expect(intrinsicTypes(n.conv1d!).output).toEqual([2, 50]);
    expect(intrinsicTypes(n.conv2d!).output).toEqual([3, 100, 50]);
    expect(intrinsicTypes(n.conv2dSame!).output).toEqual([1, 8, 8]);
    const k4: NirNode = {
      type: 'Conv2d',
      input_shape: [64, 64],
      weight: f(Array(16).fill(1), [1, 1, 4, 4]),
      stride: [1, 1],
      padding: [0, 0],
      dilation: [1, 1],
      groups: 1,
      bias: f([0], [1]),
    };
    expect(intrinsicTypes(k4).output).toEqual([1, 61, 61]);
    for (const pool of [n.sumpool!, n.avgpool!]) {
      const g = inferTypes(nirGraph({ i: { type: 'Input', shape: [1, 64, 64] }, p: pool }, [['i', 'p']]));
      expect(g.diagnostics).toEqual([]);
      expect(g.types.get('p')?.output).toEqual([1, 32, 32]);
    }
    expect(flattenShape([1, 64, 64], 0, 0)).toEqual([1, 64, 64]);
    expect(flattenShape([1, 64, 64], 0, 1)).toEqual([64, 64]);
    expect(flattenShape([1, 64, 64], 0, 2)).toEqual([4096]);
    expect(flattenShape([1, 64, 64], 1, 2)).toEqual([1, 4096]);
  });

  it('fixes the reference conv bugs: non-square kernels and groups', () => {
    // kernel 3×1 on 10×10: the reference would use 3 for both axes and give [4, 8, 8]
    const c: NirNode = {
      type: 'Conv2d',
      input_shape: [10, 10],
      weight: f(Array(4 * 1 * 3).fill(1), [4, 1, 3, 1]),
      stride: [1, 1],
      padding: [0, 0],
      dilation: [1, 1],
      groups: 2,
      bias: f([0, 0, 0, 0], [4]),
    };
    // groups 2 → C_in = 1·2 = 2 (the reference says 1)
    expect(intrinsicTypes(c)).toEqual({ input: [2, 10, 10], output: [4, 8, 10] });
  });

  it('adds input_<node> and output_<node>', () => {
    const a: NirNode = { type: 'Affine', weight: f([1, 2, 3, 4], [2, 2]), bias: f([0, 0], [2]) };
    const r = inferTypes(nirGraph({ a, b: a }, [['a', 'b']]));
    expect(r.diagnostics).toEqual([]);
    expect(new Set(r.graph.edges.map((e) => e.join('>')))).toEqual(
      new Set(['input_a>a', 'a>b', 'b>output_b']),
    );
    expect(r.graph.nodes.get('input_a')).toEqual({ type: 'Input', shape: [2] });
  });

  it('reports the recurrent mismatch', () => {
    const g = nirGraph(
      {
        a: { type: 'Input', shape: [1, 5, 5] },
        b: {
          type: 'Conv2d',
          input_shape: null,
          weight: f([1, 1, 1, 1], [1, 1, 2, 2]),
          stride: [1, 1],
          padding: [0, 0],
          dilation: [1, 1],
          groups: 1,
          bias: f([0], [1]),
        },
        c: { type: 'Flatten', input_type: null, start_dim: 0, end_dim: -1 },
        d: { type: 'Output', shape: [16] },
      },
      [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'b'],
        ['c', 'd'],
      ],
    );
    const r = inferTypes(g);
    expect(r.diagnostics.map((d) => d.message)).toContain(
      'Type inference error: type mismatch: c.output: [16] -> b.input: [1 5 5]',
    );
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('fromList naming and typeCheck off vs on', () => {
    const l2: NirNode = { type: 'Linear', weight: f([1, 0, 0, 1], [2, 2]) };
    const l1: NirNode = { type: 'Linear', weight: f([1], [1, 1]) };
    const a: NirNode = { type: 'Affine', weight: f([1, 0, 0, 1], [2, 2]), bias: f([0, 0], [2]) };
    const g = fromList([l2, l2, a]);
    expect([...g.nodes.keys()]).toEqual(['input', 'linear', 'linear_1', 'affine', 'output']);
    expect(checkTypes(g)).toEqual([]);
    const bad = fromList([l2, l1]);
    expect(checkTypes(bad).some((d) => d.code === 'nir.type-mismatch')).toBe(true);
    expect(inferTypes(bad, { typeCheck: 'off' }).diagnostics).toEqual([]);
  });
});

describe('broken files: strict failures and lenient repairs', () => {
  const lin = (w: number): NirNode => ({ type: 'Linear', weight: tensor([[w]]) });
  const lifNode: NirNode = {
    type: 'LIF',
    tau: tensor([0.01]),
    r: tensor([24.02]),
    v_leak: tensor([0]),
    v_threshold: tensor([1]),
    v_reset: tensor([0]),
  };

  it('Output shape disagreeing with its source (lif_rockpool.nir defect)', async () => {
    const g = nirGraph(
      {
        input: { type: 'Input', shape: [1] },
        '0': lin(0.04),
        '1': lifNode,
        output: { type: 'Output', shape: [1, 1, 1] },
      },
      [
        ['input', '0'],
        ['0', '1'],
        ['1', 'output'],
      ],
    );
    const bytes = await writeNir(g);
    const strict = await readNir(bytes);
    expect(strict.ok).toBe(false);
    expect(strict.diagnostics.find((d) => d.severity === 'error')).toMatchObject({
      code: 'nir.type-mismatch',
      path: 'output',
    });
    const lenient = await readNir(bytes, { typeCheck: 'lenient' });
    expect(lenient.ok).toBe(true);
    expect(lenient.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'nir.repair.output-shape', path: 'output' }),
    ]);
    expect(lenient.graph!.nodes.get('output')).toEqual({ type: 'Output', shape: [1] });
    const off = await readNir(bytes, { typeCheck: 'off' });
    expect(off.ok).toBe(true);
  });

  it('subgraph Input shape disagreeing with its incoming edge (checked recursively)', async () => {
    const sub = nirGraph(
      { in: { type: 'Input', shape: [3] }, l: lifNode, out: { type: 'Output', shape: [1] } },
      [
        ['in', 'l'],
        ['l', 'out'],
      ],
    );
    const g = nirGraph(
      { input: { type: 'Input', shape: [1] }, w: lin(1), G: sub, output: { type: 'Output', shape: [1] } },
      [
        ['input', 'w'],
        ['w', 'G'],
        ['G', 'output'],
      ],
    );
    const bytes = await writeNir(g);
    const strict = await readNir(bytes);
    expect(strict.ok).toBe(false);
    expect(strict.diagnostics.some((d) => d.severity === 'error' && d.path.startsWith('G'))).toBe(true);
    const lenient = await readNir(bytes, { typeCheck: 'lenient' });
    expect(lenient.ok).toBe(true);
    expect(
      lenient.diagnostics.some((d) => d.code === 'nir.repair.subgraph-input-shape' && d.path === 'G'),
    ).toBe(true);
    const inner = lenient.graph!.nodes.get('G') as NirGraph;
    expect(inner.nodes.get('in')).toEqual({ type: 'Input', shape: [1] });
  });

  it('dangling inner edges: error by default, dropped on request', async () => {
    const sub = nirGraph(
      { input: { type: 'Input', shape: [1] }, lif1: lifNode, output: { type: 'Output', shape: [1] } },
      [
        ['input', 'lif'],
        ['lif', 'output'],
        ['input', 'lif1'],
        ['lif1', 'output'],
      ],
    );
    const g = nirGraph(
      { input: { type: 'Input', shape: [1] }, rnn: sub, output: { type: 'Output', shape: [1] } },
      [
        ['input', 'rnn'],
        ['rnn', 'output'],
      ],
    );
    const bytes = await writeNir(g);
    const strict = await readNir(bytes);
    expect(strict.ok).toBe(false);
    const errs = strict.diagnostics.filter((d) => d.code === 'nir.dangling-edge');
    expect(errs.map((d) => d.path)).toEqual(['rnn.edges[0]', 'rnn.edges[1]']);
    expect(errs[0]!.message).toMatch(/"lif"/);
    const lenient = await readNir(bytes, { typeCheck: 'lenient', dropDanglingEdges: true });
    expect(lenient.ok).toBe(true);
    expect((lenient.graph!.nodes.get('rnn') as NirGraph).edges).toHaveLength(2);
  });

  it('malformed HDF5, unknown node types and wrong shapes give diagnostics with paths, never a crash', async () => {
    const junk = await readNir(new Uint8Array([1, 2, 3, 4, 5]));
    expect(junk.ok).toBe(false);
    expect(junk.diagnostics[0]?.code).toBe('nir.hdf5.malformed');
    const good = await writeNir(exampleGraph());
    const truncated = await readNir(good.slice(0, Math.floor(good.length / 2)));
    expect(truncated.ok).toBe(false);
    expect(truncated.diagnostics.some((d) => d.severity === 'error')).toBe(true);

    const s = (x: string) => ({ dtype: 'string' as const, shape: [], data: [x] });
    const dict = {
      type: s('NIRGraph'),
      nodes: {
        a: { type: s('Input'), shape: tensor([1], { dtype: 'int64' }) },
        b: { type: s('Spiral'), whirl: tensor([1]) },
        c: {
          type: s('LIF'),
          tau: tensor([0.01, 0.02]),
          r: tensor([1]),
          v_leak: tensor([0, 0, 0]),
          v_threshold: tensor([1, 1]),
        },
        d: { type: s('Linear') },
      },
      edges: { dtype: 'string' as const, shape: [2, 2], data: ['a', 'b', 'b', 'c'] },
    };
    const r = await readNir(await writeNirDict(dict));
    expect(r.ok).toBe(false);
    const byCode = (c: string) => r.diagnostics.filter((d) => d.code === c).map((d) => d.path);
    expect(byCode('nir.unknown-node-type')).toEqual(['b']);
    expect(byCode('nir.param-shape')).toEqual(['c.v_leak']);
    expect(byCode('nir.missing-parameter')).toEqual(['d.weight']);
    expect(byCode('nir.dangling-edge').length).toBe(2);
  });
});

describe('written file structure', () => {
  it('uses the reference layout: vlen strings, int64 shapes and params, stored float dtypes', async () => {
    const bytes = await writeNir(exampleGraph(META));
    const { tree, diagnostics } = await readHdf5Tree(bytes);
    expect(diagnostics).toEqual([]);
    const t = tree as Record<string, NirDictValue>;
    expect(t.version).toEqual({ dtype: 'string', shape: [], data: ['0.2.0'] });
    const node = t.node as NirDict;
    expect(node.type).toEqual({ dtype: 'string', shape: [], data: ['NIRGraph'] });
    const edges = node.edges as StringTensor;
    expect(edges.dtype).toBe('string');
    expect(edges.shape).toEqual([5, 2]);
    const nodes = node.nodes as Record<string, NirDict>;
    const dt = (n: string, k: string) => {
      const v = nodes[n]![k] as Tensor | StringTensor;
      return [v.dtype, v.shape];
    };
    expect(dt('affine', 'weight')).toEqual(['float32', [2, 3]]);
    expect(dt('linear', 'weight')).toEqual(['float64', [2, 2]]);
    expect(dt('input', 'shape')).toEqual(['int64', [1]]);
    expect(dt('conv2d', 'stride')).toEqual(['int64', [2]]);
    expect(dt('conv2d', 'groups')).toEqual(['int64', []]);
    expect(dt('conv2dSame', 'padding')).toEqual(['string', []]);
    expect(dt('flatten', 'start_dim')).toEqual(['int64', []]);
    expect(dt('conv1d', 'input_shape')).toEqual(['int64', []]);
    expect(Object.keys(nodes.affine!.metadata as NirDict).sort()).toEqual(['data', 'some', 'with']);
    // zero edges: an empty float64 dataset, as the reference writes it
    const empty = await readHdf5Tree(await writeNir(nirGraph({ x: { type: 'Input', shape: [1] } }, [])));
    const e = (empty.tree as Record<string, NirDict>).node!.edges as Tensor;
    expect([e.dtype, e.shape]).toEqual(['float64', [0]]);
    // no metadata group when metadata is empty
    expect('metadata' in (empty.tree as Record<string, NirDict>).node!).toBe(false);
  });

  it('random corruption never throws', async () => {
    const base = await writeNir(exampleGraph(), { compression: false });
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let i = 0; i < 40; i++) {
      const b = base.slice();
      for (let k = 0; k < 1 + Math.floor(rnd() * 8); k++)
        b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      const r = await readNir(b);
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    }
  });
});

describe('subgraph port addressing and parameter shapes', () => {
  const lin = (n: number): NirNode => ({
    type: 'Linear',
    weight: tensor(Array(n * n).fill(1), { shape: [n, n] }),
  });
  const sub = () =>
    nirGraph({ in: { type: 'Input', shape: [2] }, B: lin(2), out: { type: 'Output', shape: [2] } }, [
      ['in', 'B'],
      ['B', 'out'],
    ]);

  it('G.B is a dangling edge by default and resolved on request', () => {
    const g = nirGraph(
      { input: { type: 'Input', shape: [2] }, A: lin(2), G: sub(), output: { type: 'Output', shape: [2] } },
      [
        ['input', 'A'],
        ['A', 'G.B'],
        ['input', 'G'],
        ['G', 'output'],
      ],
    );
    expect(inferTypes(g).diagnostics.map((d) => d.code)).toEqual(['nir.dangling-edge']);
    const r = inferTypes(g, { resolveSubgraphAddresses: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.graph.edges).toContainEqual(['A', 'G.B']);
  });

  it('wrong Affine bias shapes are reported with the parameter path', () => {
    const a: NirNode = {
      type: 'Affine',
      weight: tensor([
        [1, 2],
        [3, 4],
      ]),
      bias: tensor([1, 2, 3]),
    };
    expect(inferTypes(nirGraph({ a }, [])).diagnostics).toEqual([
      expect.objectContaining({ code: 'nir.param-shape', path: 'a.bias' }),
    ]);
  });
});
