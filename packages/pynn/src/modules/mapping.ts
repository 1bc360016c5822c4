/**
 * The mapping contract: how one Brain module kind becomes PyNN. Cells (somas) become Populations of
 * a standard cell type, sources become spike-source Populations feeding a soma port one to one, and
 * synapses become Projections. One file per module kind, named by its registry name.
 *
 * @module
 */
import type { ConfigBody, Registry } from '@spark-snn/config';
import type { CellType, PyNNDiagnostic, PyValue, SimulatorLimit } from '../types.ts';
import { shift } from '../values.ts';

/** What every mapping is given. */
export interface MapArgs {
  readonly config: ConfigBody;
  /** Config path of the module (`modules_specs[0]`). */
  readonly path: string;
  readonly moduleClass: string;
  /** Number of cells (from the module's `units`). */
  readonly size: number;
  /** Integration step of the Brain in ms. */
  readonly dt: number;
  readonly registry: Registry;
  readonly sink: PyNNDiagnostic[];
}

/**
 * How a weight arriving on a soma input port becomes a PyNN weight. `receptor: 'sign'` lets the
 * weight's sign choose the receptor, which is exact only where both receptors act the same (delta
 * synapses).
 */
export interface PortRule {
  readonly receptor: 'excitatory' | 'inhibitory' | 'sign';
  /** PyNN weight = Brain weight × factor. */
  readonly factor: number;
  /** The sign PyNN requires of the weight on this receptor. */
  readonly sign: 'nonnegative' | 'nonpositive' | 'any';
  /** PyNN unit of the converted weight. */
  readonly unit: string;
  /** One comment line: the Brain unit and the conversion. */
  readonly note: string;
  /**
   * When an input read at step n acts, which fixes the PyNN delay of a Brain latency of `L` steps.
   * `'integrated'`: it enters the equations integrated over step n (a current or conductance jump
   * before the update), while PyNN (NEST, Brian2) adds a spike delivered at step m after that
   * step's update, so it acts from step m + 1: PyNN delay `(L − 1)·dt`. `'jump'`: it is added after
   * the update of step n, exactly as PyNN's delta synapses add a spike delivered at step m: PyNN
   * delay `L·dt`.
   */
  readonly delivery: 'integrated' | 'jump';
}

/** A soma mapped to a PyNN standard cell. */
export interface MappedCell {
  readonly params: Record<string, PyValue>;
  readonly initial: Record<string, PyValue>;
  readonly notes: string[];
  readonly ports: Readonly<Record<string, PortRule>>;
  readonly limits: SimulatorLimit[];
}

/** A soma module kind → a PyNN standard cell type. */
export interface CellMapping {
  readonly kind: 'cell';
  /** Registry name (`cuba_lif`). */
  readonly module: string;
  readonly cell: CellType;
  /** Undefined after reporting, when the config has no PyNN form. */
  map(args: MapArgs): MappedCell | undefined;
}

/** A spike source mapped to a PyNN spike-source Population connected one to one. */
export interface MappedSource {
  readonly params: Record<string, PyValue>;
  /** Weight of each source spike, in the Brain units of the port it feeds. */
  readonly weight: number;
  /** Output port of the module. */
  readonly port: string;
  readonly notes: string[];
  readonly limits: SimulatorLimit[];
}

/** A source module kind → a PyNN spike source. */
export interface SourceMapping {
  readonly kind: 'source';
  readonly module: string;
  readonly cell: CellType;
  map(args: MapArgs): MappedSource | undefined;
}

/** The connector a synapse module draws (before explicit connectivity replaces it). */
export type SynapseConnector =
  | { readonly kind: 'fixed_probability'; readonly p: number }
  | { readonly kind: 'fixed_number_pre'; readonly n: number }
  /**
   * Only the compiled Brain knows the edges or their values (a dense kernel, per-connection weights
   * or delays, an explicit edge list): they are read from it and written to the `.npz`.
   */
  | { readonly kind: 'brain'; readonly what: 'dense' | 'sparse'; readonly why: string };

/** A synapse module mapped to PyNN projections. */
export interface MappedSynapses {
  readonly connector: SynapseConnector;
  /** Homogeneous weight in Brain units (dense kernels carry their own weights). */
  readonly weight?: number;
  /** Extra delay of the module in steps (on top of the Brain's step latency). */
  readonly delaySteps: number;
  /** Presynaptic slice: `[start, stop)`, `stop` undefined = to the end. */
  readonly sourceStart: number;
  readonly sourceStop?: number;
  /** Postsynaptic size (`units`). */
  readonly post: number;
  readonly notes: string[];
}

/** A synapse module kind → PyNN projections. */
export interface SynapseMapping {
  readonly kind: 'synapses';
  readonly module: string;
  /** Input port carrying the presynaptic spikes, output port carrying the currents. */
  readonly spikesPort: string;
  readonly currentsPort: string;
  map(args: MapArgs): MappedSynapses | undefined;
}

/** Any mapping. */
export type ModuleMapping = CellMapping | SourceMapping | SynapseMapping;

/** `units` of a config (a shape) as a cell count, or undefined. */
export function unitsOf(config: ConfigBody): number | undefined {
  const u = config.units;
  const shape = typeof u === 'number' ? [u] : Array.isArray(u) ? u : undefined;
  if (
    !shape ||
    shape.length === 0 ||
    !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)
  )
    return undefined;
  return (shape as number[]).reduce((a, b) => a * b, 1);
}

/**
 * The initial membrane potential `v_reset + v_offset` of the spark-snn LIF somas as one PyNN initial
 * value, or a diagnostic (at `v_offset`) when both vary per cell.
 */
export function initialPotential(a: MapArgs, vReset: PyValue, offset: PyValue): PyValue | undefined {
  const v0 = shift(vReset, offset);
  if (v0 === undefined)
    a.sink.push({
      severity: 'error',
      code: 'unsupported_value',
      path: `${a.path}.config.v_offset`,
      message: 'v_reset and v_offset cannot both vary per cell in a PyNN initial value',
    });
  return v0;
}

/** PyNN requires a homogeneous refractory period on Brian2 (pyNN.brian2 raises otherwise). */
export function refractoryLimits(tauRefrac: PyValue | undefined): SimulatorLimit[] {
  return tauRefrac && tauRefrac.kind !== 'scalar'
    ? [
        {
          simulator: 'brian2',
          level: 'unavailable',
          reason: 'pyNN.brian2 supports only a homogeneous tau_refrac',
        },
      ]
    : [];
}
