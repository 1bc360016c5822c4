/**
 * `spark convert IN OUT`: .scfg ⇄ plain JSON ⇄ .sge, NIR (.nir HDF5) ⇄ NIR JSON debug form, and
 * `--to pynn`.
 *
 * @module
 */
import type { Registry } from '@spark-snn/config';
import { BRAIN_NIR_OPTIONS, brainDocumentToNir } from '../brain-nir.ts';
import { type Command, flag, type Parsed, str, strs } from '../command.ts';
import { CliError, EXIT, UsageError } from '../errors.ts';
import type { Io } from '../io.ts';
import {
  countFindings,
  type FileKind,
  type Finding,
  formatFinding,
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
    '  --to pynn  a PyNN script',
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
  },
  positionals: { min: 2, max: 2, names: 'IN and OUT' },
  examples: [
    'spark convert ab_brain.scfg ab_brain.json --neuron alif_mod_neuron.scfg',
    'spark convert model.json model.scfg',
    'spark convert lif.nir lif.nir.json',
    'spark convert lif.nir lif.py --to pynn',
  ],
  async run({ io, args, json }) {
    const [input, output] = args.positionals as [string, string];
    const target = resolveTarget(str(args, 'to'), output, input);
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
    const { errors } = countFindings(model.findings);
    const usable = model.kind === 'config' ? model.document !== undefined : model.graph !== undefined;
    if (!usable || (errors > 0 && !flag(args, 'force'))) {
      if (!json) for (const f of model.findings) io.stderr.write(`${formatFinding(input, f)}\n`);
      throw new CliError(
        input,
        `cannot convert: ${plural(errors, 'error')} in the input${usable ? ' (use --force to convert anyway)' : ''}`,
      );
    }
    for (const f of model.findings)
      if (!json && f.severity !== 'info') io.stderr.write(`${formatFinding(input, f)}\n`);
    const { bytes, findings } = await convert(model, target, {
      plain: flag(args, 'plain'),
      force: flag(args, 'force'),
      input,
      registry: await registryFor(io),
      io,
      args,
      json,
    });
    const size = typeof bytes === 'string' ? new TextEncoder().encode(bytes).length : bytes.length;
    if (output === STDIO) {
      // text formats only (checked before converting): the document itself is the output
      io.stdout.write(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes));
      return EXIT.ok;
    }
    await writeUserFile(io, output, bytes);
    if (json) {
      io.stdout.write(
        `${JSON.stringify({ ok: true, command: 'convert', input, output, format: target, bytes: size, diagnostics: [...model.findings, ...findings] }, null, 2)}\n`,
      );
    } else {
      io.stdout.write(`${input} → ${output} (${target}, ${size} bytes)\n`);
    }
    return EXIT.ok;
  },
};

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
  },
): Promise<{ bytes: Uint8Array | string; findings: Finding[] }> {
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
      case 'pynn':
        // TODO(graph): a NIR → PyNN exporter (see below); a brain would go through brainAsNir first.
        throw new CliError(
          o.input,
          'PyNN export is not available yet (the graph package has no NIR → PyNN exporter)',
        );
      case 'nir':
      case 'nir-json': {
        const r = await brainDocumentToNir(o.io, o.input, doc, o.args);
        if (!o.json) {
          for (const n of r.notes) o.io.stderr.write(`${o.input}: note: ${n}\n`);
          for (const f of r.findings) o.io.stderr.write(`${formatFinding(o.input, f)}\n`);
        }
        const errors = countFindings(r.findings).errors;
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
      // TODO(graph): a NIR → PyNN exporter (`toPyNN(graph)`: populations, projections, unit
      // conversions s → ms, NIR's LIF/CubaLIF → IF_curr_delta/IF_curr_exp) belongs with the NIR code.
      throw new CliError(
        o.input,
        'PyNN export is not available yet (the graph package has no NIR → PyNN exporter)',
      );
    case 'scfg':
    case 'sge':
      throw new CliError(
        o.input,
        `converting a NIR graph to a Spark config (.${target}) is not supported: NIR has no Spark module structure`,
      );
  }
}
