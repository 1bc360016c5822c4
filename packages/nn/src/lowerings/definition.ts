/**
 * Lowering of equation-defined modules (somas and other unit-domain modules): one `module` op of the
 * kernels package, its parameters resolved from the config (scalars, arrays or initializers), its
 * input ports bound to the incoming buffers.
 *
 * @module
 */
import type { Behaviour, ConfigBody, PayloadType } from '@spark-snn/config';
import { shapeSize } from '@spark-snn/core';
import { instantiateModule } from '@spark-snn/kernels';
import type { ModuleDefinition } from '@spark-snn/kernels/lang';
import type { PortValue } from '../compile/builder.ts';
import {
  CompileError,
  type LowerArgs,
  type LoweredModule,
  type ModuleLowering,
} from '../compile/lowering.ts';
import { signSpikes } from './sign.ts';
import { resolveValue } from './values.ts';

/** How an equation-defined module maps onto Spark's ports. */
export interface DefinitionLoweringSpec {
  /** Registry name. */
  readonly name: string;
  /** The definition, or a function of the quirk behaviour (Spark compatibility switches). */
  readonly definition: ModuleDefinition | ((behaviour: Behaviour) => ModuleDefinition);
  /** Input port whose size sets the element count. */
  readonly sizeFrom: string;
  /** Spark input port → definition input (ports not listed are ignored, e.g. `inhibition_mask`). */
  readonly inputs: Readonly<Record<string, string>>;
  /** Spark output port → definition output and payload. */
  readonly outputs: Readonly<Record<string, { readonly name: string; readonly payload: PayloadType }>>;
  /** Spark property port → definition state variable and payload. */
  readonly properties?: Readonly<Record<string, { readonly state: string; readonly payload: PayloadType }>>;
  /** Output port carrying spikes that take the sign of the `inhibition_mask` input (somas). */
  readonly signedSpikes?: string;
  /** Input ports that may be absent. */
  readonly optionalInputs?: readonly string[];
}

/** Creates the lowering of an equation-defined unit-domain module. */
export function definitionLowering(spec: DefinitionLoweringSpec): ModuleLowering {
  return {
    name: spec.name,
    ...(spec.optionalInputs ? { optionalInputs: spec.optionalInputs } : {}),
    lower({ ctx, path, section, config, inputs }: LowerArgs): LoweredModule {
      const def = typeof spec.definition === 'function' ? spec.definition(ctx.behaviour) : spec.definition;
      const sizer = inputs[spec.sizeFrom];
      if (!sizer)
        throw new CompileError(
          `${path}.inputs.${spec.sizeFrom}`,
          `${spec.name} needs its "${spec.sizeFrom}" input`,
        );
      if (sizer.asyncSpikes)
        throw new CompileError(
          `${path}.inputs.${spec.sizeFrom}`,
          `${spec.name} cannot take per-synapse (async) input`,
        );
      const shape = sizer.shape;
      const size = shapeSize(shape);
      const params = moduleParams(def, config, path, shape);
      const bind: Record<string, string> = {};
      for (const [port, input] of Object.entries(spec.inputs)) {
        const v = inputs[port];
        if (!v) {
          if (spec.optionalInputs?.includes(port)) continue;
          throw new CompileError(`${path}.inputs.${port}`, `${spec.name} needs its "${port}" input`);
        }
        const extent = def.inputs.find((x) => x.name === input)?.extent ?? 'unit';
        const want = extent === 'scalar' ? 1 : size;
        if (shapeSize(v.shape) !== want)
          throw new CompileError(
            `${path}.inputs.${port}`,
            `has ${shapeSize(v.shape)} elements; ${spec.name} expects ${want}`,
          );
        bind[input] = v.buffer;
      }
      const { buffers, op } = instantiateModule(def, {
        prefix: path,
        size,
        dt: ctx.dt,
        params,
        streamBase: ctx.rngStreams(path, 1),
        bind,
      });
      for (const b of buffers) ctx.builder.addBuffer(b);
      ctx.builder.addOps(section, op);

      const outputs: Record<string, PortValue> = {};
      for (const [port, o] of Object.entries(spec.outputs)) {
        outputs[port] = { buffer: op.bindings[o.name]!, shape, payload: o.payload };
      }
      if (spec.signedSpikes) {
        const mask = inputs.inhibition_mask?.inhibitionMask;
        const raw = outputs[spec.signedSpikes];
        if (mask && raw) outputs[spec.signedSpikes] = signSpikes(ctx, path, section, raw, mask);
      }
      const properties: Record<string, PortValue> = {};
      for (const [port, p] of Object.entries(spec.properties ?? {})) {
        properties[port] = { buffer: op.bindings[p.state]!, shape, payload: p.payload };
      }
      const state: Record<string, string> = {};
      for (const s of def.state) state[s.name] = op.bindings[s.name]!;
      return { outputs, properties, state };
    },
  };
}

/** Resolves every parameter of a definition from a config body (Spark field names). */
export function moduleParams(
  def: ModuleDefinition,
  config: ConfigBody,
  path: string,
  shape: readonly number[],
): Record<string, number | Float64Array> {
  const params: Record<string, number | Float64Array> = {};
  const seed = typeof config.seed === 'number' ? config.seed : 0;
  for (const p of def.params) {
    const value = config[p.name];
    if (value === undefined || value === null) continue; // the definition's default applies
    const extent = p.extent ?? 'scalar';
    const v = resolveValue(value, `${path}.config.${p.name}`, {
      shape: extent === 'scalar' ? [1] : shape,
      seed,
      site: `${path}/${p.name}`,
    });
    if (extent === 'scalar' && typeof v !== 'number')
      throw new CompileError(`${path}.config.${p.name}`, 'must be a single number');
    params[p.name] = v;
  }
  return params;
}
