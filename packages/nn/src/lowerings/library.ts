/**
 * Lowering of the Spark module library of `@spark-snn/kernels`: each library entry builds a plan
 * fragment (buffers, ops, port and state buffer names); this adapter derives the build sizes from
 * the incoming port values, then *rebinds* the fragment's input buffers to the buffers that feed
 * them, so modules read their inputs in place.
 *
 * @module
 */
import { type ConfigBody, defaultRegistry, type ModuleSpec, type PayloadType } from '@spark-snn/config';
import type { PlanOp } from '@spark-snn/core';
import { shapeSize } from '@spark-snn/core';
import {
  CORRECTED,
  type Fragment,
  LIBRARY,
  type LibraryEntry,
  SPARK_COMPAT,
  type SparkCompat,
} from '@spark-snn/kernels';
import { type PortValue, portSize } from '../compile/builder.ts';
import {
  CompileError,
  type LowerArgs,
  type LoweredModule,
  type ModuleLowering,
} from '../compile/lowering.ts';
import { signSpikes } from './sign.ts';
import { resolveValue } from './values.ts';

function unitsOf(config: ConfigBody, path: string): number[] {
  const u = config.units;
  const units = Array.isArray(u) ? (u as number[]) : typeof u === 'number' ? [u] : [];
  if (units.length === 0 || units.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new CompileError(
      `${path}.config.units`,
      `needs the postsynaptic units (got ${JSON.stringify(u)}); inside a neuron they come from the neuron's units`,
    );
  }
  return units;
}

function need(
  inputs: Readonly<Record<string, PortValue>>,
  port: string,
  path: string,
  name: string,
): PortValue {
  const v = inputs[port];
  if (!v) throw new CompileError(`${path}.inputs.${port}`, `${name} needs its "${port}" input`);
  return v;
}

/**
 * The config as the library reads it: Spark arrays (`jax_array` / `numpy_array` objects of the config
 * package) become flat row-major number lists; initializer configs and scalars pass through.
 */
export function libraryConfig(config: ConfigBody): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const t = (v as { __type__?: unknown }).__type__;
      if (t === 'jax_array' || t === 'numpy_array') {
        out[k] = (v as { data: number[] }).data;
        continue;
      }
    }
    out[k] = v;
  }
  return out;
}

/**
 * An input fed by several sources that each have `size` elements, summed element-wise into one
 * buffer (a `reduce.group_sum` over the concatenation); any other value is returned as it is.
 */
function sumSources(
  ctx: LowerArgs['ctx'],
  name: string,
  section: string,
  v: PortValue,
  size: number,
): PortValue {
  const parts = v.parts;
  if (!parts || parts.length < 2 || parts.some((s) => s !== size)) return v;
  const k = parts.length;
  const b = ctx.builder;
  const offsets = b.addBuffer({
    name: `${name}.offsets`,
    dtype: 'int32',
    shape: [size + 1],
    init: Int32Array.from({ length: size + 1 }, (_, i) => i * k),
  });
  const members = b.addBuffer({
    name: `${name}.members`,
    dtype: 'int32',
    shape: [size * k],
    init: Int32Array.from({ length: size * k }, (_, m) => (m % k) * size + Math.floor(m / k)),
  });
  const out = b.addBuffer({ name, dtype: 'float32', shape: [size] });
  b.addOps(section, {
    op: 'reduce.group_sum',
    name,
    bindings: { input: v.buffer, offsets, members, out },
    attrs: { n: size * k, groups: size },
  });
  return { buffer: out, shape: [size], payload: v.payload };
}

/**
 * The library config with every initializer-valued parameter of the module's definitions over
 * `domain` drawn (per element of the parameter's extent, from the counter-based RNG, as the
 * equation-defined modules draw them), so that e.g. `v_offset: uniform_initializer` gives each unit
 * its own value. `shapes` gives the shape of each extent the module has.
 */
function drawParams(
  entry: LibraryEntry,
  compat: SparkCompat,
  config: Record<string, unknown>,
  domain: 'unit' | 'synapse',
  shapes: Readonly<Partial<Record<'unit' | 'pre' | 'synapse', readonly number[]>>>,
  seed: number,
  path: string,
): Record<string, unknown> {
  const out = { ...config };
  for (const def of entry.definitions(compat)) {
    if ((def.domain ?? 'unit') !== domain) continue;
    for (const p of def.params) {
      const v = config[p.name];
      if (typeof v !== 'object' || v === null || Array.isArray(v)) continue;
      const extent = p.extent ?? 'scalar';
      const shape = extent === 'scalar' ? undefined : shapes[extent];
      if (shape === undefined)
        throw new CompileError(
          `${path}.config.${p.name}`,
          `is one value for the whole population (${extent}); an initializer needs a per-unit parameter`,
        );
      out[p.name] = Array.from(
        resolveValue(v, `${path}.config.${p.name}`, {
          shape,
          seed,
          site: `${path}/${p.name}`,
        }) as Float64Array,
      );
    }
  }
  return out;
}

/** Replaces a fragment's own input buffers by the buffers feeding them. */
function rebind(
  fragment: Fragment,
  feeds: Readonly<Record<string, PortValue>>,
  path: string,
): { buffers: Fragment['buffers']; ops: PlanOp[] } {
  const map = new Map<string, string>();
  for (const [port, own] of Object.entries(fragment.inputs)) {
    const feed = feeds[port];
    if (!feed) continue;
    const ownBuffer = fragment.buffers.find((b) => b.name === own);
    if (ownBuffer && shapeSize(ownBuffer.shape) !== portSize(feed)) {
      throw new CompileError(
        `${path}.inputs.${port}`,
        `has ${portSize(feed)} elements; the module expects ${shapeSize(ownBuffer.shape)}`,
      );
    }
    map.set(own, feed.buffer);
  }
  const buffers = fragment.buffers.filter((b) => !map.has(b.name));
  const ops = fragment.ops.map((op) => ({
    ...op,
    bindings: Object.fromEntries(Object.entries(op.bindings).map(([slot, b]) => [slot, map.get(b) ?? b])),
  }));
  return { buffers, ops };
}

/** The ports a config registry declares for a module. */
export type DeclaredPorts = ModuleSpec['ports'];

/**
 * The payload the config declares for an output or property `port`. A control interface's
 * `AnyPayload` output (`concat`, `concat_reshape`, `sampler`: Spark's abstract `SparkPayload`)
 * carries float values here, as it always has.
 */
function declaredPayload(ports: DeclaredPorts | undefined, port: string): PayloadType | undefined {
  const p = [...(ports?.outputs ?? []), ...(ports?.properties ?? [])].find((q) => q.name === port);
  return p?.payload === 'AnyPayload' ? 'FloatArray' : p?.payload;
}

/** The payload of a property the config declares (a missing one is a bug here). */
function propertyPayload(ports: DeclaredPorts | undefined, name: string, port: string): PayloadType {
  const p = declaredPayload(ports, port);
  if (p === undefined) throw new Error(`@spark-snn/config declares no port "${port}" for ${name}`);
  return p;
}

/** The lowering of a Spark library module by registry name. */
export function libraryLowering(name: string): ModuleLowering {
  const entry: LibraryEntry | undefined = LIBRARY[name];
  if (!entry) throw new Error(`no library module named "${name}"`);
  return entryLowering(entry, defaultRegistry.get(name)?.ports);
}

/**
 * The lowering of a library entry — a Spark module, or a module defined by equations (custom
 * synapses and rules go through here too) — whose ports the config declares as `ports`.
 */
export function entryLowering(entry: LibraryEntry, ports: DeclaredPorts | undefined): ModuleLowering {
  const name = entry.name;
  return {
    name,
    ...(entry.category === 'soma' ? { optionalInputs: ['inhibition_mask'] } : {}),
    ...(entry.sizedByUnits
      ? {
          contract(config: ConfigBody, path: string) {
            const units = unitsOf(config, path);
            return Object.fromEntries(
              entry.outputs.map((p) => [p.name, { shape: units, payload: p.payload as PayloadType }]),
            );
          },
        }
      : {}),
    lower({ ctx, path, section, config, inputs }: LowerArgs): LoweredModule {
      const compat = ctx.behaviour === 'spark' ? SPARK_COMPAT : CORRECTED;
      const seed = typeof config.seed === 'number' ? config.seed : 0;
      const common = {
        prefix: path,
        dt: ctx.dt,
        config: libraryConfig(config),
        compat,
        seed,
        streamBase: ctx.rngStreams(path, 4),
      };
      // Parameters of a synapse-domain definition: per postsynaptic unit, presynaptic unit or synapse.
      const synapseParams = (units: readonly number[], pre: number) =>
        drawParams(
          entry,
          compat,
          common.config,
          'synapse',
          { unit: units, pre: [pre], synapse: [...units, pre] },
          seed,
          path,
        );
      const feeds: Record<string, PortValue> = {};
      let fragment: Fragment;
      let outShape: Record<
        string,
        {
          shape: readonly number[];
          asyncSpikes?: boolean;
          preShape?: readonly number[];
          inhibitionMask?: Uint8Array;
        }
      > = {};
      switch (entry.category) {
        case 'soma': {
          // Every declared input port is required; the first sets the size (`current` for Spark's
          // somas, `exc`/`inh` or `current`/`external` for the benchmark somas).
          const ports = entry.inputs.map((p) => p.name);
          const raw = ports.map((port) => need(inputs, port, path, name));
          const declared =
            config.units === undefined || config.units === null ? undefined : unitsOf(config, path);
          // With declared units, several sources of that size on one input add up (currents from
          // several projections); otherwise Spark's concatenation stands.
          const fed = declared
            ? raw.map((v, k) => sumSources(ctx, `${path}/@sum/${ports[k]}`, section, v, shapeSize(declared)))
            : raw;
          const sizer = fed[0]!;
          if (declared && shapeSize(declared) !== portSize(sizer))
            throw new CompileError(
              `${path}.inputs.${ports[0]}`,
              `has ${portSize(sizer)} elements; the module's units [${declared.join(', ')}] need ${shapeSize(declared)}`,
            );
          const shape = declared ?? sizer.shape;
          fragment = entry.build({
            ...common,
            config: drawParams(entry, common.compat, common.config, 'unit', { unit: shape }, seed, path),
            units: portSize(sizer),
          });
          ports.forEach((port, k) => {
            feeds[port] = fed[k]!;
          });
          outShape = { spikes: { shape } };
          break;
        }
        case 'synapses': {
          const spikes = need(inputs, 'spikes', path, name);
          const units = unitsOf(config, path);
          const nUnits = shapeSize(units);
          const isAsync = spikes.asyncSpikes === true;
          const pre = isAsync ? portSize(spikes) / nUnits : portSize(spikes);
          if (!Number.isInteger(pre) || pre < 1)
            throw new CompileError(
              `${path}.inputs.spikes`,
              `per-synapse spikes of ${portSize(spikes)} elements do not match ${nUnits} units`,
            );
          fragment = entry.build({
            ...common,
            config: synapseParams(units, pre),
            units: nUnits,
            pre,
            async: isAsync,
          });
          feeds.spikes = spikes;
          outShape = { currents: { shape: units } };
          break;
        }
        case 'delays': {
          const spikes = need(inputs, 'in_spikes', path, name);
          const pre = portSize(spikes);
          if (name === 'n2n_delays') {
            const units = unitsOf(config, path);
            fragment = entry.build({ ...common, units: shapeSize(units), pre });
            outShape = {
              out_spikes: {
                shape: [...units, ...spikes.shape],
                asyncSpikes: true,
                preShape: spikes.shape,
                ...(spikes.inhibitionMask ? { inhibitionMask: spikes.inhibitionMask } : {}),
              },
            };
          } else {
            fragment = entry.build({ ...common, pre });
            outShape = {
              out_spikes: {
                shape: spikes.shape,
                ...(spikes.inhibitionMask ? { inhibitionMask: spikes.inhibitionMask } : {}),
              },
            };
          }
          feeds.in_spikes = spikes;
          break;
        }
        case 'plasticity': {
          const post = need(inputs, 'post_spikes', path, name);
          const preSpikes = need(inputs, 'pre_spikes', path, name);
          const kernel = need(inputs, 'kernel', path, name);
          const units = portSize(post);
          const isAsync = preSpikes.asyncSpikes === true;
          const pre = portSize(kernel) / units;
          if (!Number.isInteger(pre))
            throw new CompileError(
              `${path}.inputs.kernel`,
              `has ${portSize(kernel)} elements, not a multiple of ${units} postsynaptic units`,
            );
          const expectedPre = isAsync ? portSize(preSpikes) / units : portSize(preSpikes);
          if (expectedPre !== pre)
            throw new CompileError(
              `${path}.inputs.pre_spikes`,
              `has ${portSize(preSpikes)} elements; the kernel has ${pre} presynaptic units`,
            );
          const preMask = preSpikes.inhibitionMask;
          fragment = entry.build({
            ...common,
            config: synapseParams(post.shape, pre),
            units,
            pre,
            async: isAsync,
            kernel: kernel.buffer,
            insideNeuron: path.includes('/'),
            ...(preMask
              ? { inhibitionPre: preMask.length === pre ? preMask : preMask.subarray(preMask.length - pre) }
              : {}),
            ...(post.inhibitionMask ? { inhibitionPost: post.inhibitionMask } : {}),
          });
          feeds.pre_spikes = preSpikes;
          feeds.post_spikes = post;
          // Further factors (`reward`, `modulation`, a custom rule's own inputs).
          for (const p of entry.inputs) {
            if (p.name in feeds || p.name === 'kernel') continue;
            const v = inputs[p.name];
            if (v) feeds[p.name] = v;
            else if (ports?.inputs.find((q) => q.name === p.name)?.optional === false)
              need(inputs, p.name, path, name);
          }
          outShape = { kernel: { shape: kernel.shape } };
          break;
        }
        case 'interface': {
          if (name === 'concat' || name === 'concat_reshape') {
            const parts = Object.keys(inputs)
              .sort()
              .map((k) => inputs[k]!);
            fragment = entry.build({ ...common, inputSizes: parts.map(portSize) });
            Object.keys(inputs)
              .sort()
              .forEach((k, i) => {
                feeds[`inputs_${i}`] = inputs[k]!;
              });
            outShape = { output: { shape: [parts.reduce((n, p) => n + portSize(p), 0)] } };
          } else if (entry.inputs.length === 0) {
            // A source module (poisson_drive): `units` sets the size.
            const units = unitsOf(config, path);
            fragment = entry.build({
              ...common,
              config: drawParams(entry, common.compat, common.config, 'unit', { unit: units }, seed, path),
              units: shapeSize(units),
            });
            outShape = Object.fromEntries(entry.outputs.map((p) => [p.name, { shape: units }]));
          } else {
            const port =
              name === 'exponential_integrator' ? 'spikes' : name === 'sampler' ? 'inputs' : 'signal';
            const input = need(inputs, port, path, name);
            fragment = entry.build({ ...common, inputs: portSize(input) });
            feeds[port] = input;
            const outPort = Object.keys(fragment.outputs)[0]!;
            const outBuffer = fragment.buffers.find((b) => b.name === fragment.outputs[outPort]);
            const n = outBuffer ? shapeSize(outBuffer.shape) : 0;
            const resolution = typeof config.resolution === 'number' ? config.resolution : 0;
            outShape = {
              [outPort]: {
                shape: name.startsWith('topological') && resolution > 0 ? [n / resolution, resolution] : [n],
              },
            };
          }
          break;
        }
        default:
          throw new CompileError(path, `${name} (${entry.category}) cannot be used as a module`);
      }
      for (const port of Object.keys(feeds)) {
        if (!(port in fragment.inputs))
          throw new CompileError(`${path}.inputs.${port}`, `${name} has no input "${port}"`);
      }
      const { buffers, ops } = rebind(fragment, feeds, path);
      for (const b of buffers) if (!ctx.builder.hasBuffer(b.name)) ctx.builder.addBuffer(b);
      ctx.builder.addOps(section, ...ops);

      const outputs: Record<string, PortValue> = {};
      for (const [port, buffer] of Object.entries(fragment.outputs)) {
        const s = outShape[port] ?? { shape: [shapeSize(ctx.builder.buffer(buffer).shape)] };
        const declared = entry.outputs.find((p) => p.name === port)?.payload as PayloadType | undefined;
        outputs[port] = { buffer, payload: declaredPayload(ports, port) ?? declared ?? 'FloatArray', ...s };
      }
      const properties: Record<string, PortValue> = {};
      const state: Record<string, string> = { ...fragment.state };
      if (entry.category === 'soma') {
        if (fragment.state.potential)
          properties.potential = {
            buffer: fragment.state.potential,
            shape: outputs.spikes!.shape,
            payload: propertyPayload(ports, name, 'potential'),
          };
        const mask = inputs.inhibition_mask?.inhibitionMask;
        if (mask && outputs.spikes) outputs.spikes = signSpikes(ctx, path, section, outputs.spikes, mask);
      }
      if ((entry.category === 'synapses' || entry.category === 'delays') && fragment.state.kernel) {
        const kb = ctx.builder.buffer(fragment.state.kernel);
        properties.kernel = {
          buffer: fragment.state.kernel,
          shape: kb.shape,
          payload: propertyPayload(ports, name, 'kernel'),
        };
      }
      return {
        outputs,
        properties,
        state,
        ...(entry.category === 'plasticity'
          ? { learnable: [outputs.kernel!.buffer], learningOps: learningOps(ops, outputs.kernel!.buffer) }
          : {}),
      };
    },
  };
}

/** The ops that write a rule's kernel: the copy into it and the module op computing what is copied. */
function learningOps(ops: readonly PlanOp[], kernel: string): string[] {
  const writes = ops.filter((o) => o.op === 'copy' && o.bindings.dst === kernel);
  const sources = new Set(writes.map((o) => o.bindings.src));
  const producers = ops.filter(
    (o) => o.op === 'module' && Object.values(o.bindings).some((b) => sources.has(b) && b !== kernel),
  );
  return [...producers, ...writes].map((o) => o.name);
}

/** Registry names of every library module usable in a brain. */
export function libraryModuleNames(): string[] {
  return Object.values(LIBRARY)
    .filter((e) => e.category !== 'initializer')
    .map((e) => e.name);
}
