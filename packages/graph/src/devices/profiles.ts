/**
 * Hardware profiles as data. The mapper, DRC and configuration validator read every limit from a
 * profile, so a new target is a new object (see {@link MY_HARDWARE}).
 *
 * Numbers from graph-reference §2.2 (Rockpool's Xylo overview and mapper defaults). Bit widths are
 * documented for XyloAudio 2 and assumed identical for XyloAudio 3 / XyloIMU until confirmed
 * (`confirmed.bitWidths = false` there).
 *
 * @module
 */

/** Limits and conventions of one neuromorphic target. */
export interface HardwareProfile {
  /** Stable id, e.g. `xylo-audio-2`. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** Chip designator, e.g. `SYNS61201`. */
  readonly part?: string;
  /** SNN input channels. */
  readonly maxInputs: number;
  /** Hidden neurons. */
  readonly maxHidden: number;
  /** Output (readout) neurons. */
  readonly maxOutputs: number;
  /** Synaptic states per hidden neuron. */
  readonly hiddenSynapses: number;
  /** Synaptic states per output neuron. */
  readonly outputSynapses: number;
  /** Maximum fan-out per hidden neuron (non-zero recurrent + readout targets, conservative). */
  readonly maxFanout: number;
  /** Input expansion window: the first `ienWindow` hidden neurons receive input (`null` = all). */
  readonly ienWindow: number | null;
  /** Output expansion window: the last `oenWindow` hidden neurons drive the readout (`null` = all). */
  readonly oenWindow: number | null;
  /** Hidden id allocation: in bag order, or input-expansion neurons first and output-expansion last. */
  readonly idLayout: 'sequential' | 'ien-first-oen-last';
  /** DRC warns above this many input channels (Rockpool `le_16_input_channels`). */
  readonly warnInputsAbove: number;
  /** DRC warns above this many output channels (`le_8_output_channels` / `le_16_output_channels`). */
  readonly warnOutputsAbove: number;
  /** Signed weight bits (8 → −128…127; quantisers use ±127). */
  readonly weightBits: number;
  /** Signed threshold bits. */
  readonly thresholdBits: number;
  /** Signed bias bits. */
  readonly biasBits: number;
  /** Maximum bit-shift decay parameter ("dash"). */
  readonly maxDash: number;
  /** Maximum left weight bit shift. */
  readonly maxWeightShift: number;
  /** Input events per channel per step. */
  readonly maxInputEventsPerStep: number;
  /** Spikes per hidden neuron per step. */
  readonly maxHiddenSpikesPerStep: number;
  /** Spikes per output neuron per step. */
  readonly maxOutputSpikesPerStep: number;
  /** Alias targets per hidden neuron. */
  readonly maxAliasTargets: number;
  /** Conversion requires every τ to be strictly greater than dt (XyloAudio 2, XyloIMU). */
  readonly requireTauGreaterThanDt: boolean;
  /** `toRockpoolSpec` squeezes single-synapse matrices to 2-D (XyloAudio 2 mapper behaviour). */
  readonly rockpoolSqueeze: boolean;
  /** Which numbers are confirmed by vendor documentation. */
  readonly confirmed: { readonly bitWidths: boolean; readonly fanout: boolean };
}

const XYLO_COMMON = {
  maxInputs: 16,
  weightBits: 8,
  thresholdBits: 16,
  biasBits: 16,
  maxDash: 15,
  maxWeightShift: 15,
  maxInputEventsPerStep: 15,
  maxHiddenSpikesPerStep: 31,
  maxOutputSpikesPerStep: 1,
  maxAliasTargets: 1,
  warnInputsAbove: 16,
} as const;

/** XyloAudio 2 (SYNS61201). */
export const XYLO_AUDIO2: HardwareProfile = {
  ...XYLO_COMMON,
  id: 'xylo-audio-2',
  name: 'XyloAudio 2',
  part: 'SYNS61201',
  maxHidden: 1000,
  maxOutputs: 8,
  hiddenSynapses: 2,
  outputSynapses: 1,
  maxFanout: 64,
  ienWindow: null,
  oenWindow: null,
  idLayout: 'sequential',
  warnOutputsAbove: 8,
  requireTauGreaterThanDt: true,
  rockpoolSqueeze: true,
  confirmed: { bitWidths: true, fanout: true },
};

/** XyloAudio 3 (SYNS65302). */
export const XYLO_AUDIO3: HardwareProfile = {
  ...XYLO_COMMON,
  id: 'xylo-audio-3',
  name: 'XyloAudio 3',
  part: 'SYNS65302',
  maxHidden: 992,
  maxOutputs: 32,
  hiddenSynapses: 2,
  outputSynapses: 1,
  maxFanout: 1024,
  ienWindow: 128,
  oenWindow: 128,
  idLayout: 'ien-first-oen-last',
  warnOutputsAbove: 16,
  requireTauGreaterThanDt: false,
  rockpoolSqueeze: false,
  confirmed: { bitWidths: false, fanout: true },
};

/** XyloIMU (SYNS63300). */
export const XYLO_IMU: HardwareProfile = {
  ...XYLO_COMMON,
  id: 'xylo-imu',
  name: 'XyloIMU',
  part: 'SYNS63300',
  maxHidden: 496,
  maxOutputs: 16,
  hiddenSynapses: 1,
  outputSynapses: 1,
  maxFanout: 512,
  ienWindow: 128,
  oenWindow: 128,
  idLayout: 'ien-first-oen-last',
  warnOutputsAbove: 16,
  requireTauGreaterThanDt: true,
  rockpoolSqueeze: false,
  confirmed: { bitWidths: false, fanout: true },
};

/**
 * An example of adding your own target: copy a profile and change the numbers. The mapper, DRC,
 * quantisers and configuration validator use only these fields.
 *
 * @example
 * const mine: HardwareProfile = { ...MY_HARDWARE, id: 'lab-chip', maxHidden: 4096 };
 * const { spec, diagnostics } = mapXylo(graph, mine);
 */
export const MY_HARDWARE: HardwareProfile = {
  ...XYLO_COMMON,
  id: 'my-hardware',
  name: 'My own hardware (example)',
  maxInputs: 64,
  maxHidden: 256,
  maxOutputs: 16,
  hiddenSynapses: 1,
  outputSynapses: 1,
  maxFanout: 256,
  ienWindow: null,
  oenWindow: null,
  idLayout: 'sequential',
  warnInputsAbove: 64,
  warnOutputsAbove: 16,
  requireTauGreaterThanDt: true,
  rockpoolSqueeze: false,
  confirmed: { bitWidths: false, fanout: false },
};

/** The built-in profiles by id. */
export const PROFILES: Readonly<Record<string, HardwareProfile>> = {
  [XYLO_AUDIO2.id]: XYLO_AUDIO2,
  [XYLO_AUDIO3.id]: XYLO_AUDIO3,
  [XYLO_IMU.id]: XYLO_IMU,
  [MY_HARDWARE.id]: MY_HARDWARE,
};
