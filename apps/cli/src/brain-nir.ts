/**
 * Spark brains as NIR graphs for `spark convert` and `spark map`: the brain is built on the cpu
 * backend (so its kernels, delays and inhibitory masks exist) and read back by the graph
 * package's `@spark-snn/graph/nn` adapter (`brainAsNir`).
 *
 * @module
 */

import type { ConfigDocument } from '@spark-snn/config';
import type { Issue } from '@spark-snn/core';
import type { NirGraph } from '@spark-snn/graph';
import type { Brain } from '@spark-snn/nn';
import { type OptionSpec, type Parsed, str, strs } from './command.ts';
import { CliError, messageOf, UsageError } from './errors.ts';
import type { Io } from './io.ts';
import { registryFor } from './model.ts';

/** Options of the commands that turn a brain into NIR. */
export const BRAIN_NIR_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'input-shape': {
    type: 'string',
    multiple: true,
    value: 'NAME=N[xM]',
    description: 'Spark input: size of a brain input (needed to build the brain)',
    defaultText: "the editor metadata's port shape",
  },
  mode: {
    type: 'string',
    value: 'strict|lenient',
    description: 'Spark input: lenient maps what NIR cannot express to the nearest LIF (with warnings)',
    defaultText: 'strict',
  },
};

/** Parses `--input-shape NAME=4` / `NAME=4x128`. */
export function parseShapes(specs: readonly string[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const s of specs) {
    const m = /^([A-Za-z_][\w.-]*)=(\d+(?:x\d+)*)$/.exec(s.trim());
    if (!m) throw new UsageError('--input-shape', `expected NAME=N or NAME=NxM, got "${s}"`);
    out[m[1]!] = m[2]!.split('x').map(Number);
  }
  return out;
}

/** The port shape the editor stored for a brain input, if any. */
function editorShape(doc: ConfigDocument, name: string): number[] | undefined {
  const meta = doc.config.__graph_editor_metadata__ as Record<string, unknown> | undefined;
  const node = meta?.[name] as { spec?: { shape?: unknown; __data__?: { shape?: unknown } } } | undefined;
  const shape = node?.spec?.__data__?.shape ?? node?.spec?.shape;
  return Array.isArray(shape) && shape.length > 0 && shape.every((x) => Number.isInteger(x) && x > 0)
    ? (shape as number[])
    : undefined;
}

/** Builds the brain of `doc` and converts it to NIR. Never returns without a graph: throws a CliError instead. */
export async function brainDocumentToNir(
  io: Io,
  model: string,
  doc: ConfigDocument,
  args: Parsed,
): Promise<{ graph: NirGraph; findings: Issue[]; ok: boolean; notes: string[] }> {
  if (doc.type !== 'brain_config') {
    throw new CliError(
      `${model}:__type__`,
      `only a brain_config converts to NIR, this file holds a ${doc.type}`,
    );
  }
  const mode = str(args, 'mode') ?? 'strict';
  if (mode !== 'strict' && mode !== 'lenient')
    throw new UsageError('--mode', `expected strict or lenient, got "${mode}"`);
  const given = parseShapes(strs(args, 'input-shape'));
  const nn = await import('@spark-snn/nn');
  const { brainAsNir } = await import('@spark-snn/graph/nn');
  let brain: Brain | undefined;
  try {
    brain = await nn.Brain.fromConfig(doc, { backend: 'cpu', registry: await registryFor(io) });
    const names = Object.keys(brain.inputPayloads);
    for (const n of Object.keys(given)) {
      if (!names.includes(n))
        throw new UsageError('--input-shape', `the brain has no input "${n}" (inputs: ${names.join(', ')})`);
    }
    const shapes: Record<string, number[]> = {};
    const notes: string[] = [];
    const missing: string[] = [];
    for (const n of names) {
      const s = given[n] ?? editorShape(doc, n);
      if (!s) missing.push(n);
      else shapes[n] = s;
      if (!given[n] && s)
        notes.push(
          `input "${n}": shape [${s.join(', ')}] from the editor metadata (set it with --input-shape ${n}=N)`,
        );
    }
    if (missing.length > 0) {
      throw new UsageError(
        '--input-shape',
        `needed for ${missing.map((n) => `"${n}"`).join(', ')} (the brain's inputs: ${names.join(', ')})`,
      );
    }
    await brain.build(shapes);
    const r = await brainAsNir(brain, { mode });
    return { graph: r.graph, findings: r.diagnostics, ok: r.ok, notes };
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e instanceof nn.BrainError) {
      throw new CliError(e.path ? `${model}:${e.path}` : model, messageOf(e).replace(`${e.path}: `, ''));
    }
    throw new CliError(model, `cannot convert the brain to NIR: ${messageOf(e)}`);
  } finally {
    brain?.destroy();
  }
}
