/**
 * Neuron controllers (`lif_neuron`, `alif_neuron`, `ad_ex_neuron` and neurons registered from a
 * config such as the CartPole brain's `alif_mod_neuron`): a controller whose children run in the
 * same step in topological order (spark-reference §1.4.4), with an inhibition mask drawn from the
 * neuron's seed — or given explicitly in the config's `inhibition_mask` extension field.
 *
 * @module
 */
import type { ConfigBody, ModuleSpecs } from '@spark-snn/config';
import { CounterRng, deriveStream, shapeSize } from '@spark-snn/core';
import type { PortValue } from '../compile/builder.ts';
import { lowerChildren } from '../compile/controller.ts';
import {
  CompileError,
  type LowerArgs,
  type LoweredModule,
  type ModuleLowering,
  type PortContract,
} from '../compile/lowering.ts';
import { resolveValue } from './values.ts';

/** The neuron's units (postsynaptic shape). */
export function neuronUnits(config: ConfigBody, path: string): number[] {
  const u = config.units;
  const units = Array.isArray(u) ? u : typeof u === 'number' ? [u] : null;
  if (!units || units.length === 0 || units.some((d) => !Number.isInteger(d) || (d as number) <= 0)) {
    throw new CompileError(
      `${path}.units`,
      `a neuron needs positive integer units, got ${JSON.stringify(u)}`,
    );
  }
  return units as number[];
}

/**
 * The inhibition mask (1 = inhibitory unit): the config's explicit `inhibition_mask` if present,
 * else `floor(prod(units) · inhibitory_rate)` distinct units drawn by a permutation from the
 * neuron's seed (Spark draws the same count with JAX's PRNG; the exact units differ — see
 * docs/spark-compatibility.md).
 */
export function inhibitionMask(config: ConfigBody, path: string): Uint8Array {
  const units = neuronUnits(config, path);
  const n = shapeSize(units);
  const explicit = config.inhibition_mask;
  if (explicit !== undefined && explicit !== null) {
    const v = resolveValue(explicit, `${path}.inhibition_mask`, { shape: [n], seed: 0, site: path });
    const mask = new Uint8Array(n);
    if (typeof v === 'number') mask.fill(v ? 1 : 0);
    else for (let i = 0; i < n; i++) mask[i] = v[i] ? 1 : 0;
    return mask;
  }
  const rate = typeof config.inhibitory_rate === 'number' ? config.inhibitory_rate : 0.2;
  const count = Math.floor(n * rate);
  const mask = new Uint8Array(n);
  if (count === 0) return mask;
  if (count >= n) return mask.fill(1);
  const seed = typeof config.seed === 'number' ? config.seed : 0;
  const perm = new CounterRng(seed >>> 0).permutation(n, deriveStream('inhibition_mask'), 0);
  for (let i = 0; i < count; i++) mask[perm[i]!] = 1;
  return mask;
}

/** A lowering for a neuron controller type. */
export function neuronLowering(name: string): ModuleLowering {
  return {
    name,
    contract(config, path): Record<string, PortContract> {
      const units = neuronUnits(config, path);
      const mask = inhibitionMask(config, path);
      const out: Record<string, PortContract> = {};
      for (const m of (config.modules_specs as ModuleSpecs[] | undefined) ?? []) {
        for (const outName of Object.keys(m.outputs ?? {}))
          out[outName] = { shape: units, payload: 'SpikeArray', inhibitionMask: mask };
      }
      return out;
    },
    lower({ ctx, path, config, inputs }: LowerArgs): LoweredModule {
      const units = neuronUnits(config, path);
      const n = shapeSize(units);
      const mask = inhibitionMask(config, path);
      const maskBuffer = ctx.builder.addBuffer({
        name: `${path}/inhibition_mask`,
        dtype: 'float32',
        shape: [n],
        init: Float32Array.from(mask),
      });
      const maskValue: PortValue = {
        buffer: maskBuffer,
        shape: units,
        payload: 'BooleanMask',
        inhibitionMask: mask,
      };
      const modules = config.modules_specs as ModuleSpecs[] | undefined;
      if (!Array.isArray(modules) || modules.length === 0)
        throw new CompileError(`${path}.modules_specs`, 'a neuron needs components');
      // Spark re-applies `_s_units` and `_s_dt` to every child after validation.
      const children = modules.map((m) => ({
        ...m,
        config: {
          ...(m.config as ConfigBody),
          ...('units' in (m.config as ConfigBody) ? { units } : {}),
          dt: ctx.dt,
        },
      }));
      const result = lowerChildren({
        ctx,
        prefix: `${path}/`,
        flow: 'neuron',
        modules: children,
        callInputs: inputs,
        selfProperties: { inhibition_mask: maskValue },
        configPath: `${path}.modules_specs`,
      });
      const state: Record<string, string> = {};
      for (const [child, lowered] of result.children)
        for (const [s, buffer] of Object.entries(lowered.state)) state[`${child}/${s}`] = buffer;
      const outputs: Record<string, PortValue> = {};
      for (const [outName, v] of Object.entries(result.outputs)) {
        if (shapeSize(v.shape) !== n)
          throw new CompileError(
            `${path}.outputs.${outName}`,
            `has ${shapeSize(v.shape)} elements but the neuron has ${n} units`,
          );
        outputs[outName] = { ...v, shape: units, inhibitionMask: mask };
      }
      return {
        outputs,
        properties: { inhibition_mask: maskValue },
        state,
        learnable: [...result.children.values()].flatMap((c) => c.learnable ?? []),
        learningOps: [...result.children.values()].flatMap((c) => c.learningOps ?? []),
        sections: result.sections,
      };
    },
  };
}
