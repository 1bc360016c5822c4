/**
 * `@spark-snn/graph/nn`: hardware graphs and NIR from live `@spark-snn/nn` brains (`asGraph`).
 *
 * A built {@link Brain} is read into a {@link BrainGraphInput} — populations (Neuron controllers) with
 * their soma and synapse parameters, the kernels and delay kernels read back from the device,
 * inhibitory masks, sources in PortMap order — and converted with `brainToNir` (graph-reference §4.7).
 * Modules without a hardware meaning say why in a diagnostic: spike encoders (Poisson/linear spikers)
 * become NIR inputs of their spike trains, plasticity and modulation are dropped (NIR is
 * inference-only).
 *
 * ```ts
 * import { brainAsNir } from '@spark-snn/graph/nn';
 * const { graph, diagnostics } = await brainAsNir(brain, { mode: 'lenient' });
 * ```
 *
 * @module
 */
import type { ConfigBody, ModuleSpecs } from '@spark-snn/config';
import { type Brain, type GraphMapping, graphMappingOf } from '@spark-snn/nn';
import {
  type BrainDelays,
  type BrainGraphInput,
  type BrainInputPort,
  type BrainOutputPort,
  type BrainPopulation,
  type BrainSoma,
  type BrainSynapses,
  type BrainToNirOptions,
  type BrainToNirResult,
  brainToNir,
} from '../convert/brain.ts';
import { type Diagnostic, diag } from '../diagnostics.ts';
import { tensor } from '../tensor.ts';

/** Result of {@link brainGraphInput}. */
export interface BrainGraphInputResult {
  readonly input: BrainGraphInput;
  readonly diagnostics: Diagnostic[];
}

const SPIKERS = new Set([
  'poisson_spiker',
  'linear_spiker',
  'topological_poisson_spiker',
  'topological_linear_spiker',
]);

function num(config: ConfigBody, field: string, diagnostics: Diagnostic[], path: string): number | undefined {
  const v = config[field];
  if (typeof v === 'number') return v;
  if (v === undefined || v === null) return undefined;
  const data = Array.isArray(v) ? (v.flat(8) as number[]) : (v as { data?: number[] }).data;
  if (Array.isArray(data) && data.length > 0) {
    const first = data[0]!;
    if (data.some((x) => x !== first)) {
      diagnostics.push(
        diag(
          'warning',
          'brain.per-unit-parameter',
          `${path}.${field}`,
          `per-unit values are not kept; the mean is used`,
        ),
      );
      return data.reduce((a, b) => a + b, 0) / data.length;
    }
    return first;
  }
  diagnostics.push(
    diag(
      'warning',
      'brain.initializer-parameter',
      `${path}.${field}`,
      'an initializer-valued parameter is not kept',
    ),
  );
  return undefined;
}

/** The child of a neuron whose registry kind is `kind` (custom modules included). */
function child(brain: Brain, modules: readonly ModuleSpecs[], kind: string): ModuleSpecs | undefined {
  return modules.find((m) => brain.registry.get(m.module_cls.name)?.kind === kind);
}

/** A custom soma read through its declared hardware meaning (`defineModule({ asGraph })`). */
function customSoma(m: GraphMapping, config: ConfigBody, diagnostics: Diagnostic[], path: string): BrainSoma {
  const value = (p: string | undefined) => (p === undefined ? undefined : num(config, p, diagnostics, path));
  const tau = value(m.tau);
  const threshold = value(m.threshold);
  const rest = value(m.rest);
  const reset = value(m.reset);
  const resistance = value(m.resistance);
  return {
    model: 'leaky',
    tau: tau ?? 20,
    threshold: threshold ?? 1,
    ...(rest !== undefined ? { rest } : {}),
    ...(reset !== undefined ? { reset } : {}),
    ...(resistance !== undefined ? { resistance } : {}),
  };
}

/** Reads a built brain into the plain-data description `brainToNir` converts. */
export async function brainGraphInput(brain: Brain): Promise<BrainGraphInputResult> {
  const compiled = brain.compiledBrain;
  if (!compiled)
    throw new Error('brainGraphInput: the brain is not built yet (call build() or run a step first)');
  const diagnostics: Diagnostic[] = [];
  const modules = brain.document.config.modules_specs as ModuleSpecs[];
  const byName = new Map(modules.map((m) => [m.name, m]));
  const inputs: BrainInputPort[] = [...compiled.inputs.values()].map((i) => ({
    name: i.name,
    size: i.shape.reduce((a, b) => a * b, 1),
  }));
  const sizeOf = (name: string) => compiled.modules.get(name);
  const sourceName = (origin: string, port: string, path: string): string => {
    if (origin === '__call__') return port;
    const m = byName.get(origin);
    if (m && SPIKERS.has(m.module_cls.name) && !inputs.some((i) => i.name === origin)) {
      const out = sizeOf(origin)?.outputs.spikes;
      inputs.push({ name: origin, size: out ? out.shape.reduce((a, b) => a * b, 1) : 0 });
      diagnostics.push(
        diag(
          'warning',
          'brain.encoder-as-input',
          path,
          `${origin} (${m.module_cls.name}) has no hardware meaning: its spike train becomes the NIR input "${origin}"`,
        ),
      );
    }
    return origin;
  };

  const populations: BrainPopulation[] = [];
  const outputs: BrainOutputPort[] = [];
  for (const [index, m] of modules.entries()) {
    const path = `modules_specs[${index}]`;
    const config = m.config as ConfigBody;
    const children = config.modules_specs as ModuleSpecs[] | undefined;
    if (!Array.isArray(children)) {
      if (m.module_cls.name === 'exponential_integrator') {
        const src = m.inputs.spikes ?? [];
        const name = Object.keys(m.outputs ?? {})[0] ?? m.name;
        if (src.length === 1) {
          const tau = num(config, 'tau', diagnostics, path) ?? 20;
          outputs.push({ name, source: src[0]!.origin, readout: { tau } });
        } else {
          diagnostics.push(
            diag(
              'error',
              'brain.readout-sources',
              path,
              `${m.name} integrates ${src.length} sources; a NIR readout has one`,
            ),
          );
        }
      } else if (!SPIKERS.has(m.module_cls.name)) {
        diagnostics.push(
          diag(
            'warning',
            'brain.module-dropped',
            path,
            `${m.name} (${m.module_cls.name}) has no hardware meaning and is dropped`,
          ),
        );
      }
      continue;
    }
    const lowered = compiled.modules.get(m.name)!;
    const size = lowered.outputs.out_spikes?.shape.reduce((a, b) => a * b, 1) ?? 0;
    const somaSpec = child(brain, children, 'soma');
    const synSpec = child(brain, children, 'synapses');
    const delaySpec = child(brain, children, 'delays');
    const ruleSpec = child(brain, children, 'plasticity');
    if (!somaSpec || !synSpec) {
      diagnostics.push(diag('error', 'brain.population', path, `${m.name} has no soma or synapses`));
      continue;
    }
    const sc = somaSpec.config as ConfigBody;
    const sp = `${path}.config.${somaSpec.name}.config`;
    const somaModel = somaSpec.module_cls.name;
    const common = {
      ...(num(sc, 'potential_tau', diagnostics, sp) !== undefined
        ? { tau: num(sc, 'potential_tau', [], sp)! }
        : {}),
      ...(num(sc, 'threshold', diagnostics, sp) !== undefined
        ? { threshold: num(sc, 'threshold', [], sp)! }
        : {}),
      ...(num(sc, 'potential_rest', diagnostics, sp) !== undefined
        ? { rest: num(sc, 'potential_rest', [], sp)! }
        : {}),
      ...(num(sc, 'potential_reset', diagnostics, sp) !== undefined
        ? { reset: num(sc, 'potential_reset', [], sp)! }
        : {}),
    };
    const custom = graphMappingOf(brain.registry, somaModel);
    const soma: BrainSoma =
      somaModel === 'leaky_soma'
        ? {
            model: 'leaky',
            tau: common.tau ?? 20,
            threshold: common.threshold ?? -40,
            ...(num(sc, 'resistance', [], sp) !== undefined
              ? { resistance: num(sc, 'resistance', [], sp)! }
              : {}),
            ...(common.rest !== undefined ? { rest: common.rest } : {}),
            ...(common.reset !== undefined ? { reset: common.reset } : {}),
          }
        : custom
          ? customSoma(custom, sc, diagnostics, sp)
          : { model: somaModel, ...common };
    const sync = synSpec.config as ConfigBody;
    const synapses: BrainSynapses =
      synSpec.module_cls.name === 'linear_synapses'
        ? { model: 'linear' }
        : synSpec.module_cls.name === 'traced_synapses'
          ? {
              model: 'traced',
              tau: num(sync, 'tau', diagnostics, `${path}.synapses`) ?? 5,
              scale: num(sync, 'scale', [], '') ?? 1,
            }
          : { model: synSpec.module_cls.name };
    const sources = (m.inputs.in_spikes ?? []).map((pm, k) =>
      sourceName(pm.origin, pm.port, `${path}.inputs.in_spikes[${k}]`),
    );
    const read = await brain.readState([`${m.name}/${synSpec.name}/kernel`, `${m.name}.inhibition_mask`]);
    const k = read[`${m.name}/${synSpec.name}/kernel`]!;
    const nPre = k.size / size;
    const kernel = tensor(Float64Array.from(k.data), { shape: [size, nPre] });
    let delays: BrainDelays | undefined;
    if (delaySpec?.module_cls.name === 'n2n_delays') {
      const dk = (await brain.readState([`${m.name}/${delaySpec.name}/kernel`]))[
        `${m.name}/${delaySpec.name}/kernel`
      ]!;
      const op = compiled.plan.ops.find(
        (o) => o.op === 'delay.per_synapse' && o.name.startsWith(`${m.name}/${delaySpec.name}`),
      );
      const slots = Number((op?.attrs as { slots?: number } | undefined)?.slots ?? 0);
      // The effective delay is d mod slots (Spark's wrap-around reads d = B as zero delay).
      const steps = Float64Array.from(dk.data, (d) => (slots > 0 ? d % slots : d));
      delays = { kind: 'synapse', steps: tensor(steps, { shape: [size, nPre] }) };
    }
    const mask = read[`${m.name}.inhibition_mask`]!;
    const cooldown = num(sc, 'cooldown', [], sp);
    populations.push({
      name: m.name,
      size,
      soma,
      synapses,
      sources,
      kernel,
      ...(delays ? { delays } : {}),
      inhibitory: Array.from(mask.data, (x) => x !== 0),
      ...(cooldown !== undefined && cooldown > 0 ? { refractory: cooldown } : {}),
      ...(/adaptive/.test(somaModel) ? { adaptiveThreshold: true } : {}),
      ...(ruleSpec ? { plasticity: ruleSpec.module_cls.name } : {}),
      ...(Object.keys(m.inputs).filter((p) => p !== 'in_spikes').length > 0
        ? { modulation: Object.keys(m.inputs).filter((p) => p !== 'in_spikes') }
        : {}),
    });
    for (const [outName, port] of Object.entries(m.outputs ?? {})) {
      if (port === 'out_spikes') outputs.push({ name: outName, source: m.name });
    }
  }
  const dt = typeof brain.document.config.dt === 'number' ? brain.document.config.dt : 1;
  return { input: { dt, inputs, populations, outputs, source: 'spark-snn brain' }, diagnostics };
}

/** A built brain as a NIR graph (diagnostics for everything NIR cannot express). */
export async function brainAsNir(brain: Brain, options: BrainToNirOptions = {}): Promise<BrainToNirResult> {
  const { input, diagnostics } = await brainGraphInput(brain);
  const result = brainToNir(input, options);
  const all = [...diagnostics, ...result.diagnostics];
  return { graph: result.graph, diagnostics: all, ok: result.ok && !all.some((d) => d.severity === 'error') };
}
