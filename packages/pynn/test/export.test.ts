import type { ConfigBody, ModuleSpecs } from '@spark-snn/config';
import { describe, expect, it } from 'vitest';
import { exportPyNN } from '../src/index.ts';
import type { PyNNProjection } from '../src/types.ts';
import { brunelBody, cubaBody, pm, spec } from './networks.ts';

const proj = (projections: readonly PyNNProjection[], id: string) => {
  const p = projections.find((x) => x.id === id);
  if (!p) throw new Error(`no projection ${id} in ${projections.map((x) => x.id).join(', ')}`);
  return p;
};

describe('exportPyNN: CUBA', () => {
  const r = exportPyNN(cubaBody(), { source: 'cuba.scfg' });

  it('maps cuba_lif to IF_curr_exp with the benchmark parameters', () => {
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    const [pop] = r.network.populations;
    expect(pop).toMatchObject({ id: 'neurons', size: 4000, cell: 'IF_curr_exp', record: true });
    expect(pop!.params).toEqual({
      tau_m: { kind: 'scalar', value: 20 },
      tau_syn_E: { kind: 'scalar', value: 5 },
      tau_syn_I: { kind: 'scalar', value: 10 },
      v_rest: { kind: 'scalar', value: -49 },
      v_thresh: { kind: 'scalar', value: -50 },
      v_reset: { kind: 'scalar', value: -60 },
      tau_refrac: { kind: 'scalar', value: 5 },
      cm: { kind: 'scalar', value: 1 },
    });
    // v0 = v_reset + U[0, 10) = U[−60, −50) (benchmarks.md §1.1)
    expect(pop!.initial).toEqual({ v: { kind: 'uniform', low: -60, high: -50 } });
  });

  it('converts the voltage-like weights to nA through cm/τm and slices E and I', () => {
    const exc = proj(r.network.projections, 'exc');
    const inh = proj(r.network.projections, 'inh');
    // 1.62 mV · 1 nF / 20 ms = 0.081 nA; −9 mV → −0.45 nA (PyNN: inhibitory current weights are negative)
    expect(exc.weight).toBeCloseTo(0.081, 12);
    expect(inh.weight).toBeCloseTo(-0.45, 12);
    expect(exc).toMatchObject({
      receptor: 'excitatory',
      pre: { population: 'neurons', start: 0, stop: 3200 },
      post: { population: 'neurons', start: 0, stop: 4000 },
      connector: { kind: 'fixed_probability', p: 0.02 },
    });
    expect(inh).toMatchObject({ receptor: 'inhibitory', pre: { start: 3200, stop: 4000 } });
    expect(r.network.slices).toEqual([exc.pre, inh.pre]);
  });

  it('maps the Brain latency (2 steps for soma → synapses → soma) to a PyNN delay of one dt', () => {
    expect(proj(r.network.projections, 'exc').delay).toBe(0.1);
    // delay 1.5 ms at dt 0.1: 2 + 15 steps of latency → 16 dt
    const d = exportPyNN(cubaBody(400, { delay: 1.5 }));
    expect(proj(d.network.projections, 'exc').delay).toBeCloseTo(1.6, 12);
  });

  it('writes a readable script with the connectors, weights and the rate printout', () => {
    const s = r.script;
    expect(s).toContain('sim = importlib.import_module("pyNN." + args.simulator)');
    expect(s).toContain('sim.setup(timestep=DT)');
    expect(s).toContain('neurons = sim.Population(4000, sim.IF_curr_exp(');
    expect(s).toContain(
      'neurons.initialize(v=RandomDistribution("uniform", low=-60.0, high=-50.0, rng=rng))',
    );
    expect(s).toContain('    neurons[0:3200], neurons,\n');
    expect(s).toContain('sim.FixedProbabilityConnector(0.02, allow_self_connections=True, rng=rng)');
    expect(s).toContain('sim.StaticSynapse(weight=0.081, delay=0.1)');
    expect(s).toContain('sim.StaticSynapse(weight=-0.45, delay=0.1)');
    expect(s).toContain('"neurons[3200:4000]": ("neurons", 3200, 4000),');
    expect(s).not.toContain('data = np.load');
    expect(r.npz).toBeUndefined();
  });

  it('maps in_degree to FixedNumberPreConnector with replacement', () => {
    const d = exportPyNN(cubaBody(400, { inDegree: 8 }));
    expect(proj(d.network.projections, 'exc').connector).toEqual({ kind: 'fixed_number_pre', n: 8 });
    expect(d.script).toContain(
      'sim.FixedNumberPreConnector(8, with_replacement=True, allow_self_connections=True, rng=rng)',
    );
  });
  it('writes a Poisson drive into an integrating soma port with one dt and an info note', () => {
    const body = cubaBody(400);
    const [neurons] = body.modules_specs as ModuleSpecs[];
    neurons!.inputs.exc!.push(pm('drive', 'current'));
    (body.modules_specs as ModuleSpecs[]).push(
      spec('drive', 'poisson_drive', { units: [400], rate: 0.001, sources: 1, weight: 2 }),
    );
    const d = exportPyNN(body);
    expect(d.ok).toBe(true);
    expect(d.diagnostics).toEqual([
      expect.objectContaining({ severity: 'info', code: 'latency', path: 'modules_specs[0].inputs.exc[1]' }),
    ]);
    // summed with exc's currents (both have the soma's 400 cells); 2 mV · 1 nF / 20 ms = 0.1 nA
    const p = proj(d.network.projections, 'drive_to_neurons');
    expect(p).toMatchObject({ delay: 0.1, receptor: 'excitatory', post: { start: 0, stop: 400 } });
    expect(p.weight).toBeCloseTo(0.1, 12);
  });
});

describe('exportPyNN: Brunel', () => {
  const r = exportPyNN(brunelBody(1250), { simulator: 'nest' });

  it('maps brunel_lif to IF_curr_delta and the drive to one Poisson source per cell', () => {
    expect(r.ok).toBe(true);
    const [neurons, drive] = r.network.populations;
    expect(neurons).toMatchObject({ cell: 'IF_curr_delta', size: 1250 });
    expect(neurons!.params).toMatchObject({
      v_thresh: { kind: 'scalar', value: 20 },
      v_reset: { kind: 'scalar', value: 10 },
      v_rest: { kind: 'scalar', value: 0 },
      tau_refrac: { kind: 'scalar', value: 2 },
    });
    // 0.02 kHz × 100 sources = 2 kHz per cell
    expect(drive).toMatchObject({ cell: 'SpikeSourcePoisson', size: 1250, record: false });
    expect(drive!.params.rate).toEqual({ kind: 'scalar', value: 2000 });
    const toNeurons = proj(r.network.projections, 'drive_to_neurons');
    expect(toNeurons).toMatchObject({ connector: { kind: 'one_to_one' }, weight: 0.1, delay: 0.1 });
    // the drive is read one step after it is drawn and jumps v after the update, as PyNN's delta
    // synapses do with a delay of one dt: no note needed
    expect(r.diagnostics).toEqual([]);
  });

  it('sums the two sources of `current` and lets the sign pick the receptor (delta synapses)', () => {
    const exc = proj(r.network.projections, 'exc');
    const inh = proj(r.network.projections, 'inh');
    expect(exc).toMatchObject({ receptor: 'excitatory', weight: 0.1, post: { start: 0, stop: 1250 } });
    expect(inh).toMatchObject({ receptor: 'inhibitory', weight: -0.5, post: { start: 0, stop: 1250 } });
    // delay 1.3 ms: latency 2 + 13 = 15 steps; a voltage jump after the update, as in PyNN: 1.5 ms
    // (Brunel's D)
    expect(exc.delay).toBeCloseTo(1.5, 12);
    expect(inh.delay).toBeCloseTo(1.5, 12);
  });

  it('writes the simulator limits into the script: NEURON has no IF_curr_delta, Brian2 approximates', () => {
    const limits = r.network.populations[0]!.limits;
    expect(limits.map((l) => [l.simulator, l.level])).toEqual([
      ['neuron', 'unavailable'],
      ['brian2', 'approximate'],
    ]);
    // λ = 2 kHz · 0.1 ms = 0.2 arrivals per step: a one-spike-per-step source is reported
    expect(r.network.populations[1]!.limits).toEqual([
      expect.objectContaining({ simulator: 'brian2', level: 'approximate' }),
    ]);
    expect(r.script).toContain(
      '"neuron": ("unavailable", "pyNN.neuron has no IF_curr_delta (ModelNotAvailable)"),',
    );
    expect(r.script).toContain('default="nest"');
  });
});

describe('exportPyNN: what PyNN cannot express', () => {
  const withModule = (extra: ModuleSpecs, patch?: (b: ConfigBody) => void): ConfigBody => {
    const b = cubaBody(400);
    (b.modules_specs as ModuleSpecs[]).push(extra);
    patch?.(b);
    return b;
  };

  it('refuses a module without a PyNN mapping, with its path; --allow-partial writes the rest', () => {
    const body = withModule(
      spec('adaptive', 'adaptive_leaky_soma', { units: [10] }, { current: [pm('exc', 'currents')] }),
    );
    const r = exportPyNN(body);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'unsupported_module', path: 'modules_specs[3]' }),
    );
    const partial = exportPyNN(body, { allowPartial: true });
    expect(partial.ok).toBe(true);
    expect(partial.network.populations.map((p) => p.id)).toEqual(['neurons']);
    expect(partial.script).toContain('#   error modules_specs[3]: "adaptive" (adaptive_leaky_soma');
    expect(partial.script).toContain('[NOT EXPORTED]');
    expect(partial.script).toContain('The network below is PARTIAL');
  });

  it('refuses a weight whose sign the receptor cannot take', () => {
    const r = exportPyNN(cubaBody(400, { excWeight: -1 }));
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'weight_sign', path: 'modules_specs[1].config.weight' }),
    ]);
  });

  it('refuses brain inputs, clipped initializers and per-cell τm of cuba_lif', () => {
    const body = cubaBody(400);
    const [neurons] = body.modules_specs as ModuleSpecs[];
    neurons!.inputs.exc = [pm('__call__', 'drive')];
    neurons!.config.v_offset = {
      __type__: 'uniform_initializer_config',
      scale: 10,
      min_value: 2,
      max_value: null,
    };
    neurons!.config.tau_m = Array.from({ length: 400 }, (_, i) => 10 + (i % 3));
    const r = exportPyNN(body);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual(
      expect.arrayContaining([
        ['unsupported_value', 'modules_specs[0].config.v_offset'],
        ['unsupported_value', 'modules_specs[0].config.tau_m'],
      ]),
    );
    // with the soma refused, its inputs are not analysed further; a valid soma reports the brain input
    const b2 = cubaBody(400);
    (b2.modules_specs as ModuleSpecs[])[0]!.inputs.exc = [pm('__call__', 'drive')];
    expect(exportPyNN(b2).diagnostics).toContainEqual(
      expect.objectContaining({ code: 'unsupported_input', path: 'modules_specs[0].inputs.exc[0]' }),
    );
  });

  it('warns that a float16 module is simulated in double precision by PyNN', () => {
    const body = cubaBody(100);
    (body.modules_specs as ModuleSpecs[])[0]!.config.dtype = 'float16';
    const r = exportPyNN(body);
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'approximation',
        path: 'modules_specs[0].config.dtype',
      }),
    ]);
  });

  it('refuses documents that are not brains and brains without modules', () => {
    const r = exportPyNN({
      type: 'neuron_config',
      config: {},
      provenance: 'spark-snn',
      behaviour: 'corrected',
      compressed: false,
    });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'invalid_document' });
    expect(exportPyNN({ modules_specs: [] }).diagnostics[0]).toMatchObject({ path: 'modules_specs' });
  });
});
