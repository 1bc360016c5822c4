/**
 * The Problems list: the editor's graph checks and config's full validation merged into one list
 * in words, each problem once, each with the place it is about (module, section, field or port) so
 * a click can select the node and focus the field.
 *
 * Config validates the model as the Brain will see it, so one mistake can come back several times:
 * a controller's `dt` is re-applied to every child and reported at each of them, and "the brain has
 * no input" says what the editor's "No source node was found." says. Such repeats are folded into
 * the first report.
 *
 * @module
 */
import { buildSections, type FieldSection, initializerFields, registryFields } from './fields.ts';
import type { EditorRegistry } from './registry.ts';
import type { Diagnostic, DocNode, EditorDocument, FieldPath, LogLevel } from './types.ts';
import { formatPath } from './types.ts';
import { checkGraph } from './validate.ts';

/** One problem of the document. */
export interface Problem {
  level: Extract<LogLevel, 'error' | 'warning'>;
  /** What is wrong, in words (no internal paths). */
  message: string;
  /** Where, from the outside in: `['pool', 'soma', 'potential_tau']`, `['Brain', 'dt']`, `['Model']`. */
  where: string[];
  /** The node it is about (undefined for the controller and the whole model). */
  nodeId?: string;
  /** The field to focus (formatted wire path of the node's config, or of the controller). */
  field?: string;
  /** Identity of the place and kind of problem (used to fold repeats). */
  key: string;
}

interface Row {
  /** Config's issue path of the field. */
  issuePath: string;
  /** Formatted wire path (what the inspector's `data-field` holds). */
  field: string;
  /** Section titles then the field name. */
  where: string[];
}

/** Every inspector row of a module node, with config's issue path. */
function rowsOf(doc: EditorDocument, node: DocNode, registry: EditorRegistry): Row[] {
  const lookup = registryFields(registry);
  const out: Row[] = [];
  const walk = (section: FieldSection, titles: string[]): void => {
    for (const f of section.fields) {
      const add = (path: (string | number)[], name: string) => {
        const issuePath = configIssuePath(doc, node.id, path);
        if (issuePath) out.push({ issuePath, field: formatPath(path), where: [...titles, name] });
      };
      add(f.path, f.name);
      for (const sub of initializerFields(f.value, f.path, registry)) add(sub.path, `${f.name}.${sub.name}`);
    }
    for (const s of section.sections) walk(s, [...titles, s.title]);
  };
  walk(buildSections(node.config, lookup(node.type), lookup), []);
  return out;
}

/** Problems that say the same thing in other words get the same key. */
const SAME_AS: { test: RegExp; key: string }[] = [
  { test: /^No source node was found|the brain has no input/, key: 'model:no-input' },
  { test: /^No sink node was found|the brain has no output/, key: 'model:no-output' },
];

function sameAs(message: string): string | undefined {
  return SAME_AS.find((s) => s.test.test(message))?.key;
}

/**
 * Config's messages that speak of its data structures rather than of what is on the canvas, in the
 * canvas's words.
 */
const CANVAS_WORDS: { test: RegExp; text: string }[] = [
  {
    test: /the brain has no input \(no PortMap with origin "__call__"\)/,
    text: 'no module reads a Source node: the brain has no input',
  },
  {
    test: /the brain has no output \(no module has an "outputs" entry\)/,
    text: 'no module feeds a Sink node: the brain has no output',
  },
];

/** The message without the path config writes in front of it, in the canvas's words. */
function words(d: Diagnostic): string {
  const m = d.path && d.message.startsWith(`${d.path}: `) ? d.message.slice(d.path.length + 2) : d.message;
  const plain = m.replace(/^modules_specs\[\d+\][^:]*: /, '');
  return CANVAS_WORDS.find((w) => w.test.test(plain))?.text ?? plain;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The document's problems: the editor's graph checks (sources, sinks, components, unconnected
 * ports, unknown modules) and `issues` (config's full validation), in words and each once.
 */
export function listProblems(
  doc: EditorDocument,
  registry: EditorRegistry,
  issues: readonly Diagnostic[],
): Problem[] {
  const modules = doc.nodes.filter((n) => n.kind === 'module');
  const rows = new Map<string, Row[]>();
  const rowsFor = (n: DocNode): Row[] => {
    let r = rows.get(n.id);
    if (!r) {
      r = rowsOf(doc, n, registry);
      rows.set(n.id, r);
    }
    return r;
  };
  const controller = doc.mode === 'brain' ? 'Brain' : 'Neuron';
  const out: Problem[] = [];
  const seen = new Set<string>();
  /** Field problems already reported, by field name and message, with their issue path. */
  const fieldReports: { name: string; message: string; path: string }[] = [];

  const place = (d: Diagnostic): Omit<Problem, 'level' | 'message' | 'key'> & { key: string } => {
    const path = d.path ?? '';
    const m = /^modules_specs\[(\d+)\](.*)$/.exec(path);
    const node = m ? modules[Number(m[1])] : d.nodeId ? doc.nodes.find((n) => n.id === d.nodeId) : undefined;
    if (node) {
      const rest = m?.[2] ?? '';
      const input = /^\.inputs\.([^.[]+)/.exec(rest);
      if (input?.[1])
        return {
          where: [node.id, `input ${input[1]}`],
          nodeId: node.id,
          key: `node:${node.id}:input:${input[1]}`,
        };
      const row = rowsFor(node).find((r) => r.issuePath === path);
      if (row)
        return {
          where: [node.id, ...row.where],
          nodeId: node.id,
          field: row.field,
          key: `node:${node.id}:field:${row.field}`,
        };
      return { where: [node.id], nodeId: node.id, key: `node:${node.id}:${rest}` };
    }
    if (path && !path.startsWith('modules_specs'))
      return { where: [controller, path], field: path, key: `controller:${path}` };
    return { where: ['Model'], key: `model:${path}` };
  };

  const add = (d: Diagnostic): void => {
    if (d.level !== 'error' && d.level !== 'warning') return;
    const message = capital(words(d).replace(/\.$/, ''));
    const p = place(d);
    const key = sameAs(d.message) ?? `${p.key}:${p.field || p.key.includes(':input:') ? '' : message}`;
    if (seen.has(key)) return;
    // A controller's dt (or a neuron's units) re-applied to its children is reported once, where it is set.
    const name = d.path?.split('.').at(-1) ?? '';
    if (
      d.path &&
      fieldReports.some(
        (r) => r.name === name && r.message === message && d.path?.startsWith(r.path.slice(0, -name.length)),
      )
    )
      return;
    seen.add(key);
    if (d.path && p.field) fieldReports.push({ name, message, path: d.path });
    const problem: Problem = { level: d.level, message, where: p.where, key };
    if (p.nodeId !== undefined) problem.nodeId = p.nodeId;
    if (p.field !== undefined) problem.field = p.field;
    out.push(problem);
  };
  const graph = checkGraph(doc, registry);
  // Config names each module that is not connected to the rest; the editor's count of components
  // is only kept when config said nothing of the kind.
  const components = graph.filter((d) => d.message.startsWith('Multiple connected components'));
  const unconnected = issues.some((d) => /is not connected to the rest of the brain/.test(d.message));
  // Controller fields first, then everything in document order: a child's repeat of a parent's
  // value problem then always comes after the parent's report.
  const ordered = [...issues].sort((a, b) => depth(a.path) - depth(b.path));
  for (const d of [
    ...graph.filter((x) => !components.includes(x)),
    ...ordered,
    ...(unconnected ? [] : components),
  ])
    add(d);
  return out.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
}

function depth(path: string | undefined): number {
  return path === undefined ? 0 : (path.match(/[.[]/g) ?? []).length;
}

/** `pool › soma › potential_tau: must be > 0 (got -1)`: a problem as one line. */
export function problemText(p: Problem): string {
  return `${p.where.join(' › ')}: ${p.message}`;
}

/**
 * The path config's validation uses for a field of a module node: `modules_specs[i].config.` then
 * the field path with neuron components by spec name and nested configs without `__cfg__`
 * (`modules_specs[1].config.synapses.kernel.density`).
 */
export function configIssuePath(
  doc: EditorDocument,
  nodeId: string,
  wirePath: FieldPath,
): string | undefined {
  const modules = doc.nodes.filter((n) => n.kind === 'module');
  const index = modules.findIndex((n) => n.id === nodeId);
  const node = modules[index];
  if (!node) return undefined;
  const parts: string[] = [];
  let cur: unknown = node.config;
  for (let i = 0; i < wirePath.length; i++) {
    const k = wirePath[i];
    if (
      k === 'modules_specs' &&
      typeof wirePath[i + 1] === 'number' &&
      wirePath[i + 2] === '__data__' &&
      wirePath[i + 3] === 'config'
    ) {
      const spec = (cur as { modules_specs?: Array<{ __data__?: { name?: string; config?: unknown } }> })
        .modules_specs?.[wirePath[i + 1] as number];
      parts.push(spec?.__data__?.name ?? String(wirePath[i + 1]));
      cur = spec?.__data__?.config;
      i += 3;
      continue;
    }
    if (k === '__cfg__') {
      cur = (cur as Record<string, unknown> | undefined)?.__cfg__;
      continue;
    }
    parts.push(typeof k === 'number' ? `[${k}]` : (k as string));
    cur =
      typeof k === 'number'
        ? (cur as unknown[] | undefined)?.[k]
        : (cur as Record<string, unknown> | undefined)?.[k as string];
  }
  return `modules_specs[${index}].config${parts.map((p) => (p.startsWith('[') ? p : `.${p}`)).join('')}`;
}

/** Attaches node ids to diagnostics whose path starts with `modules_specs[i]`. */
export function mapPathsToNodes(diags: Diagnostic[], doc: EditorDocument): Diagnostic[] {
  const modules = doc.nodes.filter((n) => n.kind === 'module');
  return diags.map((d) => {
    if (d.nodeId !== undefined || d.path === undefined) return d;
    const m = /^modules_specs\[(\d+)\]/.exec(d.path);
    const node = m ? modules[Number(m[1])] : undefined;
    return node ? { ...d, nodeId: node.id } : d;
  });
}
