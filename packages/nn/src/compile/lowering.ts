/**
 * The lowering contract: how one module type turns into plan buffers and ops.
 *
 * Every module type (by Spark registry name) has a {@link ModuleLowering}. Given its config and the
 * port values of its inputs, it adds buffers and ops to the plan and returns the port values of its
 * outputs and properties. Equation-defined modules lower through the kernels package's
 * `instantiateModule`; structural modules (delays, dense synapses, concat) emit structural ops.
 *
 * @module
 */
import type { Behaviour, ConfigBody, PayloadType } from '@spark-snn/config';
import type { PlanBuilder, PortValue } from './builder.ts';

/** Shape/payload of an output known before the module is lowered (a recurrent contract). */
export interface PortContract {
  readonly shape: readonly number[];
  readonly payload: PayloadType;
  readonly inhibitionMask?: Uint8Array;
}

/** Everything a lowering may use besides its own config and inputs. */
export interface LowerContext {
  readonly builder: PlanBuilder;
  /** Integration step (ms) of the whole brain (Spark re-propagates `dt` to every child). */
  readonly dt: number;
  /** Spark's upstream behaviour (`'spark'`) or spark-snn's corrected behaviour. */
  readonly behaviour: Behaviour;
  /** Allocates `count` RNG streams for the module at `path` (stable across compiles). */
  rngStreams(path: string, count: number): number;
  /** Looks up the lowering of another module type (controllers lower their children). */
  lowering(registryName: string): ModuleLowering;
}

/** What lowering a module produced. */
export interface LoweredModule {
  /** Output port → value (written by the module's ops every step). */
  readonly outputs: Readonly<Record<string, PortValue>>;
  /** Property port → value (live buffers; settable ones may be targets of effects). */
  readonly properties: Readonly<Record<string, PortValue>>;
  /** State buffers by Spark-style state path relative to the module (`soma/potential`). */
  readonly state: Readonly<Record<string, string>>;
  /** Plan buffers of learnable state (e.g. kernels) that `learning: false` freezes. */
  readonly learnable?: readonly string[];
  /** Names of the ops that update learnable state; a frozen module's plan leaves them out. */
  readonly learningOps?: readonly string[];
  /**
   * Sub-sections a controller lowered its children into; they run right after the module's own
   * section (which holds its input concatenation).
   */
  readonly sections?: readonly string[];
}

/** Arguments of {@link ModuleLowering.lower}. */
export interface LowerArgs {
  readonly ctx: LowerContext;
  /** Path of the module (`A_excitatory/soma`), also the prefix of its buffers and ops. */
  readonly path: string;
  /** Section of the plan the module's ops go to. */
  readonly section: string;
  /** The module's config body (defaults filled by the config package). */
  readonly config: ConfigBody;
  /** Input port → value. */
  readonly inputs: Readonly<Record<string, PortValue>>;
}

/** How one module type lowers. */
export interface ModuleLowering {
  /** Registry name. */
  readonly name: string;
  /** Input ports that may be left unconnected outside controllers. */
  readonly optionalInputs?: readonly string[];
  /** Output contract before lowering (only Neuron controllers have one). */
  contract?(config: ConfigBody, path: string): Readonly<Record<string, PortContract>>;
  /** Adds the module's buffers and ops. */
  lower(args: LowerArgs): LoweredModule;
}

/** A problem while lowering, with the config path it concerns. */
export class CompileError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'CompileError';
    this.path = path;
  }
}
