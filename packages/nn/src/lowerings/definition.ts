/**
 * Lowering of equation-defined modules (somas and other unit-domain modules): one `module` op of the
 * kernels package, its parameters resolved from the config (scalars, arrays or initializers), its
 * input ports bound to the incoming buffers.
 *
 * @module
 */
import type { Behaviour, ConfigBody, PayloadType } from '@spark-snn/config';
import { shapeSize } from '@spark-snn/core';
import { instantiateModule, type ModuleDefinition, parseDefinition } from '@spark-snn/kernels';
import type { PortValue } from '../compile/builder.ts';
import {
  CompileError,
  type LowerArgs,
  type LoweredModule,
  type ModuleLowering,
} from '../compile/lowering.ts';
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

const SPIKE_SIGN = parseDefinition(`
module spike_sign over unit
param sign: f32 per unit = 1
input spikes: SpikeArray f32
output signed: SpikeArray f32
signed = sign * spikes
`);

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
        if (shapeSize(v.shape) !== size)
          throw new CompileError(
            `${path}.inputs.${port}`,
            `has ${shapeSize(v.shape)} elements; ${spec.name} has ${size} units`,
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
        if (mask && raw && mask.some((x) => x !== 0)) {
          if (mask.length !== size)
            throw new CompileError(
              `${path}.inputs.inhibition_mask`,
              `has ${mask.length} units; the soma has ${size}`,
            );
          const sign = new Float64Array(size);
          for (let i = 0; i < size; i++) sign[i] = mask[i] ? -1 : 1;
          const signed = instantiateModule(SPIKE_SIGN, {
            prefix: `${path}/@sign`,
            size,
            dt: ctx.dt,
            params: { sign },
            bind: { spikes: raw.buffer },
          });
          for (const b of signed.buffers) ctx.builder.addBuffer(b);
          ctx.builder.addOps(section, signed.op);
          outputs[spec.signedSpikes] = {
            buffer: signed.op.bindings.signed!,
            shape,
            payload: raw.payload,
            inhibitionMask: mask,
          };
        } else if (raw && mask) {
          outputs[spec.signedSpikes] = { ...raw, inhibitionMask: mask };
        }
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
