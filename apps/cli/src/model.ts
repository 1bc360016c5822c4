/**
 * Reading model files of every kind the CLI accepts, with errors that name the file:
 * Spark configs (`.scfg` XZ or plain JSON, `.sge` sessions, `.json`), NIR (`.nir` HDF5) and
 * the NIR JSON debug form (`.json` with spark-snn's NIR marker).
 *
 * Heavy packages are imported lazily so `spark --help` starts fast.
 *
 * @module
 */

import { basename, dirname, extname } from 'node:path';
import type { ConfigDocument, Registry } from '@spark-snn/config';
import type { Issue } from '@spark-snn/core';
import type { NirGraph } from '@spark-snn/graph';
import { CliError, UsageError } from './errors.ts';
import { type Io, resolvePath } from './io.ts';

/** File kinds by extension. */
export type FileKind = 'scfg' | 'sge' | 'json' | 'nir' | 'pynn';

/** The kind of a path from its extension, or undefined. */
export function kindOf(path: string): FileKind | undefined {
  const ext = extname(path).toLowerCase();
  switch (ext) {
    case '.scfg':
      return 'scfg';
    case '.sge':
      return 'sge';
    case '.json':
      return 'json';
    case '.nir':
    case '.h5':
    case '.hdf5':
      return 'nir';
    case '.py':
      return 'pynn';
    default:
      return undefined;
  }
}

/** The file name that means standard input (and, for text output, standard output). */
export const STDIO = '-';

const stdinCache = new WeakMap<Io, Promise<Uint8Array>>();

/**
 * The kind of a file from its extension, or for `-` (standard input) from its first bytes:
 * HDF5 → `nir`, XZ → `scfg`, `{` → `json`.
 */
export function kindFor(path: string, bytes: Uint8Array): FileKind | undefined {
  if (path !== STDIO) return kindOf(path);
  if (bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'nir';
  if (bytes[0] === 0xfd && bytes[1] === 0x37 && bytes[2] === 0x7a && bytes[3] === 0x58) return 'scfg';
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
  return head.startsWith('{') ? 'json' : undefined;
}

/**
 * Reads a file the user named (`-`: standard input, read once); a missing file or a directory is a
 * {@link CliError} (exit 1).
 */
export async function readUserFile(io: Io, path: string): Promise<Uint8Array> {
  if (path === STDIO) {
    let p = stdinCache.get(io);
    if (!p) {
      p = io.readStdin();
      stdinCache.set(io, p);
    }
    return p;
  }
  const full = resolvePath(io, path);
  const k = await io.kind(full);
  if (k === undefined) throw new CliError(path, 'no such file');
  if (k === 'dir') throw new CliError(path, 'is a directory, expected a file');
  try {
    return await io.readFile(full);
  } catch (e) {
    throw new CliError(path, `cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Writes a file, creating parent directories. */
export async function writeUserFile(io: Io, path: string, data: Uint8Array | string): Promise<void> {
  const full = resolvePath(io, path);
  try {
    await io.mkdirp(dirname(full));
    await io.writeFile(full, data);
  } catch (e) {
    throw new CliError(path, `cannot write: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const registries = new WeakMap<Io, Registry>();

/**
 * The module registry of one CLI invocation: a fresh copy of the built-ins, so neurons registered
 * with `--neuron` never leak into another invocation (tests run many in one process).
 */
export async function registryFor(io: Io): Promise<Registry> {
  let r = registries.get(io);
  if (!r) {
    const config = await import('@spark-snn/config');
    r = config.createRegistry();
    registries.set(io, r);
  }
  return r;
}

/** Registers custom neuron templates (`--neuron FILE`, Spark's `register_neuron_from_config_file`). */
export async function registerNeurons(io: Io, files: readonly string[]): Promise<void> {
  if (files.length === 0) return;
  const config = await import('@spark-snn/config');
  const registry = await registryFor(io);
  for (const file of files) {
    const bytes = await readUserFile(io, file);
    const stem = basename(file).replace(/\.[^.]*$/, '');
    const r = config.registerNeuronFromConfigFile(stem, bytes, registry, { replace: true });
    if (!r.ok) {
      const first = r.issues.find((i) => i.severity === 'error') ?? r.issues[0];
      throw new CliError(
        first?.path ? `${file}:${first.path}` : file,
        `cannot register the neuron: ${first?.message ?? 'unknown problem'}`,
      );
    }
  }
}

/** What a model file turned out to hold. */
export type LoadedModel =
  | {
      readonly kind: 'config';
      /** The decoded document; undefined when nothing usable could be read. */
      readonly document: ConfigDocument | undefined;
      readonly findings: Issue[];
      readonly session: boolean;
    }
  | {
      readonly kind: 'nir';
      readonly graph: NirGraph | undefined;
      readonly version: string | undefined;
      readonly findings: Issue[];
      /** Read from the JSON debug form rather than HDF5. */
      readonly fromJson: boolean;
    };

/** True when JSON bytes are spark-snn's NIR JSON debug form (it starts with its format marker). */
export function isNirJson(bytes: Uint8Array): boolean {
  return sniffJson(bytes) === 'nir-json';
}

function sniffJson(bytes: Uint8Array): 'nir-json' | 'config' {
  // Only the start matters: the NIR debug form begins with its format marker.
  const head = new TextDecoder().decode(bytes.subarray(0, 256));
  return /^\s*\{\s*"format"\s*:\s*"spark-snn\/nir-json/.test(head) ? 'nir-json' : 'config';
}

/**
 * Loads a model file by extension (content-sniffed for `.json`). With `validate`, config files are
 * fully validated (wiring, types, ranges); otherwise only decoding problems are reported.
 */
export async function loadModel(
  io: Io,
  path: string,
  options: { validate?: boolean; memoryBudget?: number | undefined } = {},
): Promise<LoadedModel> {
  const bytes = await readUserFile(io, path);
  const kind = kindFor(path, bytes);
  if (kind === undefined || kind === 'pynn') {
    if (path === STDIO)
      throw new CliError(path, 'standard input is neither a Spark config (XZ or JSON) nor NIR (HDF5)');
    throw new UsageError(
      path,
      `unknown file type "${extname(path) || '(none)'}" (expected .scfg, .sge, .json or .nir)`,
    );
  }
  if (kind === 'nir' || (kind === 'json' && sniffJson(bytes) === 'nir-json')) {
    const graph = await import('@spark-snn/graph');
    if (kind === 'json') {
      const r = graph.fromNirJson(new TextDecoder().decode(bytes));
      return {
        kind: 'nir',
        graph: r.graph,
        version: r.version,
        findings: r.diagnostics,
        fromJson: true,
      };
    }
    const r = await graph.readNir(bytes, { fileName: basename(path) });
    return {
      kind: 'nir',
      graph: r.graph,
      version: r.version,
      findings: r.diagnostics,
      fromJson: false,
    };
  }
  const config = await import('@spark-snn/config');
  const registry = await registryFor(io);
  if (kind === 'sge') {
    const s = config.readSession(bytes, { registry });
    return { kind: 'config', document: s.document, findings: s.issues, session: true };
  }
  const r = config.readScfg(bytes, { registry });
  if (!r.ok) return { kind: 'config', document: undefined, findings: r.issues, session: false };
  const issues = [...r.issues];
  if (options.validate !== false) {
    const budget = options.memoryBudget !== undefined ? { memoryBudget: options.memoryBudget } : {};
    for (const i of config.validateDocument(r.document, registry, budget)) {
      if (!issues.some((j) => j.path === i.path && j.code === i.code && j.message === i.message))
        issues.push(i);
    }
  }
  return {
    kind: 'config',
    document: r.document,
    findings: issues.map(neuronHint),
    session: false,
  };
}

/** An unknown custom neuron is registered on the command line with `--neuron FILE`: say so. */
function neuronHint(f: Issue): Issue {
  if (f.code !== 'unknown_module') return f;
  const name = /no module named "([^"]+)"/.exec(f.message)?.[1];
  if (!name || !f.hint?.includes('custom neuron')) return f;
  return {
    ...f,
    hint: `"${name}" is a custom neuron: register its template first with --neuron ${name}.scfg (Spark's register_neuron_from_config_file)`,
  };
}

/** Counts of issues by severity. */
export function countIssues(fs: readonly Issue[]): { errors: number; warnings: number } {
  return {
    errors: fs.filter((f) => f.severity === 'error').length,
    warnings: fs.filter((f) => f.severity === 'warning').length,
  };
}

/** `file:path: severity: message [code]` plus an indented hint line. */
export function formatIssue(file: string, f: Issue): string {
  const where = f.path ? `${file}:${f.path}` : file;
  const line = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
  return `${where}: ${f.severity}: ${line(f.message)} [${f.code}]${f.hint ? `\n  hint: ${line(f.hint)}` : ''}`;
}

/** Plural helper. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
