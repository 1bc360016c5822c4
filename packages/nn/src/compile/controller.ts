/**
 * Lowering of a controller's children — shared by the Brain and Neuron controllers, which differ
 * only in their data flow (spark-reference §1.4.3–1.4.4):
 *
 * - **brain**: every module→module edge has one step of latency. Modules read the previous step's
 *   outputs from *cache* buffers, which a final `copy` section refreshes after all modules ran; so
 *   the signal of a 4-module chain reaches module k at step t + k whatever the declaration order.
 *   Controller inputs (`__call__`) and property reads are same-step / live.
 * - **neuron**: children run in execution order within the step and read each other's outputs
 *   directly; effects (plasticity → synapse kernel) are copied after every child ran, so the new
 *   kernel is used from the next step on.
 *
 * Multi-source inputs are flattened and concatenated in PortMap order into one buffer.
 *
 * @module
 */
import type { ConfigBody, ModuleSpecs, PortMap } from '@spark-snn/config';
import { shapeSize } from '@spark-snn/core';
import { executionOrder } from '../order.ts';
import { type PortValue, portSize } from './builder.ts';
import { CompileError, type LowerContext, type LoweredModule, type PortContract } from './lowering.ts';

/** Arguments of {@link lowerChildren}. */
export interface ControllerArgs {
  readonly ctx: LowerContext;
  /** Path prefix of the controller (`''` for the brain, `A_excitatory/` for a neuron). */
  readonly prefix: string;
  /** `brain`: one-step latency between modules; `neuron`: same-step topological flow. */
  readonly flow: 'brain' | 'neuron';
  readonly modules: readonly ModuleSpecs[];
  /** Controller inputs (`__call__` origin) by port name. */
  readonly callInputs: Readonly<Record<string, PortValue>>;
  /** Controller properties (`__self__` origin) by port name. */
  readonly selfProperties?: Readonly<Record<string, PortValue>>;
  /** Config path of the module list, for errors (`modules_specs`). */
  readonly configPath: string;
  /** Called after each child is lowered (compile progress). */
  readonly onLowered?: (name: string) => void;
}

/** Result of {@link lowerChildren}. */
export interface ControllerResult {
  /** Lowered children by spec name. */
  readonly children: ReadonlyMap<string, LoweredModule>;
  /** Controller output name → value (the current step's value). */
  readonly outputs: Readonly<Record<string, PortValue>>;
  /** Sections of the plan, in the order their ops must run. */
  readonly sections: readonly string[];
  /** Execution groups (spec names). */
  readonly groups: readonly string[][];
  /** Brain flow: `module/port` → cache buffer (previous step's output). */
  readonly cache: ReadonlyMap<string, PortValue>;
}

/** Lowers every child of a controller and wires them. */
export function lowerChildren(args: ControllerArgs): ControllerResult {
  const { ctx, prefix, flow, modules, callInputs } = args;
  const b = ctx.builder;
  const specByName = new Map(modules.map((m, i) => [m.name, { spec: m, index: i }]));
  const loweringOf = (m: ModuleSpecs) => ctx.lowering(m.module_cls.name);
  const hasContract = (name: string) => {
    const s = specByName.get(name);
    return s !== undefined && loweringOf(s.spec).contract !== undefined;
  };
  const groups = executionOrder(
    modules.map((m) => ({
      name: m.name,
      origins: Object.values(m.inputs).flatMap((pms) => pms.map((p) => p.origin)),
    })),
    hasContract,
  );

  const children = new Map<string, LoweredModule>();
  const cache = new Map<string, PortValue>();
  const contracts = new Map<string, Readonly<Record<string, PortContract>>>();
  const sectionOf = (name: string) => `${prefix}${name}`;
  const cacheSection = `${prefix}@cache`;
  const effectSection = `${prefix}@effects`;

  const contractOf = (name: string): Readonly<Record<string, PortContract>> => {
    let c = contracts.get(name);
    if (!c) {
      const s = specByName.get(name)!;
      c = loweringOf(s.spec).contract!(s.spec.config as ConfigBody, `${prefix}${name}`);
      contracts.set(name, c);
    }
    return c;
  };

  const cacheBuffer = (
    origin: string,
    port: string,
    like: { shape: readonly number[]; payload: PortValue['payload']; inhibitionMask?: Uint8Array },
  ): PortValue => {
    const key = `${origin}/${port}`;
    let v = cache.get(key);
    if (!v) {
      const name = b.addBuffer({
        name: `${prefix}@cache/${origin}/${port}`,
        dtype: 'float32',
        shape: [shapeSize(like.shape)],
      });
      v = {
        buffer: name,
        shape: like.shape,
        payload: like.payload,
        ...(like.inhibitionMask ? { inhibitionMask: like.inhibitionMask } : {}),
      };
      cache.set(key, v);
    }
    return v;
  };

  const resolveSource = (pm: PortMap, where: string): PortValue => {
    if (pm.origin === '__call__') {
      const v = callInputs[pm.port];
      if (!v) throw new CompileError(where, `controller input "${pm.port}" has no value`);
      return v;
    }
    if (pm.origin === '__self__') {
      const v = args.selfProperties?.[pm.port];
      if (!v) throw new CompileError(where, `controller property "${pm.port}" does not exist`);
      return v;
    }
    const lowered = children.get(pm.origin);
    if (pm.is_property) {
      if (!lowered)
        throw new CompileError(
          where,
          `property ${pm.origin}.${pm.port} is read before ${pm.origin} is built`,
        );
      const v = lowered.properties[pm.port];
      if (!v) throw new CompileError(where, `${pm.origin} has no property "${pm.port}"`);
      return v;
    }
    if (flow === 'neuron') {
      if (!lowered)
        throw new CompileError(
          where,
          `${pm.origin}.${pm.port} is read before ${pm.origin} ran (no cycles inside a neuron)`,
        );
      const v = lowered.outputs[pm.port];
      if (!v) throw new CompileError(where, `${pm.origin} has no output "${pm.port}"`);
      return v;
    }
    // brain: always the previous step's value
    if (lowered) {
      const v = lowered.outputs[pm.port];
      if (!v) throw new CompileError(where, `${pm.origin} has no output "${pm.port}"`);
      return cacheBuffer(pm.origin, pm.port, v);
    }
    const c = contractOf(pm.origin)[pm.port];
    if (!c) throw new CompileError(where, `${pm.origin} has no output "${pm.port}"`);
    return cacheBuffer(pm.origin, pm.port, c);
  };

  for (const group of groups) {
    for (const name of group) {
      const { spec, index } = specByName.get(name)!;
      const path = `${args.configPath}[${index}]`;
      const section = sectionOf(name);
      const inputs: Record<string, PortValue> = {};
      for (const [port, pms] of Object.entries(spec.inputs)) {
        if (pms.length === 0) continue;
        const parts = pms.map((pm, k) => resolveSource(pm, `${path}.inputs.${port}[${k}]`));
        inputs[port] =
          parts.length === 1
            ? parts[0]!
            : concat(ctx, `${prefix}${name}/@in/${port}`, section, parts, `${path}.inputs.${port}`);
      }
      const lowered = loweringOf(spec).lower({
        ctx,
        path: `${prefix}${name}`,
        section,
        config: spec.config as ConfigBody,
        inputs,
      });
      children.set(name, lowered);
      args.onLowered?.(name);
      const contract = contracts.get(name);
      if (contract) {
        for (const [port, c] of Object.entries(contract)) {
          const actual = lowered.outputs[port];
          if (actual && shapeSize(actual.shape) !== shapeSize(c.shape)) {
            throw new CompileError(
              path,
              `output ${port} has ${shapeSize(actual.shape)} elements but its contract promised ${shapeSize(c.shape)}`,
            );
          }
        }
      }
    }
  }

  // Brain: refresh every cache buffer from the module's output after all modules ran.
  if (flow === 'brain') {
    for (const [key, v] of cache) {
      const [origin, port] = key.split('/') as [string, string];
      const out = children.get(origin)?.outputs[port];
      if (!out) throw new CompileError(args.configPath, `${origin}.${port} is read but never produced`);
      b.copy(cacheSection, `${prefix}@cache/${key}`, out.buffer, v.buffer);
    }
  }

  // Neuron: effects, applied after every child ran.
  if (flow === 'neuron') {
    for (const { spec, index } of specByName.values()) {
      for (const [prop, pms] of Object.entries(spec.effects ?? {})) {
        const first = pms[0];
        if (!first) continue;
        const target = children.get(spec.name)?.properties[prop];
        if (!target)
          throw new CompileError(
            `${args.configPath}[${index}].effects.${prop}`,
            `${spec.name} has no settable property "${prop}"`,
          );
        const source = resolveSource(first, `${args.configPath}[${index}].effects.${prop}[0]`);
        if (portSize(source) !== portSize(target)) {
          throw new CompileError(
            `${args.configPath}[${index}].effects.${prop}`,
            `effect source has ${portSize(source)} elements, ${spec.name}.${prop} has ${portSize(target)}`,
          );
        }
        if (source.buffer !== target.buffer)
          b.copy(effectSection, `${prefix}${spec.name}/@effect/${prop}`, source.buffer, target.buffer);
      }
    }
  }

  const outputs: Record<string, PortValue> = {};
  for (const { spec, index } of specByName.values()) {
    for (const [outName, port] of Object.entries(spec.outputs ?? {})) {
      if (outputs[outName])
        throw new CompileError(
          `${args.configPath}[${index}].outputs.${outName}`,
          `controller output "${outName}" is defined twice`,
        );
      const v = children.get(spec.name)?.outputs[port] ?? children.get(spec.name)?.properties[port];
      if (!v)
        throw new CompileError(
          `${args.configPath}[${index}].outputs.${outName}`,
          `${spec.name} has no output "${port}"`,
        );
      outputs[outName] = v;
    }
  }

  const order = flow === 'brain' ? modules.map((m) => m.name) : groups.flat();
  const sections = [
    ...order.flatMap((name) => [sectionOf(name), ...(children.get(name)?.sections ?? [])]),
    ...(flow === 'brain' ? [cacheSection] : [effectSection]),
  ];
  return { children, outputs, sections, groups, cache };
}

/** Flattens and concatenates several port values into one new buffer (Spark's multi-source input). */
function concat(
  ctx: LowerContext,
  name: string,
  section: string,
  parts: readonly PortValue[],
  where: string,
): PortValue {
  const payload = parts[0]!.payload;
  for (const p of parts) {
    if (p.payload !== payload)
      throw new CompileError(where, `cannot concatenate ${payload} with ${p.payload}`);
    if (p.asyncSpikes)
      throw new CompileError(where, 'per-synapse (async) spikes cannot be concatenated with other sources');
  }
  const total = parts.reduce((n, p) => n + portSize(p), 0);
  const buffer = ctx.builder.addBuffer({ name, dtype: 'float32', shape: [total] });
  let offset = 0;
  let mask: Uint8Array | undefined;
  if (parts.some((p) => p.inhibitionMask)) mask = new Uint8Array(total);
  const bindings: Record<string, string> = { out: buffer };
  parts.forEach((p, k) => {
    const n = portSize(p);
    bindings[`in${k}`] = p.buffer;
    if (mask && p.inhibitionMask) mask.set(p.inhibitionMask.subarray(0, n), offset);
    offset += n;
  });
  ctx.builder.addOps(section, { op: 'concat', name, bindings, attrs: { sizes: parts.map(portSize) } });
  return {
    buffer,
    shape: [total],
    payload,
    parts: parts.map(portSize),
    ...(mask ? { inhibitionMask: mask } : {}),
  };
}
