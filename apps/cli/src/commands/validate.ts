/**
 * `spark validate FILE...`: every diagnostic with its path; exit 1 when any file has errors.
 *
 * @module
 */
import { type Command, flag, strs } from '../command.ts';
import { EXIT } from '../errors.ts';
import { countFindings, type Finding, formatFinding, loadModel, plural, registerNeurons } from '../model.ts';

interface FileReport {
  file: string;
  ok: boolean;
  kind: 'config' | 'nir';
  /** `brain_config`, `neuron_config`, … or `nir`. */
  type: string | undefined;
  errors: number;
  warnings: number;
  diagnostics: Finding[];
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check model files and print every problem with its path',
  usage: ['validate FILE... [--neuron FILE]... [--strict] [--json]'],
  description: [
    'Checks Spark configs (.scfg, plain .json, .sge sessions) with the config package: decoding,',
    'unknown modules and fields, wiring, port types, ranges and shapes. Checks NIR graphs (.nir HDF5,',
    'or the NIR JSON debug form) with the graph package: structure, parameters and type inference.',
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
    const reports: FileReport[] = [];
    for (const file of args.positionals) {
      const m = await loadModel(io, file, { validate: true });
      const { errors, warnings } = countFindings(m.findings);
      const usable = m.kind === 'config' ? m.document !== undefined : m.graph !== undefined;
      const failed = errors > 0 || !usable || (strict && warnings > 0);
      reports.push({
        file,
        ok: !failed,
        kind: m.kind,
        type: m.kind === 'config' ? m.document?.type : 'nir',
        errors,
        warnings,
        diagnostics: m.findings,
      });
      if (!json) {
        for (const f of m.findings) {
          if (quiet && f.severity !== 'error') continue;
          io.stdout.write(`${formatFinding(file, f)}\n`);
        }
        const what =
          m.kind === 'config'
            ? m.document
              ? `${m.document.type}${m.session ? ' session' : ''}${describeModules(m.document.config.modules_specs)}`
              : 'unreadable'
            : m.graph
              ? `NIR graph${m.version ? ` v${m.version}` : ''}, ${plural(m.graph.nodes.size, 'node')}`
              : 'unreadable NIR';
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

function describeModules(specs: unknown): string {
  return Array.isArray(specs) ? `, ${plural(specs.length, 'module')}` : '';
}
