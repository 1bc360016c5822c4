// One description per module (issue 18 item 1): what a package shows or runs for a registry name
// agrees with `@spark-snn/config` on fields, defaults, units and ports, and the package's source
// keeps no copy of config's tables.
//
// The test is a table of package views (`VIEWS`) and of source folders (`SOURCES`): to bring
// another package under it (kernels' port tables, nn's payload table), add a view that describes a
// registry name as that package sees it, and its source folder with the words it may use.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BRAIN_FIELDS,
  DEFAULT_FIELDS,
  defaultRegistry,
  encodeBody,
  fillDefaults,
  type ModuleSpec,
  NEURON_FIELDS,
  PAYLOAD_REGISTRY_NAMES,
  pyJsonDumps,
} from '@spark-snn/config';
import { describe, expect, it } from 'vitest';
import { createConfigRegistry } from '../../src/config-bridge.ts';
import { addModule } from '../../src/model/commands.ts';
import { moduleSections, registryFields } from '../../src/model/fields.ts';
import { nodePorts } from '../../src/model/ports.ts';
import type { JsonObject } from '../../src/model/types.ts';
import { emptyDocument } from '../../src/model/types.ts';

/** How one package describes a module: its fields (in order) and its ports. */
interface ModuleView {
  fields: { name: string; default: unknown; units: string | undefined }[];
  ports: { role: string; name: string; payload: string; optional: boolean }[];
}

/** Config's own description: the reference. Hidden fields (editor widget `hidden`) are left out. */
function configView(spec: ModuleSpec): ModuleView {
  const filled = JSON.parse(
    pyJsonDumps(encodeBody(spec, fillDefaults(spec, {}, defaultRegistry), defaultRegistry)),
  ) as JsonObject;
  const payload = (p: string) => (PAYLOAD_REGISTRY_NAMES as Record<string, string>)[p] ?? 'any';
  return {
    fields: spec.fields
      .filter((f) => f.editor.widget !== 'hidden' && f.name !== 'modules_specs')
      .map((f) => ({ name: f.name, default: f.name === 'seed' ? 'seed' : filled[f.name], units: f.units })),
    ports: [
      ...spec.ports.inputs.map((p) => ({
        role: 'input',
        name: p.name,
        payload: payload(p.payload),
        optional: p.optional,
      })),
      ...spec.ports.properties
        .filter((p) => p.settable)
        .map((p) => ({ role: 'effect', name: p.name, payload: payload(p.payload), optional: false })),
      ...spec.ports.outputs.map((p) => ({
        role: 'output',
        name: p.name,
        payload: payload(p.payload),
        optional: false,
      })),
      ...spec.ports.properties.map((p) => ({
        role: 'property',
        name: p.name,
        payload: payload(p.payload),
        optional: false,
      })),
    ],
  };
}

const editorRegistry = createConfigRegistry();

/**
 * The editor's view: a node added from the palette (its config as stored, its inspector rows and
 * its canvas ports). Units are Spark's editor default `[1]` (`_create_partial(_s_units=(1,))`).
 */
function editorView(name: string): ModuleView | undefined {
  if (!editorRegistry.get(name)) return undefined;
  const r = addModule(emptyDocument(), editorRegistry, name, { x: 0, y: 0 });
  if (!r.ok) throw new Error(r.message);
  const node = r.value;
  const rows = moduleSections(node.config, name, registryFields(editorRegistry)).fields;
  return {
    fields: rows.map((f) => ({
      name: f.name,
      default: f.name === 'seed' ? 'seed' : f.name === 'units' ? undefined : f.value,
      units: f.units,
    })),
    ports: nodePorts(node, r.doc, editorRegistry).map((p) => ({
      role: p.role,
      name: p.name,
      payload: p.payload ?? 'any',
      optional: p.optional,
    })),
  };
}

/** Package views to compare with config (add kernels and nn here when their tables are derived). */
const VIEWS: Record<string, (name: string) => ModuleView | undefined> = { editor: editorView };

/** Every module and neuron registry name (initializers and controllers are not modules of a graph). */
const NAMES = defaultRegistry
  .list()
  .filter((s) => s.kind !== 'initializer' && s.kind !== 'brain')
  .map((s) => s.name);

describe('one description per module: packages agree with config', () => {
  it('covers every registry name, the six the editor once lacked included', () => {
    for (const n of ['cuba_lif', 'coba_lif', 'brunel_lif', 'poisson_drive', 'sparse_synapses', 'neuron'])
      expect(NAMES).toContain(n);
    expect(NAMES.length).toBeGreaterThan(35);
  });

  for (const [pkg, view] of Object.entries(VIEWS)) {
    it.each(NAMES)(`${pkg} describes %s as config does (fields, defaults, units, ports)`, (name) => {
      const spec = defaultRegistry.get(name);
      if (!spec) throw new Error(name);
      const want = configView(spec);
      const got = view(name);
      expect(got, `${pkg} has no ${name}`).toBeDefined();
      const units = (v: ModuleView) =>
        v.fields.map((f) => (f.name === 'units' ? { ...f, default: undefined } : f));
      expect(units(got as ModuleView)).toEqual(units(want));
      expect(got?.ports).toEqual(want.ports);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// no copies in source
// ---------------------------------------------------------------------------------------------

/**
 * Field names every module or controller shares, and names the editor uses on purpose: they may
 * appear in source. Everything else a module of config declares (its registry name, its own
 * fields) must not.
 */
const SHARED_WORDS = new Set([
  ...[...DEFAULT_FIELDS, ...NEURON_FIELDS, ...BRAIN_FIELDS].map((f) => f.name),
  // Spark's editor links `dt` and `units` of a neuron's children (spark-reference §4.6).
  'units',
  // Initializer fields the inspector reads when a value turns into an initializer and back.
  'scale',
  // Port names of the simulation panel's inputs and raster, read from the compiled brain.
  'spikes',
  'out_spikes',
  'signal',
  'kernel',
]);

/**
 * Module names and module-specific field names of config's registry. Only compound snake_case
 * names are looked for (`leaky_soma`, `potential_tau`): one-word names (`tau`, `a`, `neuron`) are
 * too common in code to tell a copy from a variable.
 */
function protectedWords(): Set<string> {
  const out = new Set<string>();
  for (const s of defaultRegistry.list()) {
    if (s.kind === 'brain' || s.kind === 'initializer') continue;
    out.add(s.name);
    for (const f of s.fields) if (!SHARED_WORDS.has(f.name)) out.add(f.name);
  }
  return new Set([...out].filter((w) => w.includes('_')));
}

/** Source folders checked for copies, with the words each may use and why. */
const SOURCES: { pkg: string; dir: string; allow: Record<string, string> }[] = [
  {
    pkg: 'editor',
    dir: fileURLToPath(new URL('../../src', import.meta.url)),
    allow: {
      constant_initializer: 'the initializer a single value turns into (a UI choice, not a default)',
    },
  },
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e) && !/\.test\.tsx?$/.test(e)) out.push(p);
  }
  return out;
}

/** The code of a TS file without comments (so docs may name modules). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('one description per module: no copy of config in source', () => {
  const words = protectedWords();
  it('knows what to look for', () => {
    for (const w of ['leaky_soma', 'potential_tau', 'max_freq', 'lif_neuron']) expect(words).toContain(w);
  });
  for (const src of SOURCES) {
    it(`${src.pkg} source names no module and no module field of config`, () => {
      const found: string[] = [];
      for (const file of sourceFiles(src.dir)) {
        const text = code(readFileSync(file, 'utf8'));
        for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
          const w = m[0];
          if (words.has(w) && !(w in src.allow)) found.push(`${file.slice(src.dir.length + 1)}: ${w}`);
        }
      }
      expect([...new Set(found)]).toEqual([]);
    });
  }
  it('would find a copy if one came back', () => {
    const copy = code('const FIELDS = { leaky_soma: () => ({ potential_tau: 20.0 }) }; // leaky_soma');
    const hits = [...copy.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0]).filter((w) => words.has(w));
    expect(hits).toEqual(['leaky_soma', 'potential_tau']);
  });
});
