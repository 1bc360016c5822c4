/**
 * A device-independent Xylo configuration (our own JSON schema, not samna's) and its validator.
 *
 * Unlike Rockpool's `config_from_specification`, this keeps hidden biases (Rockpool's spec/config
 * key mismatch drops them), refuses more than the supported alias targets instead of silently using
 * the first, keeps both synapses on XyloAudio 3 (Rockpool writes only synapse 1), and reports IEN/OEN
 * window overflows instead of truncating. The validator is conservative: samna's exact rules are
 * closed source.
 *
 * @module
 */
import { type Diagnostic, diag } from '../../diagnostics.ts';
import type { HardwareProfile } from '../profiles.ts';
import type { XyloSpec } from './spec.ts';

/** The JSON document's `format` marker. */
export const XYLO_CONFIG_FORMAT = 'spark-snn/xylo-config';

/** A quantised network for a Xylo-family device, as plain JSON. */
export interface XyloConfig {
  readonly format: typeof XYLO_CONFIG_FORMAT;
  readonly version: 1;
  /** Profile id. */
  readonly device: string;
  /** Time step in seconds. */
  readonly dt: number;
  /** Synaptic states used per hidden neuron (1 or 2). */
  readonly synapses: number;
  readonly input: {
    /** `[nIn][nIen][synapses]` int8 values. */
    readonly weights: number[][][];
    readonly weightShift: number;
  };
  readonly hidden: {
    /** `[nHidden][nHidden][synapses]` int8 values (rows = presynaptic). */
    readonly weights: number[][][];
    readonly weightShift: number;
    readonly threshold: number[];
    readonly bias: number[];
    readonly dashMem: number[];
    readonly dashSyn: number[];
    readonly dashSyn2: number[];
    /** Alias target per hidden neuron (`null` = none). */
    readonly aliases: (number | null)[];
  };
  readonly readout: {
    /** Hidden ids of the readout rows (output expansion neurons). */
    readonly sourceIds: number[];
    /** `[nOen][nOut]` int8 values. */
    readonly weights: number[][];
    readonly weightShift: number;
    readonly threshold: number[];
    readonly bias: number[];
    readonly dashMem: number[];
    readonly dashSyn: number[];
  };
}

function nest3(data: ArrayLike<number>, [a, b, c]: readonly number[]): number[][][] {
  return Array.from({ length: a! }, (_, i) =>
    Array.from({ length: b! }, (_, j) => Array.from({ length: c! }, (_, k) => data[(i * b! + j) * c! + k]!)),
  );
}

/**
 * Builds the configuration from a **quantised** specification and validates it against the profile.
 * Returns diagnostics instead of throwing; `config` is undefined only when the spec is unusable.
 */
export function toXyloConfig(
  spec: XyloSpec,
  profile: HardwareProfile,
): { config: XyloConfig | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (!spec.quantised) {
    diagnostics.push(
      diag('error', 'config.not-quantised', '', 'the specification is not quantised', {
        hint: 'run globalQuantize or channelQuantize first',
      }),
    );
    return { config: undefined, diagnostics };
  }
  if (spec.device !== profile.id)
    diagnostics.push(
      diag(
        'warning',
        'config.device',
        'device',
        `spec was mapped for ${spec.device}, validating against ${profile.id}`,
      ),
    );
  const aliases = spec.aliases.map((a, i) => {
    if (a.length > profile.maxAliasTargets) {
      diagnostics.push(
        diag(
          'error',
          'config.alias-targets',
          `aliases[${i}]`,
          `hidden neuron ${i} has ${a.length} alias targets; ${profile.name} supports ${profile.maxAliasTargets}`,
        ),
      );
    }
    return a[0] ?? null;
  });
  const [nOen, nOut] = spec.weightsOut.shape as [number, number];
  const config: XyloConfig = {
    format: XYLO_CONFIG_FORMAT,
    version: 1,
    device: profile.id,
    dt: spec.dt,
    synapses: spec.weightsIn.shape[2] ?? 1,
    input: { weights: nest3(spec.weightsIn.data, spec.weightsIn.shape), weightShift: spec.weightShiftIn },
    hidden: {
      weights: nest3(spec.weightsRec.data, spec.weightsRec.shape),
      weightShift: spec.weightShiftRec,
      threshold: Array.from(spec.threshold),
      bias: Array.from(spec.bias),
      dashMem: Array.from(spec.dashMem),
      dashSyn: Array.from(spec.dashSyn),
      dashSyn2: Array.from(spec.dashSyn2),
      aliases,
    },
    readout: {
      sourceIds: [...spec.oenIds],
      weights: Array.from({ length: nOen }, (_, i) =>
        Array.from({ length: nOut }, (_, k) => spec.weightsOut.data[i * nOut + k]!),
      ),
      weightShift: spec.weightShiftOut,
      threshold: Array.from(spec.thresholdOut),
      bias: Array.from(spec.biasOut),
      dashMem: Array.from(spec.dashMemOut),
      dashSyn: Array.from(spec.dashSynOut),
    },
  };
  diagnostics.push(...validateXyloConfig(config, profile));
  return { config, diagnostics };
}

/**
 * Validates a configuration against a profile: shapes, counts, IEN/OEN windows, synapses, integer
 * value ranges (weights, thresholds, biases, dashes, shifts), alias targets and per-neuron fan-out
 * (non-zero recurrent targets over all synapses + non-zero readout targets).
 */
export function validateXyloConfig(c: XyloConfig, p: HardwareProfile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const e = (code: string, path: string, message: string) =>
    out.push(diag('error', `config.${code}`, path, message));
  if (c.format !== XYLO_CONFIG_FORMAT || c.version !== 1)
    e('format', 'format', 'not a spark-snn Xylo configuration (version 1)');
  const nIn = c.input.weights.length;
  const nIen = c.input.weights[0]?.length ?? 0;
  const nHid = c.hidden.weights.length;
  const nOen = c.readout.weights.length;
  const nOut = c.readout.threshold.length;
  if (!(c.dt > 0)) e('dt', 'dt', 'dt must be positive');
  if (nIn > p.maxInputs) e('inputs', 'input.weights', `${nIn} input channels; ${p.name} has ${p.maxInputs}`);
  if (nHid > p.maxHidden)
    e('hidden', 'hidden.weights', `${nHid} hidden neurons; ${p.name} has ${p.maxHidden}`);
  if (nOut > p.maxOutputs)
    e('outputs', 'readout.threshold', `${nOut} output neurons; ${p.name} has ${p.maxOutputs}`);
  if (c.synapses > p.hiddenSynapses)
    e('synapses', 'synapses', `${c.synapses} synapses per hidden neuron; ${p.name} has ${p.hiddenSynapses}`);
  if (nIen > nHid)
    e('ien', 'input.weights', `input expansion (${nIen}) larger than the hidden population (${nHid})`);
  if (p.ienWindow !== null && nIen > p.ienWindow)
    e(
      'ien-window',
      'input.weights',
      `${nIen} input expansion neurons; ${p.name} feeds input to the first ${p.ienWindow} only`,
    );
  if (p.oenWindow !== null && nOen > p.oenWindow)
    e(
      'oen-window',
      'readout.weights',
      `${nOen} output expansion neurons; ${p.name} reads out from the last ${p.oenWindow} only`,
    );
  if (p.oenWindow !== null && c.readout.sourceIds.some((id, i) => id !== nHid - nOen + i)) {
    e('oen-layout', 'readout.sourceIds', 'output expansion neurons must be the last hidden neurons');
  }
  if (c.readout.sourceIds.length !== nOen)
    e('shape', 'readout.sourceIds', `${c.readout.sourceIds.length} source ids for ${nOen} readout rows`);
  for (const [name, v, n] of [
    ['hidden.threshold', c.hidden.threshold, nHid],
    ['hidden.bias', c.hidden.bias, nHid],
    ['hidden.dashMem', c.hidden.dashMem, nHid],
    ['hidden.dashSyn', c.hidden.dashSyn, nHid],
    ['hidden.dashSyn2', c.hidden.dashSyn2, nHid],
    ['hidden.aliases', c.hidden.aliases, nHid],
    ['readout.bias', c.readout.bias, nOut],
    ['readout.dashMem', c.readout.dashMem, nOut],
    ['readout.dashSyn', c.readout.dashSyn, nOut],
  ] as const) {
    if (v.length !== n) e('shape', name, `${v.length} values, expected ${n}`);
  }
  const wMax = 2 ** (p.weightBits - 1) - 1;
  const wMin = -(2 ** (p.weightBits - 1));
  const thMax = 2 ** (p.thresholdBits - 1) - 1;
  const bMax = 2 ** (p.biasBits - 1) - 1;
  const range = (name: string, values: Iterable<number>, lo: number, hi: number) => {
    let i = 0;
    for (const x of values) {
      if (!Number.isInteger(x)) {
        e('integer', `${name}[${i}]`, `${x} is not an integer (quantise first)`);
        return;
      }
      if (x < lo || x > hi) {
        e('range', `${name}[${i}]`, `${x} outside [${lo}, ${hi}]`);
        return;
      }
      i++;
    }
  };
  range('input.weights', c.input.weights.flat(2), wMin, wMax);
  range('hidden.weights', c.hidden.weights.flat(2), wMin, wMax);
  range('readout.weights', c.readout.weights.flat(), wMin, wMax);
  range('hidden.threshold', c.hidden.threshold, -thMax, thMax);
  range('readout.threshold', c.readout.threshold, -thMax, thMax);
  range('hidden.bias', c.hidden.bias, -bMax, bMax);
  range('readout.bias', c.readout.bias, -bMax, bMax);
  for (const k of ['dashMem', 'dashSyn', 'dashSyn2'] as const)
    range(`hidden.${k}`, c.hidden[k], 0, p.maxDash);
  range('readout.dashMem', c.readout.dashMem, 0, p.maxDash);
  range('readout.dashSyn', c.readout.dashSyn, 0, p.maxDash);
  range('input.weightShift', [c.input.weightShift], 0, p.maxWeightShift);
  range('hidden.weightShift', [c.hidden.weightShift], 0, p.maxWeightShift);
  range('readout.weightShift', [c.readout.weightShift], 0, p.maxWeightShift);
  c.hidden.aliases.forEach((t, i) => {
    if (t !== null && (t < 0 || t >= nHid || !Number.isInteger(t)))
      e('alias', `hidden.aliases[${i}]`, `alias target ${t} is not a hidden neuron`);
    if (t !== null && t === i) e('alias', `hidden.aliases[${i}]`, 'a neuron cannot alias itself');
  });
  // fan-out per hidden neuron
  const oenRow = new Map(c.readout.sourceIds.map((id, i) => [id, i]));
  for (let i = 0; i < nHid; i++) {
    let fan = 0;
    for (const row of c.hidden.weights[i] ?? []) fan += row.filter((w) => w !== 0).length;
    const r = oenRow.get(i);
    if (r !== undefined) fan += (c.readout.weights[r] ?? []).filter((w) => w !== 0).length;
    if (fan > p.maxFanout) {
      out.push(
        diag(
          'error',
          'config.fanout',
          `hidden[${i}]`,
          `hidden neuron ${i} has fan-out ${fan}; ${p.name} allows ${p.maxFanout}${p.confirmed.fanout ? '' : ' (unconfirmed limit)'}`,
        ),
      );
    }
  }
  return out;
}
