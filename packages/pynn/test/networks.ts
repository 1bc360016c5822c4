/**
 * Test networks in the layout of `apps/examples/networks/*.scfg` (top-level `neurons`, `exc`/`inh`
 * sparse synapses slicing `neurons.spikes`, Brunel's `drive`), built in code with every field
 * spelled out (benchmarks.md §1 parameters).
 */
import type { ConfigBody, ModuleSpecs, PortMap } from '@spark-snn/config';

export const pm = (origin: string, port: string): PortMap => ({ origin, port, is_property: false });

export function spec(
  name: string,
  cls: string,
  config: Record<string, unknown>,
  inputs: Record<string, PortMap[]> = {},
  outputs: Record<string, string> = {},
): ModuleSpecs {
  return {
    name,
    module_cls: { name: cls, subregistry: 'MODULES' },
    inputs,
    config: { seed: 7, dtype: 'float32', dt: 0.1, ...config },
    outputs,
    effects: {},
  };
}

export const uniform = (scale: number) => ({
  __type__: 'uniform_initializer_config',
  dtype: 'float32',
  scale,
  min_value: null,
  max_value: null,
  __class_ref__: 'UniformInitializer',
});

/** CUBA (benchmarks.md §1.1) with N cells, 80 % excitatory. */
export function cubaBody(
  n = 4000,
  o: { delay?: number; inDegree?: number; excWeight?: number } = {},
): ConfigBody {
  const ne = Math.round(n * 0.8);
  const syn = (start: number, stop: number, weight: number, seed: number) =>
    spec(
      '',
      'sparse_synapses',
      {
        seed,
        units: [n],
        p: 0.02,
        in_degree: o.inDegree ?? 0,
        source_start: start,
        source_stop: stop,
        weight,
        delay: o.delay ?? 0,
      },
      { spikes: [pm('neurons', 'spikes')] },
    );
  return {
    seed: 1,
    dt: 0.1,
    modules_specs: [
      spec(
        'neurons',
        'cuba_lif',
        {
          units: [n],
          tau_m: 20,
          tau_e: 5,
          tau_i: 10,
          v_rest: -49,
          v_threshold: -50,
          v_reset: -60,
          refractory: 5,
          v_offset: uniform(10),
        },
        { exc: [pm('exc', 'currents')], inh: [pm('inh', 'currents')] },
        { spikes: 'spikes' },
      ),
      { ...syn(0, ne, o.excWeight ?? 1.62, 11), name: 'exc' },
      { ...syn(ne, 0, -9, 12), name: 'inh' },
    ],
  };
}

/** Brunel model A (g = 5, η = 2) with N cells and in-degree 10 % of each population. */
export function brunelBody(n = 1250): ConfigBody {
  const ne = Math.round(n * 0.8);
  const ce = Math.round(ne * 0.1);
  const ci = Math.round((n - ne) * 0.1);
  return {
    seed: 2,
    dt: 0.1,
    modules_specs: [
      spec(
        'neurons',
        'brunel_lif',
        { units: [n], tau_m: 20, theta: 20, v_reset: 10, refractory: 2 },
        { current: [pm('exc', 'currents'), pm('inh', 'currents')], external: [pm('drive', 'current')] },
        { spikes: 'spikes' },
      ),
      spec(
        'exc',
        'sparse_synapses',
        { units: [n], p: 0, in_degree: ce, source_start: 0, source_stop: ne, weight: 0.1, delay: 1.3 },
        { spikes: [pm('neurons', 'spikes')] },
      ),
      spec(
        'inh',
        'sparse_synapses',
        { units: [n], p: 0, in_degree: ci, source_start: ne, source_stop: n, weight: -0.5, delay: 1.3 },
        { spikes: [pm('neurons', 'spikes')] },
      ),
      spec('drive', 'poisson_drive', { units: [n], rate: 0.02, sources: ce, weight: 0.1 }),
    ],
  };
}
