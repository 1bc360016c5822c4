/**
 * Brain (Spark-style) → NIR, against a small plain-data description of a built Brain
 * ({@link BrainGraphInput}); the adapter from live `@spark-snn/nn` Brains (`@spark-snn/graph/nn`)
 * is added with that package. Follows graph-reference §4.7:
 *
 * - Brain inputs → `Input` nodes, Brain outputs → `Output` nodes (readout integrators → `LI`).
 * - A population's concatenated input kernel `[post, Σpre]` is split into one `Linear` per source
 *   (columns in source order), all summed into the neuron node; columns of inhibitory presynaptic
 *   neurons are negated.
 * - `leaky` soma + `linear` synapses → `LIF`; + `traced` synapses with one τ per postsynaptic neuron
 *   → `CubaLIF` with `w_in` chosen so the per-spike current jump equals `scale` (Euler:
 *   `scale·τ_syn/dt`, ZOH: `scale/(1 − e^{−dt/τ_syn})`). Times ms → s.
 * - Per-neuron delays → a `Delay` node on the source channels; per-synapse delays → one
 *   `Delay(d) → Linear(W masked to delay d)` path per distinct delay.
 * - Spark's one-step latency between modules → explicit `Delay(dt)` nodes (option `latency`),
 *   folded into the delay paths where there are any. Brain inputs are same-step.
 * - What NIR cannot express (other somas, per-synapse τ varying in a row, refractory periods,
 *   adaptive thresholds) → errors in `strict` mode; `lenient` maps to the nearest LIF and keeps the
 *   originals in node metadata. Plasticity, modulation and property ports are dropped with a
 *   diagnostic (NIR is inference-only).
 *
 * @module
 */
import { type Diagnostic, diag } from '../diagnostics.ts';
import { nirWIn } from '../nir/conventions.ts';
import { inferTypes } from '../nir/infer.ts';
import {
  type Meta,
  type MetaValue,
  type NirGraph,
  type NirLIF,
  type NirNode,
  nirGraph,
} from '../nir/types.ts';
import { type Tensor, tensor, toFloat64, zeros } from '../tensor.ts';

/** A Brain input port. */
export interface BrainInputPort {
  readonly name: string;
  readonly size: number;
}

/** A Brain output: a population's spikes, optionally through a readout integrator. */
export interface BrainOutputPort {
  readonly name: string;
  /** Population name. */
  readonly source: string;
  /** Readout integrator (Spark `exponential_integrator`): τ in ms. */
  readonly readout?: { readonly tau: number };
}

/** Soma of a population. Leaky somas are expressible in NIR; others are reported. */
export type BrainSoma =
  | {
      readonly model: 'leaky';
      /** Membrane τ in ms. */
      readonly tau: number;
      readonly resistance?: number;
      readonly rest?: number;
      readonly threshold: number;
      readonly reset?: number;
    }
  | {
      /** Any other Spark soma, e.g. `izhikevich_soma`, `exponential_soma`. */
      readonly model: string;
      readonly tau?: number;
      readonly threshold?: number;
      readonly rest?: number;
      readonly reset?: number;
      readonly params?: Readonly<Record<string, number | readonly number[]>>;
    };

/** Synapses of a population. */
export type BrainSynapses =
  | { readonly model: 'linear' }
  | {
      readonly model: 'traced';
      /** τ in ms: one value, one per postsynaptic neuron, or one per synapse (`post·Σpre`, row-major). */
      readonly tau: number | readonly number[];
      /** Per-spike current jump (default 1). */
      readonly scale?: number;
    }
  | { readonly model: string };

/** Delays of a population's inputs, in whole steps. */
export type BrainDelays =
  | {
      readonly kind: 'neuron' /** One per presynaptic channel of the concatenated input. */;
      readonly steps: readonly number[];
    }
  | { readonly kind: 'synapse' /** `[post, Σpre]` (Spark `n2n`). */; readonly steps: Tensor };

/** One neuron population (a Spark Neuron controller) of a built Brain. */
export interface BrainPopulation {
  readonly name: string;
  readonly size: number;
  readonly soma: BrainSoma;
  readonly synapses: BrainSynapses;
  /** Sources of the concatenated input, in PortMap order: population or Brain-input names. */
  readonly sources: readonly string[];
  /** Kernel `[post, Σpre]` (flattened = NIR orientation); omitted when weights are not materialised. */
  readonly kernel?: Tensor;
  readonly delays?: BrainDelays;
  /** Inhibitory mask of this population's neurons (presynaptic sign), or one flag for all. */
  readonly inhibitory?: boolean | readonly boolean[];
  /** Refractory period in ms (not expressible). */
  readonly refractory?: number;
  /** Adaptive threshold present (not expressible). */
  readonly adaptiveThreshold?: boolean;
  /** Plasticity rule name (dropped). */
  readonly plasticity?: string;
  /** Modulation inputs (dropped). */
  readonly modulation?: readonly string[];
  /** Property-port inputs (not data flow, dropped). */
  readonly properties?: readonly string[];
}

/** Plain-data description of a Brain for conversion (what the future `@spark-snn/graph/nn` adapter produces). */
export interface BrainGraphInput {
  /** Time step in ms (Spark's unit). */
  readonly dt: number;
  readonly inputs: readonly BrainInputPort[];
  readonly populations: readonly BrainPopulation[];
  readonly outputs: readonly BrainOutputPort[];
  /** Provenance stored in metadata. */
  readonly source?: string;
}

/** Options of {@link brainToNir}. */
export interface BrainToNirOptions {
  /** `strict` (default): inexpressible dynamics are errors; `lenient`: nearest LIF + metadata + warnings. */
  mode?: 'strict' | 'lenient';
  /** Insert `Delay(dt)` on every population→population edge (default true). */
  latency?: boolean;
  /** Convention for `w_in` of CubaLIF: `euler` (default) or `zoh`. */
  convention?: 'euler' | 'zoh';
  /** Rebase potentials to rest = 0 (hardware style): thresholds and resets relative to rest, `v_leak = 0`. */
  rebaseToRest?: boolean;
}

/** Result of {@link brainToNir}. */
export interface BrainToNirResult {
  readonly graph: NirGraph;
  readonly diagnostics: Diagnostic[];
  readonly ok: boolean;
}

const vec = (v: ArrayLike<number>) => tensor(Float64Array.from(v), { shape: [v.length] });
const fill = (n: number, x: number) => vec(new Float64Array(n).fill(x));

/** Converts a Brain description to NIR. Never throws. */
export function brainToNir(brain: BrainGraphInput, options: BrainToNirOptions = {}): BrainToNirResult {
  const diagnostics: Diagnostic[] = [];
  const lenient = options.mode === 'lenient';
  const latency = options.latency ?? true;
  const conv = options.convention ?? 'euler';
  const dtS = brain.dt * 1e-3;
  const nodes = new Map<string, NirNode>();
  const edges: [string, string][] = [];
  const sizes = new Map<string, number>();
  const pops = new Map(brain.populations.map((p) => [p.name, p]));
  const inexpressible = (path: string, message: string) =>
    diagnostics.push(
      diag(lenient ? 'warning' : 'error', 'brain.inexpressible', path, message, {
        hint: lenient ? undefined : "use mode: 'lenient' to map to the nearest LIF",
      }),
    );
  for (const i of brain.inputs) {
    nodes.set(i.name, { type: 'Input', shape: [i.size] });
    sizes.set(i.name, i.size);
  }
  for (const p of brain.populations) sizes.set(p.name, p.size);
  // neurons
  for (const p of brain.populations) {
    const N = p.size;
    const original: Record<string, MetaValue> = {};
    let soma = p.soma;
    if (soma.model !== 'leaky') {
      inexpressible(`${p.name}.soma`, `soma model ${soma.model} has no NIR primitive`);
      original.soma_model = soma.model;
      for (const [k, v] of Object.entries(
        (soma as { params?: Readonly<Record<string, number | readonly number[]>> }).params ?? {},
      ))
        original[`soma_${k}`] = typeof v === 'number' ? v : [...v];
      soma = {
        model: 'leaky',
        tau: soma.tau ?? 20,
        threshold: soma.threshold ?? 1,
        ...(soma.rest !== undefined ? { rest: soma.rest } : {}),
        ...(soma.reset !== undefined ? { reset: soma.reset } : {}),
      };
    }
    const s = soma as Extract<BrainSoma, { model: 'leaky' }>;
    if (p.refractory !== undefined && p.refractory > 0) {
      inexpressible(
        `${p.name}.soma.refractory`,
        `refractory period (${p.refractory} ms) is not expressible in NIR`,
      );
      original.refractory_ms = p.refractory;
    }
    if (p.adaptiveThreshold) {
      inexpressible(`${p.name}.soma.threshold`, 'adaptive threshold is not expressible in NIR');
      original.adaptive_threshold = true;
    }
    if (p.plasticity)
      diagnostics.push(
        diag(
          'warning',
          'brain.plasticity-dropped',
          `${p.name}.plasticity`,
          `plasticity rule ${p.plasticity} dropped (NIR is inference-only)`,
        ),
      );
    for (const m of p.modulation ?? [])
      diagnostics.push(
        diag(
          'warning',
          'brain.modulation-dropped',
          `${p.name}.${m}`,
          'modulation input dropped (not data flow)',
        ),
      );
    for (const m of p.properties ?? [])
      diagnostics.push(
        diag('warning', 'brain.property-dropped', `${p.name}.${m}`, 'property port dropped (not data flow)'),
      );
    const rest = s.rest ?? 0;
    const reb = options.rebaseToRest ?? false;
    const vLeak = reb ? 0 : rest;
    const vTh = reb ? s.threshold - rest : s.threshold;
    const vReset = reb ? (s.reset ?? rest) - rest : (s.reset ?? rest);
    const tau = s.tau * 1e-3;
    const r = s.resistance ?? 1;
    const meta: Meta = {
      spark_population: p.name,
      ...(Object.keys(original).length ? { spark_original: original as Meta } : {}),
    };
    // A NIR LIF node of the soma (linear synapses; or, marked inexpressible, any other model).
    const lif = (metadata: Meta): NirLIF => ({
      type: 'LIF',
      tau: fill(N, tau),
      r: fill(N, r),
      v_leak: fill(N, vLeak),
      v_threshold: fill(N, vTh),
      v_reset: fill(N, vReset),
      metadata,
    });
    const syn = p.synapses;
    if (syn.model === 'linear') {
      nodes.set(p.name, lif(meta));
    } else if (syn.model === 'traced' && 'tau' in syn) {
      const nPre = p.sources.reduce((a, k) => a + (sizes.get(k) ?? 0), 0);
      const taus = typeof syn.tau === 'number' ? [syn.tau] : [...syn.tau];
      let perPost: number[];
      if (taus.length === 1) perPost = Array(N).fill(taus[0]);
      else if (taus.length === N) perPost = taus;
      else {
        perPost = Array.from({ length: N }, (_, i) => {
          const row = taus.slice(i * nPre, (i + 1) * nPre);
          return row.reduce((a, b) => a + b, 0) / Math.max(1, row.length);
        });
        const varies = perPost.some((m, i) =>
          taus.slice(i * nPre, (i + 1) * nPre).some((t) => Math.abs(t - m) > 1e-12),
        );
        if (varies) {
          inexpressible(
            `${p.name}.synapses.tau`,
            'per-synapse τ varying within a row is not expressible; the row mean is used',
          );
          original.synapse_tau_ms = taus;
        }
      }
      const tauSyn = perPost.map((t) => t * 1e-3);
      const scale = syn.scale ?? 1;
      const wIn = tauSyn.map((ts) => nirWIn(conv, ts, dtS, scale));
      nodes.set(p.name, {
        type: 'CubaLIF',
        tau_syn: vec(tauSyn),
        tau_mem: fill(N, tau),
        r: fill(N, r),
        v_leak: fill(N, vLeak),
        v_threshold: fill(N, vTh),
        v_reset: fill(N, vReset),
        w_in: vec(wIn),
        metadata: { ...meta, ...(Object.keys(original).length ? { spark_original: original as Meta } : {}) },
      });
    } else {
      inexpressible(`${p.name}.synapses`, `synapse model ${syn.model} has no NIR primitive`);
      nodes.set(p.name, lif({ ...meta, spark_original: { ...original, synapse_model: syn.model } }));
    }
  }
  // weight blocks
  for (const p of brain.populations) {
    const N = p.size;
    const srcSizes = p.sources.map((k) => sizes.get(k));
    p.sources.forEach((k, i) => {
      if (srcSizes[i] === undefined)
        diagnostics.push(
          diag(
            'error',
            'brain.unknown-source',
            `${p.name}.inputs[${i}]`,
            `unknown source ${JSON.stringify(k)}`,
          ),
        );
    });
    if (srcSizes.some((x) => x === undefined)) continue;
    const total = (srcSizes as number[]).reduce((a, b) => a + b, 0);
    let kernel = p.kernel;
    if (!kernel) {
      diagnostics.push(
        diag(
          'warning',
          'brain.no-weights',
          `${p.name}.kernel`,
          'weights not materialised: structure exported with zero weights',
          { hint: 'export from a built Brain state' },
        ),
      );
      kernel = zeros([N, total]);
    }
    if (kernel.shape.length !== 2 || kernel.shape[0] !== N || kernel.shape[1] !== total) {
      diagnostics.push(
        diag(
          'error',
          'brain.kernel-shape',
          `${p.name}.kernel`,
          `kernel has shape [${kernel.shape.join(', ')}], expected [${N}, ${total}] (post, concatenated pre)`,
        ),
      );
      continue;
    }
    const K = toFloat64(kernel);
    const delaySteps = (row: number, col: number): number => {
      const d = p.delays;
      if (!d) return 0;
      return d.kind === 'neuron' ? (d.steps[col] ?? 0) : (d.steps.data[row * total + col] ?? 0);
    };
    if (
      p.delays?.kind === 'synapse' &&
      (p.delays.steps.shape[0] !== N || p.delays.steps.shape[1] !== total)
    ) {
      diagnostics.push(
        diag(
          'error',
          'brain.delay-shape',
          `${p.name}.delays`,
          `synapse delays must have shape [${N}, ${total}]`,
        ),
      );
      continue;
    }
    let off = 0;
    p.sources.forEach((src, si) => {
      const n = srcSizes[si]!;
      const srcPop = pops.get(src);
      const inh = srcPop?.inhibitory;
      const sign = (j: number) => (inh === true || (Array.isArray(inh) && inh[j]) ? -1 : 1);
      const lat = latency && srcPop ? 1 : 0;
      // group synapses by total delay (in steps)
      const groups = new Map<number, Float64Array>();
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < n; j++) {
          const w = K[i * total + off + j]!;
          const d = delaySteps(i, off + j) + lat;
          let W = groups.get(d);
          if (!W) {
            W = new Float64Array(N * n);
            groups.set(d, W);
          }
          W[i * n + j] = sign(j) * w;
        }
      }
      if (groups.size === 0) groups.set(lat, new Float64Array(0));
      const perNeuron = p.delays?.kind === 'neuron';
      if (perNeuron) {
        // one Delay node with per-channel delays, then one Linear
        const W = new Float64Array(N * n);
        for (const G of groups.values()) {
          for (let q = 0; q < G.length; q++) W[q]! += G[q]!;
        }
        const dname = `${p.name}.delay_${src}`;
        const steps = Array.from(
          { length: n },
          (_, j) => (p.delays as { steps: readonly number[] }).steps[off + j]! + lat,
        );
        const lname = `${p.name}.w_${src}`;
        nodes.set(lname, { type: 'Linear', weight: tensor(W, { shape: [N, n] }) });
        if (steps.some((x) => x > 0)) {
          nodes.set(dname, { type: 'Delay', delay: vec(steps.map((x) => x * dtS)) });
          edges.push([src, dname], [dname, lname], [lname, p.name]);
        } else edges.push([src, lname], [lname, p.name]);
      } else {
        const keys = [...groups.keys()].sort((a, b) => a - b);
        for (const d of keys) {
          const W = groups.get(d)!;
          const suffix = keys.length > 1 || p.delays ? `.d${d}` : '';
          const lname = `${p.name}.w_${src}${suffix}`;
          nodes.set(lname, {
            type: 'Linear',
            weight: tensor(W.length ? W : new Float64Array(N * n), { shape: [N, n] }),
          });
          if (d > 0) {
            const dname = `${p.name}.delay_${src}${suffix}`;
            nodes.set(dname, { type: 'Delay', delay: fill(n, d * dtS) });
            edges.push([src, dname], [dname, lname], [lname, p.name]);
          } else edges.push([src, lname], [lname, p.name]);
        }
      }
      off += n;
    });
  }
  // outputs
  for (const o of brain.outputs) {
    const n = sizes.get(o.source);
    if (n === undefined || !pops.has(o.source)) {
      diagnostics.push(
        diag(
          'error',
          'brain.unknown-source',
          `${o.name}`,
          `output source ${JSON.stringify(o.source)} is not a population`,
        ),
      );
      continue;
    }
    // NIR node names share one namespace: an output named like an input or a population is renamed.
    let outName = o.name;
    if (nodes.has(outName)) {
      outName = `${o.name}.output`;
      for (let k = 2; nodes.has(outName); k++) outName = `${o.name}.output${k}`;
      diagnostics.push(
        diag(
          'warning',
          'brain.name-collision',
          o.name,
          `output "${o.name}" shares its name with another node; its NIR Output node is "${outName}"`,
        ),
      );
    }
    nodes.set(outName, { type: 'Output', shape: [n] });
    if (o.readout) {
      const li = `${outName}.readout`;
      nodes.set(li, { type: 'LI', tau: fill(n, o.readout.tau * 1e-3), r: fill(n, 1), v_leak: fill(n, 0) });
      edges.push([o.source, li], [li, outName]);
    } else edges.push([o.source, outName]);
  }
  const metadata: Meta = {
    dt: dtS,
    units: 'SI (seconds)',
    source: brain.source ?? 'spark-snn Brain',
    discretisation: conv,
    latency_delays: latency,
  };
  const graph = nirGraph(nodes, edges, metadata);
  const inf = inferTypes(graph);
  diagnostics.push(...inf.diagnostics);
  return { graph, diagnostics, ok: !diagnostics.some((d) => d.severity === 'error') };
}
