/**
 * `spark convert IN OUT`: .scfg ⇄ plain JSON ⇄ .sge, NIR (.nir HDF5) ⇄ NIR JSON debug form, and
 * a brain → a PyNN script (`--to pynn`, `@spark-snn/pynn`).
 *
 * @module
 */

import { basename, extname } from 'node:path';
import type { Registry } from '@spark-snn/config';
import type { Issue } from '@spark-snn/core';
import { BRAIN_NIR_OPTIONS, brainDocumentToNir } from '../brain-nir.ts';
import { type Command, flag, type Parsed, str, strs } from '../command.ts';
import { CliError, EXIT, UsageError } from '../errors.ts';
import type { Io } from '../io.ts';
import {
  countIssues,
  type FileKind,
  formatIssue,
  kindOf,
  type LoadedModel,
  loadModel,
  plural,
  registerNeurons,
  registryFor,
  STDIO,
  writeUserFile,
} from '../model.ts';

type Target = 'scfg' | 'sge' | 'json' | 'nir' | 'nir-json' | 'pynn';

const TARGETS: readonly Target[] = ['scfg', 'sge', 'json', 'nir', 'nir-json', 'pynn'];

export const convertCommand: Command = {
  name: 'convert',
  summary: 'convert between .scfg, plain JSON, .sge, NIR (.nir) and PyNN',
  usage: [
    'convert IN OUT [--to FORMAT] [--plain] [--force] [--json]',
    'convert IN - [--to json|nir-json]   (write to standard output; IN may be - too)',
  ],
  description: [
    "The output format follows OUT's extension unless --to is given:",
    '  .scfg  Spark model file (XZ-compressed JSON, as Spark writes it; --plain writes plain JSON)',
    '  .sge   editor session (same container, may be partial)',
    '  .json  a Spark config: the exact JSON text Spark writes (4-space indented);',
    "         a NIR graph: spark-snn's NIR JSON debug form (not a standard, for diffs and fixtures)",
    '  .nir   NIR (HDF5)',
    '  .py    a PyNN 0.10 script (a brain_config only; --simulator sets its default backend,',
    "         --connectivity explicit writes the Brain's exact edges to OUT.npz beside it).",
    '         Modules PyNN cannot express are errors with their paths; --allow-partial writes',
    '         the rest and lists what is missing at the top of the script.',
    'Spark configs convert losslessly between .scfg, .json and .sge (a Spark file stays a Spark file).',
    'A brain_config converts to NIR by building the brain (cpu backend) and reading its kernels,',
    'delays and inhibitory signs back (graph package, @spark-snn/graph/nn); brain inputs need a size',
    '(--input-shape NAME=N, else the editor metadata). What NIR cannot express is an error, or with',
    '--mode lenient a warning with the nearest LIF.',
    'Inputs with decoding errors are refused unless --force.',
  ].join('\n'),
  options: {
    to: {
      type: 'string',
      value: 'FORMAT',
      description: `output format: ${TARGETS.join(', ')}`,
      defaultText: "from OUT's extension",
    },
    plain: { type: 'boolean', description: 'write .scfg/.sge as plain JSON instead of XZ' },
    force: { type: 'boolean', description: 'convert even when the input has errors' },
    neuron: {
      type: 'string',
      multiple: true,
      value: 'FILE',
      description: 'register a neuron_config .scfg as a custom neuron first',
    },
    ...BRAIN_NIR_OPTIONS,
    simulator: {
      type: 'string',
      value: 'nest|brian2|neuron|spiNNaker',
      description: "PyNN: the script's default --simulator",
      defaultText: 'nest',
    },
    connectivity: {
      type: 'string',
      value: 'connectors|explicit',
      description:
        "PyNN: PyNN's own connectors (same random graph, another draw) or the Brain's exact edges in OUT.npz",
      defaultText: 'connectors',
    },
    'allow-partial': {
      type: 'boolean',
      description: 'PyNN: write the script without the modules PyNN cannot express (listed in it)',
    },
  },
  positionals: { min: 2, max: 2, names: 'IN and OUT' },
  examples: [
    'spark convert ab_brain.scfg ab_brain.json --neuron alif_mod_neuron.scfg',
    'spark convert model.json model.scfg',
    'spark convert lif.nir lif.nir.json',
    'spark convert cuba.scfg cuba.py --simulator brian2 --connectivity explicit',
  ],
  async run({ io, args, json }) {
    const [input, output] = args.positionals as [string, string];
    const target = resolveTarget(str(args, 'to'), output, input);
    const pynn = pynnOptions(args, target);
    if (output === STDIO) {
      const text =
        target === 'json' ||
        target === 'nir-json' ||
        ((target === 'scfg' || target === 'sge') && flag(args, 'plain'));
      if (!text)
        throw new UsageError(
          output,
          `${target} is a binary format: name an output file (standard output takes json, nir-json or --plain scfg)`,
        );
      if (json)
        throw new UsageError('--json', 'cannot be combined with writing the document to standard output');
    }
    await registerNeurons(io, strs(args, 'neuron'));
    const model = await loadModel(io, input, { validate: false });
    const { errors } = countIssues(model.findings);
    const usable = model.kind === 'config' ? model.document !== undefined : model.graph !== undefined;
    if (!usable || (errors > 0 && !flag(args, 'force'))) {
      if (!json) for (const f of model.findings) io.stderr.write(`${formatIssue(input, f)}\n`);
      throw new CliError(
        input,
        `cannot convert: ${plural(errors, 'error')} in the input${usable ? ' (use --force to convert anyway)' : ''}`,
      );
    }
    for (const f of model.findings)
      if (!json && f.severity !== 'info') io.stderr.write(`${formatIssue(input, f)}\n`);
    if (target === 'pynn' && output === STDIO)
      throw new UsageError(output, 'a PyNN export writes files: name OUT.py');
    const { bytes, findings, extra } = await convert(model, target, {
      plain: flag(args, 'plain'),
      force: flag(args, 'force'),
      input,
      registry: await registryFor(io),
      io,
      args,
      json,
      output,
      pynn,
    });
    const size = typeof bytes === 'string' ? new TextEncoder().encode(bytes).length : bytes.length;
    if (output === STDIO) {
      // text formats only (checked before converting): the document itself is the output
      io.stdout.write(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes));
      return EXIT.ok;
    }
    await writeUserFile(io, output, bytes);
    for (const e of extra ?? []) await writeUserFile(io, e.path, e.bytes);
    if (json) {
      io.stdout.write(
        `${JSON.stringify({ ok: true, command: 'convert', input, output, format: target, bytes: size, diagnostics: [...model.findings, ...findings] }, null, 2)}\n`,
      );
    } else {
      io.stdout.write(`${input} → ${output} (${target}, ${size} bytes)\n`);
      for (const e of extra ?? [])
        io.stdout.write(`${input} → ${e.path} (${e.what}, ${e.bytes.length} bytes)\n`);
    }
    return EXIT.ok;
  },
};

/** Options of a PyNN export, checked before anything is read. */
interface PyNNArgs {
  readonly simulator: 'nest' | 'brian2' | 'neuron' | 'spiNNaker';
  readonly connectivity: 'connectors' | 'explicit';
  readonly allowPartial: boolean;
}

const SIMULATORS = ['nest', 'brian2', 'neuron', 'spiNNaker'] as const;

function pynnOptions(args: Parsed, target: Target): PyNNArgs | undefined {
  const simulator = str(args, 'simulator');
  const connectivity = str(args, 'connectivity');
  if (target !== 'pynn') {
    for (const [name, given] of [
      ['--simulator', simulator !== undefined],
      ['--connectivity', connectivity !== undefined],
      ['--allow-partial', flag(args, 'allow-partial')],
    ] as const)
      if (given) throw new UsageError(name, `applies to --to pynn only (the output format is ${target})`);
    return undefined;
  }
  const sim = SIMULATORS.find((s) => s.toLowerCase() === (simulator ?? 'nest').toLowerCase());
  if (!sim)
    throw new UsageError(
      '--simulator',
      `unknown simulator "${simulator}" (expected one of ${SIMULATORS.join(', ')})`,
    );
  if (connectivity !== undefined && connectivity !== 'connectors' && connectivity !== 'explicit')
    throw new UsageError('--connectivity', `expected connectors or explicit, got "${connectivity}"`);
  return {
    simulator: sim,
    connectivity: connectivity ?? 'connectors',
    allowPartial: flag(args, 'allow-partial'),
  };
}

function resolveTarget(to: string | undefined, output: string, input: string): Target {
  if (to !== undefined) {
    const t = to.toLowerCase() as Target;
    if (!TARGETS.includes(t))
      throw new UsageError('--to', `unknown format "${to}" (expected one of ${TARGETS.join(', ')})`);
    return t;
  }
  if (output === STDIO) return 'json';
  const k: FileKind | undefined = kindOf(output);
  if (k === undefined) {
    throw new UsageError(
      output,
      'cannot tell the output format from the extension (use .scfg, .sge, .json, .nir, .py or --to FORMAT)',
    );
  }
  if (k === 'json') {
    const inKind = kindOf(input);
    return inKind === 'nir' ? 'nir-json' : 'json';
  }
  return k;
}

async function convert(
  model: LoadedModel,
  target: Target,
  o: {
    plain: boolean;
    force: boolean;
    input: string;
    registry: Registry;
    io: Io;
    args: Parsed;
    json: boolean;
    output: string;
    pynn: PyNNArgs | undefined;
  },
): Promise<{
  bytes: Uint8Array | string;
  findings: Issue[];
  extra?: { path: string; bytes: Uint8Array; what: string }[];
}> {
  const done = (bytes: Uint8Array | string) => ({ bytes, findings: [] });
  if (model.kind === 'config') {
    const config = await import('@spark-snn/config');
    const registry = o.registry;
    const doc = model.document!;
    switch (target) {
      case 'scfg':
        return done(config.writeScfg(doc, { compress: !o.plain, registry }));
      case 'sge':
        return done(config.writeSession(doc, { compress: !o.plain, registry }));
      case 'json':
        return done(config.scfgText(doc, registry));
      case 'pynn': {
        if (doc.type !== 'brain_config')
          throw new CliError(o.input, `a ${doc.type} is not a brain: only a brain_config exports to PyNN`);
        const { exportPyNN } = await import('@spark-snn/pynn');
        const p = o.pynn!;
        const stem = o.output.slice(0, o.output.length - extname(o.output).length);
        const npzPath = `${stem}.npz`;
        const r = exportPyNN(doc, {
          registry,
          connectivity: p.connectivity,
          allowPartial: p.allowPartial,
          simulator: p.simulator,
          npzName: basename(npzPath),
          source: basename(o.input),
        });
        const findings: Issue[] = r.diagnostics.map((d) => ({
          severity: d.severity,
          code: `pynn.${d.code}`,
          path: d.path,
          message: d.message,
          ...(d.hint ? { hint: d.hint } : {}),
        }));
        if (!o.json) for (const f of findings) o.io.stderr.write(`${formatIssue(o.input, f)}\n`);
        if (!r.ok) {
          const errors = countIssues(findings).errors;
          throw new CliError(
            o.input,
            errors > 0 && !p.allowPartial
              ? `cannot export to PyNN: ${plural(errors, 'error')} (--allow-partial writes the rest of the network)`
              : `cannot export to PyNN: nothing in the brain has a PyNN equivalent (${plural(errors, 'error')})`,
          );
        }
        return {
          bytes: r.script,
          findings,
          ...(r.npz ? { extra: [{ path: npzPath, bytes: r.npz, what: 'npz' }] } : {}),
        };
      }
      case 'nir':
      case 'nir-json': {
        const r = await brainDocumentToNir(o.io, o.input, doc, o.args);
        if (!o.json) {
          for (const n of r.notes) o.io.stderr.write(`${o.input}: note: ${n}\n`);
          for (const f of r.findings) o.io.stderr.write(`${formatIssue(o.input, f)}\n`);
        }
        const errors = countIssues(r.findings).errors;
        if (!r.ok && !o.force) {
          throw new CliError(
            o.input,
            `cannot convert to NIR: ${plural(errors, 'error')}${o.args.values.mode === 'lenient' ? '' : ' (--mode lenient maps inexpressible dynamics to the nearest LIF)'}; --force writes the graph anyway`,
          );
        }
        const graph = await import('@spark-snn/graph');
        const bytes = target === 'nir' ? await graph.writeNir(r.graph) : graph.toNirJson(r.graph);
        return { bytes, findings: r.findings };
      }
    }
  }
  const graph = await import('@spark-snn/graph');
  const g = model.graph!;
  switch (target) {
    case 'nir':
      return done(await graph.writeNir(g, model.version ? { version: model.version } : {}));
    case 'nir-json':
    case 'json':
      return done(graph.toNirJson(g, model.version ?? '0.2.0'));
    case 'pynn':
      throw new CliError(
        o.input,
        'a NIR graph does not export to PyNN: the PyNN export reads a brain_config (.scfg or .json)',
      );
    case 'scfg':
    case 'sge':
      throw new CliError(
        o.input,
        `converting a NIR graph to a Spark config (.${target}) is not supported: NIR has no Spark module structure`,
      );
  }
}
