/**
 * The PyNN model an export builds before it writes Python: populations, projections, and the
 * diagnostics that say what could not be expressed.
 *
 * @module
 */

import type { Issue, IssueSeverity } from '@spark-snn/core';

/** Severity of a {@link PyNNDiagnostic}: an `error` makes the export fail unless partial output is allowed. */
export type Severity = IssueSeverity;

/** Machine-readable kind of a {@link PyNNDiagnostic}. */
export type PyNNDiagnosticCode =
  | 'unsupported_module'
  | 'unsupported_value'
  | 'unsupported_connection'
  | 'unsupported_input'
  | 'weight_sign'
  | 'simulator_limit'
  | 'latency'
  | 'approximation'
  | 'invalid_document';

/**
 * One finding of an export: `@spark-snn/core`'s {@link Issue}. `path` is the config path of the module
 * or field concerned (`modules_specs[2].config.tau_m`).
 */
export type PyNNDiagnostic = Issue<PyNNDiagnosticCode>;

/**
 * A parameter or initial value in PyNN: a scalar, a uniform random distribution, or one value per
 * cell (written inline, or into the `.npz` under `key` when the export is explicit).
 */
export type PyValue =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'array'; readonly values: Float64Array; readonly key?: string };

/** The PyNN standard cell types the exporter writes. */
export type CellType = 'IF_curr_exp' | 'IF_cond_exp' | 'IF_curr_delta' | 'SpikeSourcePoisson';

/** A PyNN simulator module the generated script can select (`pyNN.<name>`). */
export type Simulator = 'nest' | 'brian2' | 'neuron' | 'spiNNaker';

/** Every simulator the generated script accepts, in its `--simulator` order. */
export const SIMULATORS: readonly Simulator[] = ['nest', 'brian2', 'neuron', 'spiNNaker'];

/** How a population's cell type fares on a simulator, when it is not simply supported. */
export interface SimulatorLimit {
  readonly simulator: Simulator;
  /** `unavailable`: PyNN has no such model there; `approximate`: the model exists but differs. */
  readonly level: 'unavailable' | 'approximate';
  readonly reason: string;
}

/** A PyNN Population (one Brain module: a soma, or a spike source). */
export interface PyNNPopulation {
  /** Python identifier and PyNN label (the module name, sanitised). */
  readonly id: string;
  /** The module's name in the Brain. */
  readonly module: string;
  /** Config path of the module (`modules_specs[0]`). */
  readonly path: string;
  /** Registry name of the module class (`cuba_lif`). */
  readonly moduleClass: string;
  readonly size: number;
  readonly cell: CellType;
  readonly params: Readonly<Record<string, PyValue>>;
  readonly initial: Readonly<Record<string, PyValue>>;
  /** Python comment lines explaining the mapping (units, conversions). */
  readonly notes: readonly string[];
  readonly limits: readonly SimulatorLimit[];
  /** Record spikes (every non-source population). */
  readonly record: boolean;
}

/** The presynaptic or postsynaptic side of a projection: a population, or a slice of it. */
export interface PyNNSide {
  /** {@link PyNNPopulation.id}. */
  readonly population: string;
  /** Slice `[start, stop)` of the population; the whole population when it spans all of it. */
  readonly start: number;
  readonly stop: number;
}

/** A connector of a {@link PyNNProjection}. */
export type PyNNConnector =
  | { readonly kind: 'fixed_probability'; readonly p: number }
  | { readonly kind: 'fixed_number_pre'; readonly n: number }
  | { readonly kind: 'one_to_one' }
  | {
      readonly kind: 'from_list';
      /** npz key prefix: `<key>_pre`, `<key>_post` (and `<key>_weight`, `<key>_delay` when they vary). */
      readonly key: string;
      /** Source indices inside the pre slice, target indices inside the post slice. */
      readonly pre: Uint32Array;
      readonly post: Uint32Array;
      /** Per-edge weights in PyNN units (absent: the projection's homogeneous weight). */
      readonly weights?: Float64Array;
      /** Per-edge delays in ms (absent: the projection's homogeneous delay). */
      readonly delays?: Float64Array;
    };

/** A PyNN Projection. */
export interface PyNNProjection {
  readonly id: string;
  /** Config path of the synapse module (or source) that produced it. */
  readonly path: string;
  readonly pre: PyNNSide;
  readonly post: PyNNSide;
  readonly receptor: 'excitatory' | 'inhibitory';
  readonly connector: PyNNConnector;
  /** Homogeneous weight in PyNN units (nA, µS or mV by cell type); ignored when the list has weights. */
  readonly weight: number;
  /** PyNN delay in ms (≥ one dt). */
  readonly delay: number;
  readonly notes: readonly string[];
}

/** The whole PyNN network of an export. */
export interface PyNNNetwork {
  /** Integration step in ms. */
  readonly dt: number;
  /** The Brain's seed (the script's default `--seed`). */
  readonly seed: number;
  readonly populations: readonly PyNNPopulation[];
  readonly projections: readonly PyNNProjection[];
  /** Slices worth a rate line of their own (the presynaptic slices of projections, e.g. E and I). */
  readonly slices: readonly PyNNSide[];
}
