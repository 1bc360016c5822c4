/**
 * The Xylo mapper, parameterised by a hardware profile (graph-reference §2.3–2.4):
 * DRC → convert neurons (`dash = log2(τ/dt)`, unrounded) → allocate hardware ids (Rockpool bag
 * order; IEN first / OEN last on XyloAudio 3 and XyloIMU) → assemble dense matrices → neuron
 * vectors → aliases. Returns a new graph (the input is never mutated) and diagnostics.
 *
 * Fixed on purpose: a module that is both input- and output-expansion layer (single hidden layer)
 * works on every profile (Rockpool's IMU mapper crashes on it).
 *
 * @module
 */
import { type Diagnostic, diag } from '../../diagnostics.ts';
import { type DrcOptions, inputWeights, outputNeurons, runDrc } from '../../drc/rules.ts';
import { ConversionRegistry } from '../../hw/conversions.ts';
import {
  bag,
  getModule,
  type HwGraph,
  type HwModule,
  isNeurons,
  sinksOf,
  sourcesOf,
  updateModule,
  type XyloNeurons,
} from '../../hw/graph.ts';
import { zeros } from '../../tensor.ts';
import type { HardwareProfile } from '../profiles.ts';
import { registerXyloConversions } from './conversions.ts';
import type { XyloSpec } from './spec.ts';

/** The registry with the Xylo conversion rules (a private instance, no global side effects). */
export const XYLO_CONVERSIONS: ConversionRegistry = registerXyloConversions(new ConversionRegistry());

/** Options of {@link mapXylo}. */
export interface MapOptions extends DrcOptions {
  /** Hidden neurons available (default: the profile's). */
  maxHiddenNeurons?: number;
  /** Output neurons available (default: the profile's). */
  maxOutputNeurons?: number;
  /** Conversion rules (default {@link XYLO_CONVERSIONS}). */
  registry?: ConversionRegistry;
}

/** Result of {@link mapXylo}. */
export interface MapResult {
  /** True when a specification was produced and no error was reported. */
  readonly ok: boolean;
  readonly spec?: XyloSpec;
  /** The converted graph (Xylo module kinds, `hwIds` filled) — a new graph. */
  readonly graph: HwGraph;
  readonly diagnostics: Diagnostic[];
  /** Hardware ids per module id. */
  readonly hwIds: ReadonlyMap<string, readonly number[]>;
}

const isXylo = (m: HwModule): m is XyloNeurons => m.kind === 'xylo.hidden' || m.kind === 'xylo.output';

/** Maps a hardware graph onto a Xylo-family profile. Never throws. */
export function mapXylo(input: HwGraph, profile: HardwareProfile, options: MapOptions = {}): MapResult {
  const diagnostics: Diagnostic[] = [];
  const hwIds = new Map<string, number[]>();
  const fail = (g: HwGraph): MapResult => ({ ok: false, graph: g, diagnostics, hwIds });
  // 1. DRC
  const drc = runDrc(input, profile, options);
  diagnostics.push(...drc.diagnostics);
  if (!drc.ok) return fail(input);
  const registry = options.registry ?? XYLO_CONVERSIONS;
  const ctx = { profile };
  // 2. convert: outputs first, then every other neuron module in bag order
  let g = input;
  const outIds = outputNeurons(g).map((m) => m.id);
  for (const id of outIds) {
    const r = registry.convert(g, id, 'xylo.output', ctx);
    diagnostics.push(...r.diagnostics);
    g = r.graph;
  }
  const hiddenSrc = bag(g, undefined, 'rockpool').modules.filter(
    (id) => !outIds.includes(id) && isNeurons(getModule(g, id)),
  );
  for (const id of hiddenSrc) {
    const r = registry.convert(g, id, 'xylo.hidden', ctx);
    diagnostics.push(...r.diagnostics);
    g = r.graph;
  }
  if (diagnostics.some((d) => d.severity === 'error')) return fail(g);
  // 3. allocate ids
  const maxHidden = options.maxHiddenNeurons ?? profile.maxHidden;
  const maxOutput = options.maxOutputNeurons ?? profile.maxOutputs;
  const order = bag(g, undefined, 'rockpool').modules.map((id) => getModule(g, id));
  let hidden = order.filter((m): m is XyloNeurons => m.kind === 'xylo.hidden');
  const outputs = outIds.map((id) => getModule(g, id) as XyloNeurons);
  const wIn = inputWeights(g)[0];
  const ienMods = wIn
    ? sinksOf(g, wIn.outputs).filter((m): m is XyloNeurons => m.kind === 'xylo.hidden')
    : [];
  const outWeights = sourcesOf(
    g,
    outputs.flatMap((m) => m.inputs),
  ).filter((m) => m.kind === 'linear');
  const oenMods = sourcesOf(
    g,
    outWeights.flatMap((w) => w.inputs),
  ).filter((m): m is XyloNeurons => m.kind === 'xylo.hidden');
  if (profile.idLayout === 'ien-first-oen-last') {
    const ien = new Set(ienMods.map((m) => m.id));
    const oen = new Set(oenMods.map((m) => m.id).filter((id) => !ien.has(id)));
    hidden = [
      ...hidden.filter((m) => ien.has(m.id)),
      ...hidden.filter((m) => !ien.has(m.id) && !oen.has(m.id)),
      ...hidden.filter((m) => oen.has(m.id)),
    ];
  }
  let next = 0;
  for (const m of hidden) {
    const n = m.outputs.length;
    if (next + n > maxHidden) {
      diagnostics.push(
        diag(
          'error',
          'allocate_hidden_neurons',
          m.name,
          `Failed to allocate HW resources for hidden neurons: exceeded number of available resources for graph module ${m.name} (${next + n} > ${maxHidden}).`,
          { modules: [m.id] },
        ),
      );
      return fail(g);
    }
    hwIds.set(
      m.id,
      Array.from({ length: n }, (_, i) => next + i),
    );
    next += n;
  }
  const nHid = next;
  let nextOut = 0;
  for (const m of outputs) {
    const n = m.outputs.length;
    if (nextOut + n > maxOutput) {
      diagnostics.push(
        diag(
          'error',
          'allocate_output_neurons',
          m.name,
          `Failed to allocate HW resources for output neurons: exceeded number of available resources for graph module ${m.name} (${nextOut + n} > ${maxOutput}).`,
          { modules: [m.id] },
        ),
      );
      return fail(g);
    }
    hwIds.set(
      m.id,
      Array.from({ length: n }, (_, i) => maxHidden + nextOut + i),
    );
    nextOut += n;
  }
  const nOut = nextOut;
  for (const [id, ids] of hwIds) g = updateModule<XyloNeurons>(g, id, { hwIds: ids });
  // 4. assemble weights
  const synOf = (m: HwModule): number => m.inputs.length / m.outputs.length;
  const S = hidden.some((m) => synOf(m) > 1) ? 2 : 1;
  const ienIds =
    profile.idLayout === 'ien-first-oen-last'
      ? ienMods.flatMap((m) => hwIds.get(m.id)!)
      : Array.from({ length: nHid }, (_, i) => i);
  const oenIds =
    profile.idLayout === 'ien-first-oen-last'
      ? [...new Set(oenMods.flatMap((m) => hwIds.get(m.id)!))].sort((a, b) => a - b)
      : Array.from({ length: nHid }, (_, i) => i);
  const nIn = g.inputs.length;
  const nIen = ienIds.length;
  const weightsIn = zeros([nIn, nIen, S]);
  const weightsRec = zeros([nHid, nHid, S]);
  const weightsOut = zeros([oenIds.length, nOut]);
  const ienCol = new Map(ienIds.map((id, i) => [id, i]));
  const oenRow = new Map(oenIds.map((id, i) => [id, i]));
  const firstXylo = (ms: HwModule[]): XyloNeurons | undefined => ms.find(isXylo);
  for (const w of bag(g, undefined, 'rockpool').modules.map((id) => getModule(g, id))) {
    if (w.kind !== 'linear') continue;
    const W = w.weights.data;
    const cols = w.weights.shape[1]!;
    const tgt = firstXylo(sinksOf(g, w.outputs));
    if (!tgt) {
      diagnostics.push(
        diag(
          'error',
          'assemble_weights',
          w.name,
          `Unexpected target of weights ${w.name}: no Xylo neurons read its outputs.`,
          { modules: [w.id] },
        ),
      );
      continue;
    }
    const tIds = hwIds.get(tgt.id)!;
    const s = synOf(tgt);
    if (w === wIn) {
      for (let i = 0; i < nIn; i++) {
        for (let k = 0; k < tIds.length; k++) {
          for (let q = 0; q < s; q++) {
            const col = ienCol.get(tIds[k]!);
            if (col === undefined) continue;
            weightsIn.data[(i * nIen + col) * S + q] = W[i * cols + k * s + q]!;
          }
        }
      }
      continue;
    }
    const src = firstXylo(sourcesOf(g, w.inputs));
    if (!src) {
      diagnostics.push(
        diag(
          'error',
          'assemble_weights',
          w.name,
          `Unexpected source of weights ${w.name}: no Xylo neurons write its inputs.`,
          { modules: [w.id] },
        ),
      );
      continue;
    }
    const sIds = hwIds.get(src.id)!;
    if (tgt.kind === 'xylo.hidden') {
      for (let i = 0; i < sIds.length; i++) {
        for (let k = 0; k < tIds.length; k++) {
          for (let q = 0; q < s; q++)
            weightsRec.data[(sIds[i]! * nHid + tIds[k]!) * S + q] = W[i * cols + k * s + q]!;
        }
      }
    } else {
      for (let i = 0; i < sIds.length; i++) {
        const row = oenRow.get(sIds[i]!);
        if (row === undefined) {
          diagnostics.push(
            diag(
              'error',
              'assemble_weights',
              w.name,
              `Readout weights ${w.name} come from ${src.name}, which is not an output expansion neuron.`,
              { modules: [w.id] },
            ),
          );
          break;
        }
        for (let k = 0; k < tIds.length; k++)
          weightsOut.data[row * nOut + (tIds[k]! - maxHidden)] = W[i * cols + k]!;
      }
    }
  }
  // 5. neuron vectors
  const dashMem = new Float64Array(nHid);
  const dashSyn = new Float64Array(nHid);
  const dashSyn2 = new Float64Array(nHid);
  const threshold = new Float64Array(nHid);
  const bias = new Float64Array(nHid);
  for (const m0 of hidden) {
    const m = getModule(g, m0.id) as XyloNeurons;
    const ids = hwIds.get(m.id)!;
    const s = synOf(m);
    ids.forEach((id, i) => {
      dashMem[id] = m.dashMem[i]!;
      threshold[id] = m.threshold[i]!;
      bias[id] = m.bias[i]!;
      dashSyn[id] = m.dashSyn[i * s]!;
      if (s === 2) dashSyn2[id] = m.dashSyn[i * s + 1]!;
    });
  }
  const dashMemOut = new Float64Array(nOut);
  const dashSynOut = new Float64Array(nOut);
  const thresholdOut = new Float64Array(nOut);
  const biasOut = new Float64Array(nOut);
  for (const m0 of outputs) {
    const m = getModule(g, m0.id) as XyloNeurons;
    hwIds.get(m.id)!.forEach((id, i) => {
      const k = id - maxHidden;
      dashMemOut[k] = m.dashMem[i]!;
      dashSynOut[k] = m.dashSyn[i]!;
      thresholdOut[k] = m.threshold[i]!;
      biasOut[k] = m.bias[i]!;
    });
  }
  // 6. aliases
  const aliases: number[][] = Array.from({ length: nHid }, () => []);
  for (const a of order) {
    if (a.kind !== 'alias') continue;
    const src = firstXylo(sourcesOf(g, a.inputs));
    const tgt = firstXylo(sourcesOf(g, a.outputs).filter((m) => m.id !== a.id));
    if (!src || !tgt) {
      diagnostics.push(
        diag(
          'error',
          'assemble_aliases',
          a.name,
          `Alias ${a.name} must connect two hidden neuron populations.`,
          { modules: [a.id] },
        ),
      );
      continue;
    }
    const sIds = hwIds.get(src.id)!;
    const tIds = hwIds.get(tgt.id)!;
    sIds.forEach((sid, i) => {
      if (tIds[i] !== undefined && sid < nHid) aliases[sid]!.push(tIds[i]!);
    });
  }
  const first = order.find(isXylo);
  const spec: XyloSpec = {
    device: profile.id,
    dt: first ? first.dt : 0,
    weightsIn,
    weightsRec,
    weightsOut,
    dashMem,
    dashSyn,
    dashSyn2,
    threshold,
    bias,
    dashMemOut,
    dashSynOut,
    thresholdOut,
    biasOut,
    weightShiftIn: 0,
    weightShiftRec: 0,
    weightShiftOut: 0,
    aliases,
    oenIds,
    outputIds: outputs.flatMap((m) => hwIds.get(m.id)!),
    quantised: false,
  };
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return { ok, spec, graph: g, diagnostics, hwIds };
}
