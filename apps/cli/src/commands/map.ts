/**
 * `spark map MODEL --target xylo-audio2|xylo-audio3|xylo-imu`: design-rule checks, mapping,
 * quantisation and the device configuration JSON (graph package's `mapNirBytes`).
 *
 * @module
 */

import { basename, extname } from 'node:path';
import type { Issue } from '@spark-snn/core';
import type { HardwareProfile } from '@spark-snn/graph';
import { BRAIN_NIR_OPTIONS, brainDocumentToNir } from '../brain-nir.ts';
import { type Command, flag, str, strs } from '../command.ts';
import { CliError, EXIT, UsageError } from '../errors.ts';
import {
  countIssues,
  formatIssue,
  isNirJson,
  kindFor,
  loadModel,
  plural,
  readUserFile,
  registerNeurons,
  writeUserFile,
} from '../model.ts';

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The built-in profile for a target name (`xylo-audio2`, `xylo-audio-2`, `XyloAudio2` …). */
export function findProfile(
  profiles: Readonly<Record<string, HardwareProfile>>,
  target: string,
): HardwareProfile | undefined {
  const n = norm(target);
  return Object.values(profiles).find((p) => norm(p.id) === n || norm(p.name) === n);
}

export const mapCommand: Command = {
  name: 'map',
  summary: 'check a network against a Xylo device (DRC) and write its configuration JSON',
  usage: [
    'map MODEL.nir|MODEL.scfg --target TARGET [--out CONFIG.json] [--dt SECONDS] [--quantize channel|global] [--json]',
  ],
  description: [
    'Runs the hardware pipeline of the graph package on MODEL (a .nir graph or its JSON debug form):',
    "NIR → hardware graph → design-rule checks (Rockpool's rules plus spark-snn's) → mapping onto the",
    "device's hidden/readout neurons → quantisation → a device configuration, validated against the",
    'profile. Prints every DRC/mapper diagnostic; exit 1 when the network does not fit.',
    'A Spark brain (.scfg or .json) is built on the cpu backend and read as NIR first (as in',
    '`spark convert model.scfg model.nir`; --input-shape, --mode and --neuron apply).',
    '',
    'Targets: xylo-audio2, xylo-audio3, xylo-imu (also my-hardware, a generic example profile).',
  ].join('\n'),
  options: {
    target: {
      type: 'string',
      short: 't',
      value: 'TARGET',
      description: 'device: xylo-audio2, xylo-audio3, xylo-imu',
    },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'write the configuration JSON to FILE' },
    dt: {
      type: 'string',
      value: 'SECONDS',
      description: 'time step in seconds',
      defaultText: "the graph's dt metadata, else estimated",
    },
    'rockpool-spec': {
      type: 'string',
      value: 'FILE',
      description:
        "also write the float mapping in Rockpool's specification layout (for cross-checks in Python)",
    },
    quantize: {
      type: 'string',
      value: 'METHOD',
      description: 'weight quantisation: channel or global',
      defaultText: 'channel',
    },
    neuron: {
      type: 'string',
      multiple: true,
      value: 'FILE',
      description: 'Spark input: register a neuron_config .scfg as a custom neuron first',
    },
    ...BRAIN_NIR_OPTIONS,
  },
  positionals: { min: 1, max: 1, names: 'MODEL' },
  examples: [
    'spark map two_lif_neurons.nir --target xylo-audio3 --out config.json',
    'spark map braille.nir -t xylo-imu --dt 1e-4 --json',
  ],
  async run({ io, args, json }) {
    const [model] = args.positionals as [string];
    const target = str(args, 'target');
    const graph = await import('@spark-snn/graph');
    const ids = Object.values(graph.PROFILES).map((p) => p.id);
    if (target === undefined) throw new UsageError('--target', `missing (one of ${ids.join(', ')})`);
    const profile = findProfile(graph.PROFILES, target);
    if (!profile) throw new UsageError('--target', `unknown target "${target}" (one of ${ids.join(', ')})`);
    const quantize = str(args, 'quantize') ?? 'channel';
    if (quantize !== 'channel' && quantize !== 'global')
      throw new UsageError('--quantize', `expected channel or global, got "${quantize}"`);
    const dtRaw = str(args, 'dt');
    let dt: number | undefined;
    if (dtRaw !== undefined) {
      dt = Number(dtRaw);
      if (!Number.isFinite(dt) || dt <= 0)
        throw new UsageError('--dt', `expected a positive number of seconds, got "${dtRaw}"`);
    }

    let bytes = await readUserFile(io, model);
    const kind = kindFor(model, bytes);
    let format: 'nir' | 'nir.json' = kind === 'nir' ? 'nir' : 'nir.json';
    const findings: Issue[] = [];
    let brainOk = true;
    if (kind === 'scfg' || (kind === 'json' && !isNirJson(bytes))) {
      // A Spark brain: build it and read it as NIR (@spark-snn/graph/nn), then the same pipeline.
      await registerNeurons(io, strs(args, 'neuron'));
      const m = await loadModel(io, model, { validate: true });
      if (m.kind !== 'config' || !m.document || countIssues(m.findings).errors > 0) {
        for (const f of m.findings) if (f.severity === 'error') io.stderr.write(`${formatIssue(model, f)}\n`);
        throw new CliError(model, `the model has errors; run 'spark validate ${model}' for details`);
      }
      const r = await brainDocumentToNir(io, model, m.document, args);
      if (!json) for (const n of r.notes) io.stderr.write(`${model}: note: ${n}\n`);
      findings.push(...r.findings);
      brainOk = r.ok;
      bytes = new TextEncoder().encode(graph.toNirJson(r.graph));
      format = 'nir.json';
    } else if (kind !== 'nir' && kind !== 'json') {
      throw new UsageError(
        model,
        `unknown file type "${extname(model) || '(none)'}" (expected .nir, a NIR .json, or a Spark .scfg/.json brain)`,
      );
    }
    // graph's bytes-in/bytes-out entry point for `spark map` (the editor uses the same one)
    const result = brainOk
      ? await graph.mapNirBytes(bytes, format, profile, {
          quantize,
          fileName: basename(model),
          ...(dt === undefined ? {} : { dt }),
        })
      : { ok: false, diagnostics: [], config: undefined, rockpoolSpec: undefined };
    findings.push(...result.diagnostics);
    const rockpoolOut = str(args, 'rockpool-spec');
    if (result.ok && rockpoolOut !== undefined && result.rockpoolSpec) {
      await writeUserFile(io, rockpoolOut, `${JSON.stringify(result.rockpoolSpec, null, 2)}\n`);
    }
    const ok = result.ok && result.config !== undefined;
    const out = str(args, 'out');
    if (ok && out !== undefined) await writeUserFile(io, out, `${JSON.stringify(result!.config, null, 2)}\n`);
    const { errors, warnings } = countIssues(findings);
    if (json) {
      io.stdout.write(
        `${JSON.stringify({ ok, command: 'map', model, target: profile.id, diagnostics: findings, ...(out && ok ? { out } : {}), config: result.config ?? null }, null, 2)}\n`,
      );
    } else {
      io.stdout.write(`DRC report for ${model} on ${profile.name} (${profile.id})\n`);
      for (const f of findings) io.stdout.write(`${formatIssue(model, f)}\n`);
      if (ok) {
        const c = result!.config!;
        io.stdout.write(
          `${model}: fits ${profile.id}: ${c.input.weights.length} inputs, ${c.hidden.threshold.length} hidden neurons, ${c.readout.threshold.length} outputs, dt ${c.dt} s (${plural(warnings, 'warning')})\n`,
        );
        io.stdout.write(
          out
            ? `configuration written to ${out}${rockpoolOut ? `, Rockpool specification to ${rockpoolOut}` : ''}\n`
            : 'use --out FILE to write the configuration JSON (or --json)\n',
        );
      } else {
        io.stdout.write(
          `${model}: does not map onto ${profile.id} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})\n`,
        );
      }
    }
    if (!flag(args, 'json') && !ok && errors === 0)
      io.stderr.write(`spark map: ${model}: mapping failed without a diagnostic\n`);
    return ok ? EXIT.ok : EXIT.error;
  },
};
