/**
 * BrainConfig → PyNN: the analysis. Every top-level module is looked up by its registry name in the
 * mappings; somas become Populations, spike sources become source Populations connected one to one,
 * synapse modules become Projections between the soma that feeds their `spikes` and every soma port
 * their `currents` feed. Whatever has no mapping, or a mapping that cannot express a value, gets a
 * diagnostic with its config path.
 *
 * Latency: inside a Brain every module→module edge takes one step, so a spike of step s reaches the
 * soma behind a synapse module at step s + L, L = 2 + round(delay/dt) (a source feeding a soma
 * directly: L = 1). NEST and Brian2 deliver a spike with a delay of k·dt at step s + k and add it
 * after that step's update. Where the soma adds its input after the update too (`brunel_lif`'s
 * voltage jumps, PyNN's delta synapses) the PyNN delay is L·dt; where it integrates the input over
 * the step it reads it (`cuba_lif`, `coba_lif`: current or conductance jumps before the update) the
 * input acts one step after PyNN's delivery, so the PyNN delay is (L − 1)·dt (see
 * {@link PortRule.delivery}). CUBA: L = 2 → 0.1 ms; Brunel's `delay = 1.3 ms`: L = 15 → 1.5 ms.
 * A delay of 0 is below PyNN's minimum (one dt); for a Poisson source the one-step shift is
 * unobservable (a stationary Poisson train shifted by dt is the same process), so it gets one dt and
 * an `info` diagnostic; anything else is an error.
 *
 * @module
 */
import {
  type Behaviour,
  type ConfigBody,
  type ConfigDocument,
  defaultRegistry,
  type ModuleSpecs,
  type PortMap,
  type Registry,
} from '@spark-snn/config';
import { encodeNpz } from '@spark-snn/core';
import { type DraftProjection, drawInitializers, explicitConnectivity, keyArrays } from './explicit.ts';
import { PYNN_MAPPINGS } from './modules/index.ts';
import {
  type CellMapping,
  type MappedCell,
  type MappedSource,
  type MappedSynapses,
  type ModuleMapping,
  type PortRule,
  type SynapseMapping,
  unitsOf,
} from './modules/mapping.ts';
import { writeScript } from './script.ts';
import type {
  PyNNConnector,
  PyNNDiagnostic,
  PyNNNetwork,
  PyNNPopulation,
  PyNNSide,
  Simulator,
} from './types.ts';

/** Options of {@link exportPyNN}. */
export interface PyNNExportOptions {
  /**
   * `'connectors'` (default): PyNN's probabilistic connectors, drawn by PyNN's RNG — the same random
   * graph, another instance. `'explicit'`: the exact edges of the compiled Brain, written to the
   * `.npz` and loaded with `FromListConnector`; per-cell initial values drawn by initializers are
   * the Brain's too.
   */
  readonly connectivity?: 'connectors' | 'explicit';
  /**
   * Write the script even when some modules cannot be exported (they are left out and listed at
   * the top of the script). Default false: any error makes {@link PyNNExport.ok} false.
   */
  readonly allowPartial?: boolean;
  /** Config registry (module defaults); default the default registry. */
  readonly registry?: Registry;
  /** File name of the `.npz` the script loads, relative to the script (default `model.npz`). */
  readonly npzName?: string;
  /** Where the model came from, for the script's header (e.g. `cuba.scfg`). */
  readonly source?: string;
  /** Default `--duration` of the script in ms (default 1000). */
  readonly duration?: number;
  /** Default simulator of the script's `--simulator` (default `nest`). */
  readonly simulator?: Simulator;
  /** Quirk behaviour of the compiled Brain (default: the document's, else `'corrected'`). */
  readonly behaviour?: Behaviour;
}

/** What {@link exportPyNN} returns. */
export interface PyNNExport {
  /** No error diagnostics, or `allowPartial` was set and something was exported. */
  readonly ok: boolean;
  /** The Python script (also written when not ok, for inspection). */
  readonly script: string;
  /** The `.npz` the script loads, when it needs one (explicit connectivity, dense kernels). */
  readonly npz?: Uint8Array;
  /** The npz file name the script expects beside it. */
  readonly npzName: string;
  readonly network: PyNNNetwork;
  readonly diagnostics: readonly PyNNDiagnostic[];
}

/** A Python identifier from a module name (PyNN labels keep the original name). */
export function pythonId(name: string, taken: Set<string>): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(id)) id = `m_${id}`;
  if (PY_RESERVED.has(id)) id = `${id}_`;
  let out = id;
  for (let i = 2; taken.has(out); i++) out = `${id}_${i}`;
  taken.add(out);
  return out;
}

const PY_RESERVED = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
  // names the script itself uses
  'sim',
  'np',
  'args',
  'rng',
  'data',
  'parser',
  'argparse',
  'json',
  'os',
  'sys',
  'time',
  'RandomDistribution',
  'NumpyRNG',
]);

interface CellEntry {
  readonly index: number;
  readonly spec: ModuleSpecs;
  readonly path: string;
  readonly mapping: CellMapping;
  readonly mapped: MappedCell;
  readonly pop: PyNNPopulation;
}

interface SourceEntry {
  readonly spec: ModuleSpecs;
  readonly path: string;
  readonly mapped: MappedSource;
  readonly size: number;
  readonly moduleClass: string;
  readonly cell: PyNNPopulation['cell'];
}

interface SynapseEntry {
  readonly spec: ModuleSpecs;
  readonly path: string;
  readonly mapping: SynapseMapping;
  readonly mapped: MappedSynapses;
}

/** One soma input fed by a module: which cells of the soma, through which port rule. */
interface Consumer {
  readonly cell: CellEntry;
  readonly port: string;
  readonly rule: PortRule;
  /** Slice of the soma the source covers (multi-source inputs are concatenated). */
  readonly start: number;
  readonly stop: number;
  /** Path of the PortMap (`modules_specs[0].inputs.exc[0]`). */
  readonly path: string;
}

/** PyNN delay in steps of a Brain latency of `latency` steps into a port (see the module comment). */
function pynnDelaySteps(latency: number, rule: PortRule): number {
  return rule.delivery === 'integrated' ? latency - 1 : latency;
}

function latencyNote(latency: number, why: string, rule: PortRule): string {
  const steps = pynnDelaySteps(latency, rule);
  return `Brain latency ${latency} steps (${why}) = PyNN delay ${steps} dt (${rule.delivery === 'integrated' ? 'the soma integrates its input over the step it reads it: L - 1' : 'the soma adds its input after the update, as PyNN: L'})`;
}

function fmtMs(steps: number, dt: number): number {
  return Number((steps * dt).toPrecision(12));
}

/** What every step of the export shares: the options, the registry, the diagnostics and the ids taken. */
interface ExportContext {
  readonly options: PyNNExportOptions;
  readonly registry: Registry;
  readonly sink: PyNNDiagnostic[];
  /** Python identifiers already given out (populations and projections, in export order). */
  readonly ids: Set<string>;
  readonly dt: number;
}

/** The brain a document (or body) describes, or undefined with an error in `sink`. */
interface BrainInput {
  readonly isDoc: boolean;
  readonly body: ConfigBody;
  readonly modules: ModuleSpecs[];
  readonly dt: number;
  readonly seed: number;
}

/** The modules that have a PyNN mapping, by kind, and the names of those that failed. */
interface MappedModules {
  readonly cells: Map<string, CellEntry>;
  readonly sources: Map<string, SourceEntry>;
  readonly synapses: Map<string, SynapseEntry>;
  readonly mappingOf: Map<string, ModuleMapping>;
  readonly failed: Set<string>;
}

/** Projections before their connectivity is resolved, and the port rule of each Brain-edge projection. */
interface DraftProjections {
  readonly projections: DraftProjection[];
  readonly rules: Map<string, PortRule>;
}

/** The body of a brain document or a body, checked for modules; errors go to `sink`. */
function readBrain(doc: ConfigDocument | ConfigBody, sink: PyNNDiagnostic[]): BrainInput | undefined {
  const isDoc = typeof (doc as ConfigDocument).type === 'string' && 'config' in doc;
  const body = (isDoc ? (doc as ConfigDocument).config : doc) as ConfigBody;
  if (isDoc && (doc as ConfigDocument).type !== 'brain_config') {
    sink.push({
      severity: 'error',
      code: 'invalid_document',
      path: '',
      message: `a ${(doc as ConfigDocument).type} is not a brain: only a brain_config exports to PyNN`,
    });
    return undefined;
  }
  const modules = body.modules_specs as ModuleSpecs[] | undefined;
  if (!Array.isArray(modules) || modules.length === 0) {
    sink.push({
      severity: 'error',
      code: 'invalid_document',
      path: 'modules_specs',
      message: 'a brain needs at least one module',
    });
    return undefined;
  }
  const dt = typeof body.dt === 'number' && body.dt > 0 ? body.dt : 1;
  const seed = typeof body.seed === 'number' ? body.seed : 0;
  return { isDoc, body, modules, dt, seed };
}

/** Maps every top-level module through its PyNN mapping (somas get their population here). */
function mapModules(modules: readonly ModuleSpecs[], ctx: ExportContext): MappedModules {
  const { options, registry, sink, ids, dt } = ctx;
  const cells = new Map<string, CellEntry>();
  const sources = new Map<string, SourceEntry>();
  const synapses = new Map<string, SynapseEntry>();
  const mappingOf = new Map<string, ModuleMapping>();
  const failed = new Set<string>();

  modules.forEach((spec, index) => {
    const path = `modules_specs[${index}]`;
    const moduleClass = spec.module_cls?.name ?? '?';
    const mapping = PYNN_MAPPINGS.get(moduleClass);
    if (!mapping) {
      const kind = registry.get(moduleClass)?.kind;
      sink.push({
        severity: 'error',
        code: 'unsupported_module',
        path,
        message: `"${spec.name}" (${moduleClass}${kind ? `, a ${kind}` : ''}) has no PyNN equivalent in this exporter`,
        hint: `exported: ${[...PYNN_MAPPINGS.keys()].join(', ')}`,
      });
      failed.add(spec.name);
      return;
    }
    mappingOf.set(spec.name, mapping);
    let config = spec.config ?? {};
    const size = unitsOf(config);
    if (mapping.kind !== 'synapses' && size === undefined) {
      sink.push({
        severity: 'error',
        code: 'unsupported_value',
        path: `${path}.config.units`,
        message: `needs the number of cells (a shape), got ${JSON.stringify(config.units)}`,
      });
      failed.add(spec.name);
      return;
    }
    if (config.dtype === 'float16')
      sink.push({
        severity: 'warning',
        code: 'approximation',
        path: `${path}.config.dtype`,
        message: `"${spec.name}" runs in float16 in the Brain; PyNN simulates in double precision, so the two agree only to float16 rounding`,
      });
    if (options.connectivity === 'explicit' && mapping.kind !== 'synapses')
      config = drawInitializers(config, spec.name, path, size!, sink);
    const args = { config, path, moduleClass, size: size ?? 0, dt, registry, sink };
    if (mapping.kind === 'cell') {
      const mapped = mapping.map(args);
      if (!mapped) {
        failed.add(spec.name);
        return;
      }
      const pop: PyNNPopulation = keyArrays({
        id: pythonId(spec.name, ids),
        module: spec.name,
        path,
        moduleClass,
        size: size!,
        cell: mapping.cell,
        params: mapped.params,
        initial: mapped.initial,
        notes: mapped.notes,
        limits: mapped.limits,
        record: true,
      });
      cells.set(spec.name, { index, spec, path, mapping, mapped, pop });
    } else if (mapping.kind === 'source') {
      const mapped = mapping.map(args);
      if (!mapped) {
        failed.add(spec.name);
        return;
      }
      sources.set(spec.name, { spec, path, mapped, size: size!, moduleClass, cell: mapping.cell });
    } else {
      const mapped = mapping.map(args);
      if (!mapped) {
        failed.add(spec.name);
        return;
      }
      synapses.set(spec.name, { spec, path, mapping, mapped });
    }
  });
  return { cells, sources, synapses, mappingOf, failed };
}

/** Who feeds which soma port: every PortMap of every cell input, by the module it comes from. */
function consumersOf(m: MappedModules, sink: PyNNDiagnostic[]): Map<string, Consumer[]> {
  const { cells, sources, synapses, mappingOf, failed } = m;
  const sizeOfSource = (origin: string): number | undefined => {
    const syn = synapses.get(origin);
    if (syn) return syn.mapped.post;
    return sources.get(origin)?.size;
  };
  const consumers = new Map<string, Consumer[]>();
  for (const cell of cells.values()) {
    for (const [port, maps] of Object.entries(cell.spec.inputs ?? {})) {
      const rule = cell.mapped.ports[port];
      const portPath = `${cell.path}.inputs.${port}`;
      if (!rule) {
        sink.push({
          severity: 'error',
          code: 'unsupported_input',
          path: portPath,
          message: `${cell.mapping.module} has no input "${port}" the PyNN export knows (known: ${Object.keys(cell.mapped.ports).join(', ')})`,
        });
        continue;
      }
      // Several sources of the soma's full size add up (currents of several projections); sources
      // that are smaller are Spark's concatenation, each covering its own slice of the cells.
      const list = maps as PortMap[];
      const widths = list.map((pm) => sizeOfSource(pm.origin));
      const summed = list.length > 1 && widths.every((w) => w === cell.pop.size);
      let offset = 0;
      list.forEach((pm, k) => {
        const path = `${portPath}[${k}]`;
        const width = widths[k];
        const start = summed ? 0 : offset;
        if (pm.origin === '__call__') {
          sink.push({
            severity: 'error',
            code: 'unsupported_input',
            path,
            message: `the brain input "${pm.port}" has no PyNN equivalent (a PyNN network has no caller inputs)`,
            hint: 'drive the soma from a module inside the brain (e.g. poisson_drive)',
          });
        } else if (failed.has(pm.origin)) {
          // already reported at the origin
        } else if (width === undefined) {
          sink.push({
            severity: 'error',
            code: 'unsupported_connection',
            path,
            message: `"${pm.origin}.${pm.port}" feeding a soma has no PyNN equivalent (expected a synapse module's currents or a spike source)`,
          });
        } else {
          const mapping = mappingOf.get(pm.origin);
          const okPort =
            mapping?.kind === 'synapses'
              ? pm.port === mapping.currentsPort
              : sources.get(pm.origin)?.mapped.port === pm.port;
          if (!okPort || pm.is_property) {
            sink.push({
              severity: 'error',
              code: 'unsupported_connection',
              path,
              message: `"${pm.origin}.${pm.port}" is not an output the PyNN export can connect`,
            });
          } else {
            const consumers_ = consumers.get(pm.origin) ?? [];
            consumers_.push({ cell, port, rule, start, stop: start + width, path });
            consumers.set(pm.origin, consumers_);
          }
        }
        offset += width ?? 0;
      });
      const covered = summed ? cell.pop.size : offset;
      if (covered !== cell.pop.size && !list.some((pm) => failed.has(pm.origin) || pm.origin === '__call__'))
        sink.push({
          severity: 'error',
          code: 'unsupported_connection',
          path: portPath,
          message: `its sources have ${offset} values in all; the soma has ${cell.pop.size} cells (sources add up when each has ${cell.pop.size}, else they are concatenated)`,
        });
    }
  }
  return consumers;
}

/** A slice `[start, stop)` of a population. */
function side(pop: PyNNPopulation, start: number, stop: number): PyNNSide {
  return { population: pop.id, start, stop };
}

/** The receptor a weight reaches through a consumer's port rule, or undefined (an error) if its sign has no PyNN form. */
function receptorOf(
  weight: number,
  c: Consumer,
  path: string,
  sink: PyNNDiagnostic[],
): 'excitatory' | 'inhibitory' | undefined {
  const w = weight * c.rule.factor;
  const receptor = c.rule.receptor === 'sign' ? (w < 0 ? 'inhibitory' : 'excitatory') : c.rule.receptor;
  if ((c.rule.sign === 'nonnegative' && w < 0) || (c.rule.sign === 'nonpositive' && w > 0)) {
    sink.push({
      severity: 'error',
      code: 'weight_sign',
      path,
      message: `a weight of ${weight} into ${c.cell.spec.name}.${c.port} has no PyNN form: the ${receptor} receptor of ${c.cell.mapping.cell} takes ${c.rule.sign} weights`,
    });
    return undefined;
  }
  return receptor;
}

/** Spike sources: a source population per source that feeds a soma, connected one to one. */
function sourceProjections(
  m: MappedModules,
  consumers: ReadonlyMap<string, Consumer[]>,
  populations: PyNNPopulation[],
  projections: DraftProjection[],
  ctx: ExportContext,
): void {
  const { sink, ids, dt } = ctx;
  for (const [name, src] of m.sources) {
    const list = consumers.get(name) ?? [];
    if (list.length === 0)
      sink.push({
        severity: 'warning',
        code: 'unsupported_connection',
        path: src.path,
        message: `"${name}" feeds no soma; it is not exported`,
      });
    if (list.length === 0) continue;
    const pop: PyNNPopulation = keyArrays({
      id: pythonId(name, ids),
      module: name,
      path: src.path,
      moduleClass: src.moduleClass,
      size: src.size,
      cell: src.cell,
      params: src.mapped.params,
      initial: {},
      notes: src.mapped.notes,
      limits: src.mapped.limits,
      record: false,
    });
    populations.push(pop);
    for (const c of list) {
      const receptor = receptorOf(src.mapped.weight, c, `${src.path}.config.weight`, sink);
      if (!receptor) continue;
      const steps = pynnDelaySteps(1, c.rule);
      if (steps < 1)
        sink.push({
          severity: 'info',
          code: 'latency',
          path: c.path,
          message: `the Brain's one-step latency from "${name}" is a PyNN delay of 0 into ${c.cell.spec.name}.${c.port}, below PyNN's minimum: written as one dt (a stationary Poisson train shifted by one step is the same process)`,
        });
      projections.push({
        id: pythonId(`${name}_to_${c.cell.spec.name}`, ids),
        path: src.path,
        pre: side(pop, 0, pop.size),
        post: side(c.cell.pop, c.start, c.stop),
        receptor,
        connector: { kind: 'one_to_one' },
        weight: src.mapped.weight * c.rule.factor,
        delay: fmtMs(Math.max(1, steps), dt),
        notes: [`${c.rule.note}`, latencyNote(1, '1 module hop', c.rule)],
      });
    }
  }
}

/** Synapse modules: a projection from their presynaptic soma to every soma their currents feed. */
function synapseProjections(
  m: MappedModules,
  consumers: ReadonlyMap<string, Consumer[]>,
  draft: DraftProjections,
  ctx: ExportContext,
): void {
  const { options, sink, ids, dt } = ctx;
  const { projections, rules } = draft;
  for (const [name, syn] of m.synapses) {
    const list = consumers.get(name) ?? [];
    const maps = (syn.spec.inputs?.[syn.mapping.spikesPort] ?? []) as PortMap[];
    const inPath = `${syn.path}.inputs.${syn.mapping.spikesPort}`;
    if (maps.length !== 1) {
      sink.push({
        severity: 'error',
        code: 'unsupported_connection',
        path: inPath,
        message:
          maps.length === 0
            ? 'has no presynaptic source'
            : `concatenates ${maps.length} sources; the PyNN export needs one presynaptic population per synapse module`,
      });
      continue;
    }
    const pm = maps[0]!;
    const pre = m.cells.get(pm.origin);
    if (!pre || pm.port !== 'spikes' || pm.is_property) {
      if (!m.failed.has(pm.origin))
        sink.push({
          severity: 'error',
          code: 'unsupported_connection',
          path: `${inPath}[0]`,
          message:
            pm.origin === '__call__'
              ? `the brain input "${pm.port}" has no PyNN equivalent (a PyNN network has no caller inputs)`
              : `"${pm.origin}.${pm.port}" is not the spikes of an exported soma`,
        });
      continue;
    }
    if (list.length === 0) {
      sink.push({
        severity: 'warning',
        code: 'unsupported_connection',
        path: syn.path,
        message: `the currents of "${name}" feed no soma; it is not exported`,
      });
      continue;
    }
    const s = syn.mapped;
    const start = s.sourceStart;
    const stop = s.sourceStop ?? pre.pop.size;
    if (
      !(
        Number.isInteger(start) &&
        Number.isInteger(stop) &&
        start >= 0 &&
        start < stop &&
        stop <= pre.pop.size
      )
    ) {
      sink.push({
        severity: 'error',
        code: 'unsupported_value',
        path: `${syn.path}.config.source_start`,
        message: `the sources [${start}, ${stop}) must be a non-empty range inside the ${pre.pop.size} cells of "${pre.spec.name}"`,
      });
      continue;
    }
    const latency = 2 + s.delaySteps;
    for (const c of list) {
      const steps = pynnDelaySteps(latency, c.rule);
      if (steps < 1) {
        sink.push({
          severity: 'error',
          code: 'latency',
          path: c.path,
          message: `a Brain latency of ${latency} steps into ${c.cell.spec.name}.${c.port} is a PyNN delay of ${steps} steps, below PyNN's minimum of one dt`,
        });
        continue;
      }
      const base = {
        path: syn.path,
        pre: side(pre.pop, start, stop),
        post: side(c.cell.pop, c.start, c.stop),
        delay: fmtMs(steps, dt),
        notes: [
          ...s.notes,
          latencyNote(latency, `2 module hops + ${s.delaySteps} delay steps`, c.rule),
          c.rule.note,
        ],
      };
      if (s.connector.kind === 'brain') {
        // edges and values come from the compiled Brain (filled in by resolveConnectivity)
        const id = pythonId(list.length > 1 ? `${name}_to_${c.cell.spec.name}` : name, ids);
        rules.set(id, c.rule);
        if (s.connector.what === 'sparse' && options.connectivity !== 'explicit')
          sink.push({
            severity: 'info',
            code: 'approximation',
            path: syn.path,
            message: `${s.connector.why} have no PyNN connector: the Brain's own edges, weights and delays are written to the npz`,
          });
        projections.push({
          ...base,
          id,
          receptor: c.rule.receptor === 'inhibitory' ? 'inhibitory' : 'excitatory',
          connector: { kind: 'from_list', key: '', pre: new Uint32Array(0), post: new Uint32Array(0) },
          weight: 0,
          synapse: name,
          brain: s.connector.what,
        });
        continue;
      }
      const receptor = receptorOf(s.weight!, c, `${syn.path}.config.weight`, sink);
      if (!receptor) continue;
      const connector: PyNNConnector =
        s.connector.kind === 'fixed_probability'
          ? { kind: 'fixed_probability', p: s.connector.p }
          : { kind: 'fixed_number_pre', n: s.connector.n };
      projections.push({
        ...base,
        id: pythonId(list.length > 1 ? `${name}_to_${c.cell.spec.name}` : name, ids),
        receptor,
        connector,
        weight: s.weight! * c.rule.factor,
        synapse: name,
      });
    }
  }
}

/**
 * The final projections: explicit edges from the compiled Brain where asked for (and for the dense
 * kernels, which always need them); Brain-edge projections are dropped when the Brain is not compiled.
 */
function resolveConnectivity(
  doc: ConfigDocument | ConfigBody,
  brain: BrainInput,
  draft: DraftProjections,
  ctx: ExportContext,
): DraftProjection[] {
  const { options, registry, sink } = ctx;
  const { projections, rules } = draft;
  const needsCompile =
    options.connectivity === 'explicit' || projections.some((p) => p.connector.kind === 'from_list');
  if (!needsCompile) return projections;
  if (options.allowPartial || !sink.some((d) => d.severity === 'error')) {
    const behaviour = options.behaviour ?? (brain.isDoc ? (doc as ConfigDocument).behaviour : 'corrected');
    const r = explicitConnectivity(brain.body, {
      registry,
      behaviour,
      explicitConnectors: options.connectivity === 'explicit',
      projections,
      rules,
      sink,
    });
    if (r) return r;
  }
  return projections.filter((p) => p.connector.kind !== 'from_list');
}

/** The arrays the script loads from the `.npz`: edge lists and per-cell values, by key. */
function npzArrays(
  populations: readonly PyNNPopulation[],
  projections: readonly DraftProjection[],
): Map<string, Float64Array | Uint32Array> {
  const arrays = new Map<string, Float64Array | Uint32Array>();
  for (const p of projections) {
    if (p.connector.kind === 'from_list') {
      const c = p.connector;
      arrays.set(`${c.key}_pre`, c.pre);
      arrays.set(`${c.key}_post`, c.post);
      if (c.weights) arrays.set(`${c.key}_weight`, c.weights);
      if (c.delays) arrays.set(`${c.key}_delay`, c.delays);
    }
  }
  for (const pop of populations)
    for (const v of [...Object.values(pop.params), ...Object.values(pop.initial)])
      if (v.kind === 'array' && v.key) arrays.set(v.key, v.values);
  return arrays;
}

/** The recorded populations' slices that projections start from (each once), for the script's views. */
function presynapticSlices(
  populations: readonly PyNNPopulation[],
  projections: readonly DraftProjection[],
): PyNNSide[] {
  const slices: PyNNSide[] = [];
  for (const p of projections) {
    const pop = populations.find((x) => x.id === p.pre.population);
    if (!pop?.record || (p.pre.start === 0 && p.pre.stop === pop.size)) continue;
    if (
      !slices.some(
        (s) => s.population === p.pre.population && s.start === p.pre.start && s.stop === p.pre.stop,
      )
    )
      slices.push(p.pre);
  }
  return slices;
}

/**
 * Exports a BrainConfig (a document or its body) as a standalone PyNN 0.10 script.
 *
 * ```ts
 * const r = exportPyNN(doc, { connectivity: 'explicit', npzName: 'cuba.npz' });
 * if (r.ok) { writeFileSync('cuba.py', r.script); if (r.npz) writeFileSync('cuba.npz', r.npz); }
 * ```
 *
 * Never throws on bad input: problems are {@link PyNNExport.diagnostics} with config paths.
 */
export function exportPyNN(doc: ConfigDocument | ConfigBody, options: PyNNExportOptions = {}): PyNNExport {
  const sink: PyNNDiagnostic[] = [];
  const npzName = options.npzName ?? 'model.npz';
  const brain = readBrain(doc, sink);
  if (!brain) {
    const network: PyNNNetwork = { dt: 1, seed: 0, populations: [], projections: [], slices: [] };
    return { ok: false, script: '', npzName, network, diagnostics: sink };
  }
  const ctx: ExportContext = {
    options,
    registry: options.registry ?? defaultRegistry,
    sink,
    ids: new Set<string>(),
    dt: brain.dt,
  };
  const mapped = mapModules(brain.modules, ctx);
  const consumers = consumersOf(mapped, sink);
  const populations: PyNNPopulation[] = [...mapped.cells.values()].map((c) => c.pop);
  const draft: DraftProjections = { projections: [], rules: new Map() };
  sourceProjections(mapped, consumers, populations, draft.projections, ctx);
  synapseProjections(mapped, consumers, draft, ctx);
  const projections = resolveConnectivity(doc, brain, draft, ctx);

  const network: PyNNNetwork = {
    dt: brain.dt,
    seed: brain.seed,
    populations,
    projections: projections.map(({ synapse: _s, brain: _b, ...p }) => p),
    slices: presynapticSlices(populations, projections),
  };
  const hasErrors = sink.some((d) => d.severity === 'error');
  const exported = network.populations.length > 0;
  const arrays = npzArrays(populations, projections);
  const npz =
    arrays.size > 0
      ? encodeNpz(Object.fromEntries([...arrays].map(([k, data]) => [k, { data, shape: [data.length] }])))
      : undefined;
  const script = writeScript(network, {
    diagnostics: sink,
    npzName: npz ? npzName : undefined,
    source: options.source,
    duration: options.duration ?? 1000,
    explicit: options.connectivity === 'explicit',
    simulator: options.simulator,
  });
  return {
    ok: exported && (!hasErrors || options.allowPartial === true),
    script,
    ...(npz ? { npz } : {}),
    npzName,
    network,
    diagnostics: sink,
  };
}
