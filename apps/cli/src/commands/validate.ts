/**
 * `spark validate FILE...`: every diagnostic with its path; exit 1 when any file has errors.
 *
 * @module
 */
import type { Issue } from '@spark-snn/core';
import type { XyloConfig } from '@spark-snn/graph';
import { bytesOption, type Command, flag, MEMORY_BUDGET_OPTION, strs } from '../command.ts';
import { EXIT, messageOf } from '../errors.ts';
import type { Io } from '../io.ts';
import {
  countIssues,
  formatIssue,
  kindOf,
  loadModel,
  plural,
  readUserFile,
  registerNeurons,
  registryFor,
  STDIO,
} from '../model.ts';
import { findProfile } from './map.ts';

interface FileReport {
  file: string;
  ok: boolean;
  kind: 'config' | 'nir' | 'xylo-config';
  /** `brain_config`, `neuron_config`, …, `nir` or `xylo-config`. */
  type: string | undefined;
  errors: number;
  warnings: number;
  diagnostics: Issue[];
  /** Brains: which modules store their state in float16 (Spark's default dtype) or float32. */
  precision?: { float16: string[]; float32: string[] };
  /** Brains: estimated buffer bytes per backend (input shapes from io_specs, else 1). */
  buffers?: Record<string, number>;
  /** Brains: inputs whose shape the file does not declare (counted as 1 in `buffers`). */
  unknownInputs?: string[];
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check model files and print every problem with its path',
  usage: ['validate FILE... [--neuron FILE]... [--strict] [--json]'],
  description: [
    'Checks Spark configs (.scfg, plain .json, .sge sessions) with the config package: decoding,',
    'unknown modules and fields, wiring, port types, ranges and shapes. Checks NIR graphs (.nir HDF5,',
    'or the NIR JSON debug form) with the graph package: structure, parameters and type inference.',
    'Checks Xylo configurations written by `spark map --out` against their device profile.',
    'Each problem is printed as FILE:PATH: severity: message [code].',
    '',
    "Custom neurons (Spark's register_neuron_from_config_file) are registered with --neuron FILE;",
    'the class name is the file name without extension (alif_mod_neuron.scfg → alif_mod_neuron).',
  ].join('\n'),
  options: {
    neuron: {
      type: 'string',
      multiple: true,
      value: 'FILE',
      description: 'register a neuron_config .scfg as a custom neuron first',
    },
    strict: { type: 'boolean', description: 'treat warnings as errors' },
    'memory-budget': MEMORY_BUDGET_OPTION,
    quiet: { type: 'boolean', short: 'q', description: 'print only errors and the summary' },
  },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, names: 'FILE' },
  examples: [
    'spark validate model.scfg',
    'spark validate ab_brain.scfg --neuron alif_mod_neuron.scfg',
    'spark validate graph.nir --json | jq .files[0].diagnostics',
  ],
  async run({ io, args, json }) {
    await registerNeurons(io, strs(args, 'neuron'));
    const strict = flag(args, 'strict');
    const quiet = flag(args, 'quiet');
    const memoryBudget = bytesOption(args, 'memory-budget');
    const reports: FileReport[] = [];
    for (const file of args.positionals) {
      const c = await checkFile(io, file, memoryBudget);
      const { errors, warnings } = countIssues(c.findings);
      const failed = errors > 0 || !c.usable || (strict && warnings > 0);
      reports.push({
        file,
        ok: !failed,
        kind: c.kind,
        type: c.type,
        errors,
        warnings,
        diagnostics: c.findings,
        ...(c.precision ? { precision: c.precision } : {}),
        ...(c.buffers ? { buffers: c.buffers, unknownInputs: c.unknownInputs ?? [] } : {}),
      });
      if (!json) {
        for (const f of c.findings) {
          if (quiet && f.severity !== 'error') continue;
          io.stdout.write(`${formatIssue(file, f)}\n`);
        }
        if (!quiet && c.precision && c.buffers)
          io.stdout.write(await describeBrain(c.precision, c.buffers, c.unknownInputs ?? []));
        const what = c.what;
        const verdict = failed ? 'FAILED' : 'ok';
        io.stdout.write(
          `${file}: ${verdict} (${what}; ${plural(errors, 'error')}, ${plural(warnings, 'warning')})\n`,
        );
      }
    }
    const ok = reports.every((r) => r.ok);
    if (json) io.stdout.write(`${JSON.stringify({ ok, command: 'validate', files: reports }, null, 2)}\n`);
    return ok ? EXIT.ok : EXIT.error;
  },
};

/** What {@link checkFile} found. */
interface Checked {
  kind: FileReport['kind'];
  type: string | undefined;
  usable: boolean;
  findings: Issue[];
  /** For the summary line. */
  what: string;
  precision?: FileReport['precision'];
  buffers?: FileReport['buffers'];
  unknownInputs?: string[];
}

/** Two lines about a brain: which modules run in float16, and its buffers per backend. */
async function describeBrain(
  precision: NonNullable<FileReport['precision']>,
  buffers: NonNullable<FileReport['buffers']>,
  unknownInputs: readonly string[],
): Promise<string> {
  const { formatBytes } = await import('@spark-snn/config');
  const list = (xs: string[]) =>
    xs.length > 8 ? `${xs.slice(0, 8).join(', ')}, … (${xs.length})` : xs.join(', ');
  const lines = [
    precision.float16.length > 0
      ? `  float16 storage: ${list(precision.float16)} (dtype float16, Spark's default)`
      : '  float16 storage: none (every module is float32)',
  ];
  if (precision.float16.length > 0 && precision.float32.length > 0)
    lines.push(`  float32: ${list(precision.float32)}`);
  lines.push(
    `  buffers (estimate): ${Object.entries(buffers)
      .map(([k, v]) => `${k} ${formatBytes(v)}`)
      .join(
        ', ',
      )}${unknownInputs.length > 0 ? ` (inputs ${unknownInputs.join(', ')} of unknown shape counted as 1 value; a run checks the real sizes)` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Checks one file: a Spark config, a NIR graph, or a Xylo configuration written by `spark map`. */
async function checkFile(io: Io, file: string, memoryBudget: number | undefined): Promise<Checked> {
  if (kindOf(file) === 'json' || file === STDIO) {
    const bytes = await readUserFile(io, file);
    if (isXyloConfigJson(bytes)) return checkXyloConfig(bytes);
  }
  const m = await loadModel(io, file, { validate: true, memoryBudget });
  if (m.kind === 'config') {
    const d = m.document;
    const brain = d?.type === 'brain_config' ? await describePrecision(io, d.config) : undefined;
    return {
      ...(brain ?? {}),
      kind: 'config',
      type: d?.type,
      usable: d !== undefined,
      findings: m.findings,
      what: d
        ? `${d.type}${d.type === 'neuron_config' ? ' template' : ''}${m.session ? ' session' : ''}${describeModules(d.config.modules_specs)}`
        : 'unreadable',
    };
  }
  return {
    kind: 'nir',
    type: 'nir',
    usable: m.graph !== undefined,
    findings: m.findings,
    what: m.graph
      ? `NIR graph${m.version ? ` v${m.version}` : ''}, ${plural(m.graph.nodes.size, 'node')}`
      : 'unreadable NIR',
  };
}

/** True for the JSON `spark map --out` writes (it starts with its format marker). */
function isXyloConfigJson(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 256));
  return /^\s*\{\s*"format"\s*:\s*"spark-snn\/xylo-config"/.test(head);
}

async function checkXyloConfig(bytes: Uint8Array): Promise<Checked> {
  const graph = await import('@spark-snn/graph');
  const fail = (path: string, message: string): Checked => ({
    kind: 'xylo-config',
    type: 'xylo-config',
    usable: false,
    findings: [{ severity: 'error', code: 'config.format', path, message }],
    what: 'unreadable Xylo configuration',
  });
  let c: unknown;
  try {
    c = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return fail('', `invalid JSON: ${messageOf(e)}`);
  }
  const o = c as Partial<XyloConfig>;
  const profile = typeof o.device === 'string' ? findProfile(graph.PROFILES, o.device) : undefined;
  if (!profile) {
    return fail(
      'device',
      `unknown device ${JSON.stringify(o.device)} (one of ${Object.keys(graph.PROFILES).join(', ')})`,
    );
  }
  for (const part of ['input', 'hidden', 'readout'] as const) {
    if (typeof o[part] !== 'object' || o[part] === null) return fail(part, 'missing');
  }
  let findings: Issue[];
  try {
    findings = graph.validateXyloConfig(o as XyloConfig, profile);
  } catch (e) {
    return fail('', `malformed configuration: ${messageOf(e)}`);
  }
  return {
    kind: 'xylo-config',
    type: 'xylo-config',
    usable: true,
    findings,
    what: `Xylo configuration for ${profile.id}`,
  };
}

/** Which modules run in float16 and the buffer estimate of a brain config body. */
async function describePrecision(
  io: Io,
  body: import('@spark-snn/config').ConfigBody,
): Promise<Pick<Checked, 'precision' | 'buffers' | 'unknownInputs'>> {
  const config = await import('@spark-snn/config');
  const registry = await registryFor(io);
  const all = config.modulePrecisions(body, registry);
  const est = config.estimateResources(body, registry);
  return {
    precision: {
      float16: all.filter((x) => x.precision === 'float16').map((x) => x.name),
      float32: all.filter((x) => x.precision === 'float32').map((x) => x.name),
    },
    buffers: { ...est.bytes },
    unknownInputs: [...est.unknownInputs],
  };
}

function describeModules(specs: unknown): string {
  return Array.isArray(specs) ? `, ${plural(specs.length, 'module')}` : '';
}
