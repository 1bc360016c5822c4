/**
 * Compiles a BrainConfig into a {@link Plan}: caller inputs become streamed buffers, every module is
 * lowered (in execution order, for shape inference) and its ops are emitted in declaration order,
 * followed by the cache refresh that gives every module→module edge its one step of latency.
 *
 * @module
 */
import type { Behaviour, ConfigBody, ModuleSpecs, PayloadType, Registry } from '@spark-snn/config';
import { deriveStream, type Plan, shapeSize } from '@spark-snn/core';
import { neuronLowering } from '../lowerings/neuron.ts';
import { PlanBuilder, type PortValue } from './builder.ts';
import { lowerChildren } from './controller.ts';
import { CompileError, type LowerContext, type LoweredModule, type ModuleLowering } from './lowering.ts';
import { applyFloat16, float16Modules, modulePaths } from './precision.ts';
import type { LoweringRegistry } from './registry.ts';

/** A caller input of the brain (a `__call__` port). */
export interface BrainInputSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly payload: PayloadType;
  /** Plan buffer the input is streamed into. */
  readonly buffer: string;
}

/** What {@link compileBrain} returns. */
export interface CompiledBrain {
  readonly plan: Plan;
  readonly inputs: ReadonlyMap<string, BrainInputSpec>;
  readonly outputs: Readonly<Record<string, PortValue>>;
  /** Lowered modules by name. */
  readonly modules: ReadonlyMap<string, LoweredModule>;
  /** `module/port` → the cache buffer holding that output as of the last completed step. */
  readonly cache: ReadonlyMap<string, PortValue>;
  readonly groups: readonly string[][];
}

/** Options of {@link compileBrain}. */
export interface CompileBrainOptions {
  /** Shape of every caller input (Spark infers them from the first call). */
  readonly inputShapes: Readonly<Record<string, readonly number[]>>;
  readonly lowerings: LoweringRegistry;
  readonly behaviour: Behaviour;
  /** Config registry: neurons registered there (e.g. from a config file) lower as neuron controllers. */
  readonly registry?: Registry;
  /** Called after each module of the brain is lowered, with how many are done of how many. */
  readonly onModule?: (name: string, done: number, total: number) => void;
}

/** Payload type of each `__call__` port, taken from the registry signature of the module it feeds. */
export type InputPayloads = Readonly<Record<string, PayloadType>>;

/** Compiles a brain config body. */
export function compileBrain(
  body: ConfigBody,
  payloads: InputPayloads,
  options: CompileBrainOptions,
): CompiledBrain {
  const modules = body.modules_specs as ModuleSpecs[] | undefined;
  if (!Array.isArray(modules) || modules.length === 0)
    throw new CompileError('modules_specs', 'a brain needs at least one module');
  const dt = typeof body.dt === 'number' ? body.dt : 1;
  const seed = typeof body.seed === 'number' ? body.seed : 0;
  const builder = new PlanBuilder();
  const streams = new Map<string, number>();
  const ctx: LowerContext = {
    builder,
    dt,
    behaviour: options.behaviour,
    rngStreams(path, count) {
      // Stable per module path; consecutive streams for multi-draw modules.
      let base = streams.get(path);
      if (base === undefined) {
        base = deriveStream(path) & 0x7fffffff;
        streams.set(path, base);
      }
      if (count < 1) throw new Error('rngStreams: count must be ≥ 1');
      return base;
    },
    lowering(name): ModuleLowering {
      const l = options.lowerings.get(name);
      if (l) return l;
      if (options.registry?.get(name)?.kind === 'neuron') return neuronLowering(name);
      throw new CompileError(name, `no implementation is registered for module "${name}"`);
    },
  };

  const inputs = new Map<string, BrainInputSpec>();
  const callInputs: Record<string, PortValue> = {};
  for (const [name, payload] of Object.entries(payloads)) {
    const shape = options.inputShapes[name];
    if (!shape)
      throw new CompileError(
        `inputs.${name}`,
        `the shape of brain input "${name}" is unknown; pass it in inputShapes or call step() with it`,
      );
    if (shape.some((d) => !Number.isInteger(d) || d <= 0))
      throw new CompileError(`inputs.${name}`, `invalid shape [${shape.join(', ')}]`);
    const buffer = builder.addBuffer({ name: `@input/${name}`, dtype: 'float32', shape: [shapeSize(shape)] });
    inputs.set(name, { name, shape, payload, buffer });
    callInputs[name] = { buffer, shape, payload };
  }
  for (const name of Object.keys(options.inputShapes)) {
    if (!(name in payloads))
      throw new CompileError(
        `inputs.${name}`,
        `the brain has no input named "${name}" (inputs: ${Object.keys(payloads).join(', ') || 'none'})`,
      );
  }

  let lowered = 0;
  const result = lowerChildren({
    ctx,
    prefix: '',
    flow: 'brain',
    modules,
    callInputs,
    configPath: 'modules_specs',
    ...(options.onModule
      ? { onLowered: (name: string) => options.onModule?.(name, ++lowered, modules.length) }
      : {}),
  });
  return {
    plan: applyFloat16(
      builder.build(result.sections, dt, seed),
      float16Modules(modules),
      modulePaths(modules),
    ),
    inputs,
    outputs: result.outputs,
    modules: result.children,
    cache: result.cache,
    groups: result.groups,
  };
}
