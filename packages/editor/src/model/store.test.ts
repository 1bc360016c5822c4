import { describe, expect, it } from 'vitest';
import { createConfigRegistry } from '../config-bridge.ts';
import { configIssuePath, problemText } from './problems.ts';
import { documentFromSpark, documentToSpark } from './spark-json.ts';
import { createEditorStore } from './store.ts';
import { formatPath, parsePath } from './types.ts';

const registry = createConfigRegistry();
const quiet = { registry, mirrorToConsole: false } as const;

function brainWithPool() {
  const s = createEditorStore(quiet);
  const st = s.getState();
  st.addIoNode('source', { x: 0, y: 0 }, 'obs');
  st.addModule('poisson_spiker', { x: 200, y: 0 }, 'enc');
  st.addModule('lif_neuron', { x: 400, y: 0 }, 'pool');
  st.addIoNode('sink', { x: 600, y: 0 }, 'out');
  return s;
}

describe('editor store', () => {
  it('adds modules with registry defaults and unique names', () => {
    const s = createEditorStore(quiet);
    const a = s.getState().addModule('poisson_spiker');
    const b = s.getState().addModule('poisson_spiker');
    expect(a?.id).toBe('PoissonSpiker_1');
    expect(b?.id).toBe('PoissonSpiker_2');
    expect(a?.config.max_freq).toBe(100);
    expect(s.getState().addModule('no_such_module')).toBeUndefined();
    expect(s.getState().log.at(-1)?.message).toMatch(/no module with name "no_such_module"/);
    expect(s.getState().addModule('poisson_spiker', undefined, 'PoissonSpiker_1')).toBeUndefined();
    expect(s.getState().log.at(-1)?.message).toMatch(/already in use/);
  });

  it('connects typed ports and refuses incompatible payloads with a console error', () => {
    const s = brainWithPool();
    const st = s.getState();
    expect(
      st.connect({ source: 'obs', sourceHandle: 'out:value', target: 'enc', targetHandle: 'in:signal' }),
    ).toBe(true);
    expect(
      st.connect({ source: 'enc', sourceHandle: 'out:spikes', target: 'pool', targetHandle: 'in:in_spikes' }),
    ).toBe(true);
    // spikes → signal (FloatArray) is refused
    expect(
      st.connect({
        source: 'pool',
        sourceHandle: 'out:out_spikes',
        target: 'enc',
        targetHandle: 'in:signal',
      }),
    ).toBe(false);
    const last = s.getState().log.at(-1);
    expect(last?.level).toBe('error');
    expect(last?.message).toBe(
      'Tried to connect pool.out_spikes to enc.signal but they have different payload types: SpikeArray vs FloatArray.',
    );
    // sinks adopt the payload and accept one edge
    expect(
      st.connect({ source: 'pool', sourceHandle: 'out:out_spikes', target: 'out', targetHandle: 'in:value' }),
    ).toBe(true);
    expect(s.getState().doc.nodes.find((n) => n.id === 'out')?.spec?.payload).toBe('spike_array');
    expect(
      st.connect({ source: 'enc', sourceHandle: 'out:spikes', target: 'out', targetHandle: 'in:value' }),
    ).toBe(false);
    // recurrent edge on a neuron is fine
    expect(
      st.connect({
        source: 'pool',
        sourceHandle: 'out:out_spikes',
        target: 'pool',
        targetHandle: 'in:in_spikes',
      }),
    ).toBe(true);
    expect(s.getState().doc.edges).toHaveLength(4);
  });

  it('undoes and redoes every document change, and a drag is one step', () => {
    const s = brainWithPool();
    const st = s.getState();
    const n0 = st.doc.nodes.length;
    st.setField('enc', ['max_freq'], 250);
    expect(s.getState().doc.nodes.find((n) => n.id === 'enc')?.config.max_freq).toBe(250);
    st.undo();
    expect(s.getState().doc.nodes.find((n) => n.id === 'enc')?.config.max_freq).toBe(100);
    st.redo();
    expect(s.getState().doc.nodes.find((n) => n.id === 'enc')?.config.max_freq).toBe(250);
    st.moveNodes({ enc: { x: 210, y: 5 } }, true);
    st.moveNodes({ enc: { x: 220, y: 10 } }, true);
    st.moveNodes({ enc: { x: 230, y: 15 } });
    expect(s.getState().doc.nodes.find((n) => n.id === 'enc')?.position).toEqual({ x: 230, y: 15 });
    st.undo();
    expect(s.getState().doc.nodes.find((n) => n.id === 'enc')?.position).toEqual({ x: 200, y: 0 });
    st.select(['enc']);
    st.removeSelected();
    expect(s.getState().doc.nodes).toHaveLength(n0 - 1);
    st.undo();
    expect(s.getState().doc.nodes).toHaveLength(n0);
    // selection changes are not history steps
    const past = s.temporal.getState().pastStates.length;
    st.select(['pool']);
    expect(s.temporal.getState().pastStates.length).toBe(past);
  });

  it('copies and pastes a selection with fresh names, seeds and internal edges', () => {
    const s = brainWithPool();
    const st = s.getState();
    st.connect({ source: 'enc', sourceHandle: 'out:spikes', target: 'pool', targetHandle: 'in:in_spikes' });
    st.select(['enc', 'pool']);
    const text = st.copy();
    const ids = st.paste(text);
    expect(ids).toEqual(['enc_copy', 'pool_copy']);
    const doc = s.getState().doc;
    expect(doc.edges.some((e) => e.source === 'enc_copy' && e.target === 'pool_copy')).toBe(true);
    const a = doc.nodes.find((n) => n.id === 'enc');
    const b = doc.nodes.find((n) => n.id === 'enc_copy');
    expect(b?.position).toEqual({ x: (a?.position.x ?? 0) + 40, y: (a?.position.y ?? 0) + 40 });
    expect(s.getState().selection).toEqual(ids);
    expect(st.paste('not json')).toEqual([]);
  });

  it('links similar child variables but never seeds', () => {
    const s = brainWithPool();
    const st = s.getState();
    const pool = () => s.getState().doc.nodes.find((n) => n.id === 'pool');
    expect(st.setLink('pool', ['dt'], true)).toBe(true);
    st.setField('pool', ['dt'], 0.5);
    const specs = pool()?.config.modules_specs as Array<{ __data__: { config: { dt: number } } }>;
    expect(specs.map((x) => x.__data__.config.dt)).toEqual([0.5, 0.5, 0.5, 0.5]);
    // receiving fields are locked
    expect(st.setField('pool', ['modules_specs', 0, '__data__', 'config', 'dt'], 2)).toBe(false);
    expect(st.setLink('pool', ['seed'], true)).toBe(false);
    expect(s.getState().log.at(-1)?.message).toMatch(/Seeds are never linked/);
    // unlinking keeps values and unlocks
    st.setLink('pool', ['dt'], false);
    expect(st.setField('pool', ['modules_specs', 0, '__data__', 'config', 'dt'], 2)).toBe(true);
    // units reach every child that has a units field
    st.setLink('pool', ['units'], true);
    st.setField('pool', ['units'], [64]);
    const units = (
      (pool()?.config.modules_specs ?? []) as Array<{ __data__: { config: { units?: number[] } } }>
    )
      .map((x) => x.__data__.config.units)
      .filter((u) => u !== undefined);
    expect(units).toEqual([[64], [64]]);
  });

  it('exports a model (with __call__ ports) and reloads it to the same document', () => {
    const s = brainWithPool();
    const st = s.getState();
    st.connect({ source: 'obs', sourceHandle: 'out:value', target: 'enc', targetHandle: 'in:signal' });
    st.connect({ source: 'enc', sourceHandle: 'out:spikes', target: 'pool', targetHandle: 'in:in_spikes' });
    st.connect({ source: 'pool', sourceHandle: 'out:out_spikes', target: 'out', targetHandle: 'in:value' });
    const { json, diagnostics } = st.exportModel();
    expect(diagnostics.filter((d) => d.level === 'error')).toEqual([]);
    expect(json).toBeDefined();
    const specs = (json as { __cfg__: { modules_specs: Array<{ __data__: Record<string, unknown> }> } })
      .__cfg__.modules_specs;
    expect(specs.map((x) => x.__data__.name)).toEqual(['enc', 'pool']);
    expect(specs[0]?.__data__.inputs).toEqual({
      signal: [{ __type__: 'port_map', __data__: { origin: '__call__', port: 'obs', is_property: false } }],
    });
    expect(specs[1]?.__data__.outputs).toEqual({ out: 'out_spikes' });
    const back = documentFromSpark(json, registry);
    expect(back.diagnostics).toEqual([]);
    expect(documentToSpark(back.doc, registry)).toEqual(json);
  });

  it('refuses to export an invalid model and lists the problems', () => {
    const s = createEditorStore(quiet);
    s.getState().addModule('leaky_soma', undefined, 'soma');
    s.getState().addModule('poisson_spiker', undefined, 'p');
    const r = s.getState().exportModel();
    expect(r.json).toBeUndefined();
    const msgs = r.diagnostics.map((d) => d.message);
    expect(msgs).toContain('No source node was found.');
    expect(msgs).toContain('No sink node was found.');
    expect(msgs.some((m) => /Multiple connected components/.test(m))).toBe(true);
    expect(r.diagnostics.find((d) => d.path === 'modules_specs[0].inputs.current')?.nodeId).toBe('soma');
    // The same problems in words, each once.
    expect(r.problems.map(problemText)).toContain('soma › input current: Not connected');
  });

  it('saves sessions with editor node references and loads invalid sessions with problems listed', () => {
    const s = brainWithPool();
    s.getState().connect({
      source: 'obs',
      sourceHandle: 'out:value',
      target: 'enc',
      targetHandle: 'in:signal',
    });
    const session = s.getState().sessionJson();
    const specs = (
      session as { __cfg__: { modules_specs: Array<{ __data__: { inputs: Record<string, unknown> } }> } }
    ).__cfg__.modules_specs;
    expect(specs[0]?.__data__.inputs.signal).toEqual([
      { __type__: 'port_map', __data__: { origin: 'obs', port: 'value', is_property: false } },
    ]);
    const s2 = createEditorStore(quiet);
    s2.getState().load(session, { fileName: 'x.sge' });
    expect(s2.getState().doc.edges).toEqual(s.getState().doc.edges);
    // an invalid session still loads
    const broken = structuredClone(session) as { __cfg__: { modules_specs: unknown[] } };
    broken.__cfg__.modules_specs.push({
      __type__: 'module_specs',
      __data__: { name: 'ghost', module_cls: { __module_type__: 'nope' } },
    });
    broken.__cfg__.modules_specs.push(42);
    const d = s2.getState().load(broken);
    expect(s2.getState().doc.nodes.some((n) => n.id === 'ghost')).toBe(true);
    expect(d.some((x) => /is not a module_specs entry with a name: it was left out/.test(x.message))).toBe(
      true,
    );
    expect(d.some((x) => x.nodeId === 'ghost' && /not a registered module/.test(x.message))).toBe(true);
    expect(
      s2
        .getState()
        .load('garbage')
        .some((x) => x.level === 'error'),
    ).toBe(true);
  });

  it('edits a neuron inside (Neuron mode) and writes it back', () => {
    const s = brainWithPool();
    expect(s.getState().enterNeuron('pool')).toBe(true);
    const inner = s.getState().doc;
    expect(inner.mode).toBe('neuron');
    expect(inner.nodes.filter((n) => n.kind === 'module').map((n) => n.id)).toEqual([
      'delays',
      'synapses',
      'soma',
      'hebbian_rule',
    ]);
    expect(
      inner.nodes
        .filter((n) => n.kind !== 'module')
        .map((n) => `${n.kind}:${n.id}`)
        .sort(),
    ).toEqual(['property:inhibition_mask', 'sink:out_spikes', 'source:in_spikes']);
    s.getState().setField('soma', ['threshold'], -45);
    expect(s.getState().saveCustomNeuron('my_lif_neuron')).toBe(true);
    s.getState().exitNeuron(true);
    const doc = s.getState().doc;
    expect(doc.mode).toBe('brain');
    expect(doc.customNeurons.my_lif_neuron).toBeDefined();
    const pool = doc.nodes.find((n) => n.id === 'pool');
    const soma = (
      (pool?.config.modules_specs ?? []) as Array<{
        __data__: { name: string; config: { threshold: number } };
      }>
    ).find((x) => x.__data__.name === 'soma');
    expect(soma?.__data__.config.threshold).toBe(-45);
    expect(s.getState().addModule('my_lif_neuron', undefined, 'pool2')?.subregistry).toBe('NEURONS');
  });

  it('auto-layout places sources left of sinks', () => {
    const s = brainWithPool();
    const st = s.getState();
    st.connect({ source: 'obs', sourceHandle: 'out:value', target: 'enc', targetHandle: 'in:signal' });
    st.connect({ source: 'enc', sourceHandle: 'out:spikes', target: 'pool', targetHandle: 'in:in_spikes' });
    st.connect({ source: 'pool', sourceHandle: 'out:out_spikes', target: 'out', targetHandle: 'in:value' });
    st.layout();
    const x = (id: string) => s.getState().doc.nodes.find((n) => n.id === id)?.position.x ?? Number.NaN;
    expect(x('obs')).toBeLessThan(x('enc'));
    expect(x('enc')).toBeLessThan(x('pool'));
    expect(x('pool')).toBeLessThan(x('out'));
  });

  it('formats and parses field paths', () => {
    expect(formatPath(['modules_specs', 2, 'config', 'tau'])).toBe('modules_specs[2].config.tau');
    expect(parsePath('modules_specs[2].config.tau')).toEqual(['modules_specs', 2, 'config', 'tau']);
  });
});

describe('live validation', () => {
  it('keeps the full-validation issues of the document and maps field paths to them', async () => {
    const registry = createConfigRegistry();
    const s = createEditorStore({
      registry,
      mirrorToConsole: false,
      liveValidation: 0,
      validate: (json) => {
        const specs = (
          json as { __cfg__: { modules_specs: Array<{ __data__: { config: { max_freq?: number } } }> } }
        ).__cfg__.modules_specs;
        return specs.flatMap((m, i) =>
          (m.__data__.config.max_freq ?? 1) > 0
            ? []
            : [
                {
                  level: 'error' as const,
                  message: `modules_specs[${i}].config.max_freq: must be > 0`,
                  path: `modules_specs[${i}].config.max_freq`,
                },
              ],
        );
      },
    });
    s.getState().addModule('lif_neuron', undefined, 'pool');
    s.getState().addModule('poisson_spiker', undefined, 'enc');
    s.getState().setField('enc', ['max_freq'], -1);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.getState().issues).toEqual([
      {
        level: 'error',
        message: 'modules_specs[1].config.max_freq: must be > 0',
        path: 'modules_specs[1].config.max_freq',
        nodeId: 'enc',
      },
    ]);
    expect(configIssuePath(s.getState().doc, 'enc', ['max_freq'])).toBe('modules_specs[1].config.max_freq');
    expect(
      configIssuePath(s.getState().doc, 'pool', [
        'modules_specs',
        1,
        '__data__',
        'config',
        'kernel',
        '__cfg__',
        'density',
      ]),
    ).toBe('modules_specs[0].config.synapses.kernel.density');
  });
});

describe('Neuron mode palette', () => {
  it('expands a neuron template into the canvas instead of adding a neuron node', () => {
    const s = createEditorStore({ registry: createConfigRegistry(), mirrorToConsole: false });
    s.getState().newDocument('neuron');
    s.getState().addModule('lif_neuron', { x: 100, y: 100 });
    const doc = s.getState().doc;
    expect(doc.nodes.filter((n) => n.kind === 'module').map((n) => n.type)).toEqual([
      'n2n_delays',
      'linear_synapses',
      'leaky_soma',
      'hebbian_rule',
    ]);
    expect(
      doc.nodes
        .filter((n) => n.kind !== 'module')
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['property', 'sink', 'source']);
    expect(doc.edges.length).toBeGreaterThan(5);
    expect(s.getState().selection).toHaveLength(doc.nodes.length);
  });
});
