// Library modules wired into one plan (no copies between them): the ALIFMod neuron's pipeline
// n2n_delays → traced_synapses (async) → adaptive_leaky_soma → quadruplet_rule_tensor writing the
// synapses' kernel, and n_delays feeding sync synapses (upstream NDelays breaks every synapse).
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../backends/cpu/index.ts';
import { CORRECTED, SPARK_COMPAT } from './compat.ts';
import { type Fragment, mergeFragments, rebind } from './fragment.ts';
import { sparkModule } from './registry.ts';
import { runFragmentOn, runFragmentReference } from './testing.ts';

function alifMod(compat: typeof CORRECTED): { f: Fragment; input: string; spikes: string; kernel: string } {
  const units = 6;
  const pre = 8;
  const delays = sparkModule('n2n_delays').build({
    prefix: 'd',
    dt: 1,
    config: { seed: 1, max_delay: 4 },
    units,
    pre,
    compat,
  });
  let syn = sparkModule('traced_synapses').build({
    prefix: 'y',
    dt: 1,
    config: { seed: 2, kernel: { __class_ref__: 'UniformInitializer', scale: 15 } },
    units,
    pre,
    async: true,
    compat,
  });
  syn = rebind(syn, syn.inputs.spikes as string, delays.outputs.out_spikes as string);
  let soma = sparkModule('adaptive_leaky_soma').build({
    prefix: 's',
    dt: 1,
    config: { threshold_delta: 5, resistance: 2 },
    units,
    compat,
  });
  soma = rebind(soma, soma.inputs.current as string, syn.outputs.currents as string);
  let rule = sparkModule('quadruplet_rule_tensor').build({
    prefix: 'r',
    dt: 1,
    config: { eta: 0.5 },
    units,
    pre,
    async: true,
    compat,
    kernel: syn.state.kernel as string,
    insideNeuron: true,
  });
  rule = rebind(rule, rule.inputs.pre_spikes as string, delays.outputs.out_spikes as string);
  rule = rebind(rule, rule.inputs.post_spikes as string, soma.outputs.spikes as string);
  const f = mergeFragments([delays, syn, soma, rule], {
    inputs: { in_spikes: delays.inputs.in_spikes as string, modulation: rule.inputs.modulation as string },
    outputs: { out_spikes: soma.outputs.spikes as string },
    state: { kernel: syn.state.kernel as string },
  });
  return {
    f,
    input: delays.inputs.in_spikes as string,
    spikes: soma.outputs.spikes as string,
    kernel: syn.state.kernel as string,
  };
}

describe('wired library modules', () => {
  for (const [mode, compat] of [
    ['corrected', CORRECTED],
    ['Spark compatibility', SPARK_COMPAT],
  ] as const) {
    it(`the ALIFMod pipeline runs as one plan; interpreter and cpu agree (${mode})`, async () => {
      const { f, input, spikes, kernel } = alifMod(compat);
      const steps = 80;
      const inSpikes = Array.from({ length: steps }, (_, t) =>
        Array.from({ length: 8 }, (_, j) => ((t * 7 + j * 3) % 5 === 0 ? (j >= 6 ? -1 : 1) : 0)),
      );
      const o = {
        dt: 1,
        steps,
        inputs: { [input]: inSpikes, 'r.modulation': [[0.05]] },
        record: [spikes, kernel],
      };
      const ref = runFragmentReference(f, o);
      const cpu = await runFragmentOn(cpuBackend(), f, o);
      let fired = 0;
      for (let t = 0; t < steps; t++) {
        expect(Array.from(cpu[spikes]?.[t] ?? [])).toEqual(Array.from(ref[spikes]?.[t] ?? []));
        fired += Array.from(ref[spikes]?.[t] ?? []).reduce((a, x) => a + x, 0);
        Array.from(cpu[kernel]?.[t] ?? []).forEach((v, k) => {
          expect(Math.abs(v - (ref[kernel]?.[t]?.[k] as number)) / Math.max(1, Math.abs(v))).toBeLessThan(
            1e-5,
          );
        });
      }
      expect(fired).toBeGreaterThan(0);
      expect(Array.from(ref[kernel]?.at(-1) ?? [])).not.toEqual(Array.from(ref[kernel]?.[0] ?? []));
    });
  }

  it('n_delays output feeds sync synapses (upstream it breaks every synapse)', async () => {
    const d = sparkModule('n_delays').build({
      prefix: 'd',
      dt: 1,
      config: { max_delay: 3, delays: [1, 2, 3] },
      pre: 3,
      compat: CORRECTED,
    });
    let y = sparkModule('linear_synapses').build({
      prefix: 'y',
      dt: 1,
      config: { kernel: [[1, 10, 100]] },
      units: 1,
      pre: 3,
    });
    y = rebind(y, y.inputs.spikes as string, d.outputs.out_spikes as string);
    const f = mergeFragments([d, y], { inputs: d.inputs, outputs: y.outputs, state: {} });
    const r = await runFragmentOn(cpuBackend(), f, {
      dt: 1,
      steps: 6,
      inputs: {
        'd.in_spikes': [
          [1, 1, 1],
          [0, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
        ],
      },
      record: ['y.currents'],
    });
    expect((r['y.currents'] ?? []).map((x) => x[0])).toEqual([0, 1, 10, 100, 0, 0]);
  });

  it('three_factor_hebbian_rule and quadruplet_rule build with sync and async spikes', () => {
    for (const name of ['three_factor_hebbian_rule', 'quadruplet_rule']) {
      for (const async of [false, true]) {
        for (const compat of [CORRECTED, SPARK_COMPAT]) {
          const f = sparkModule(name).build({
            prefix: 'r',
            dt: 1,
            config: {},
            units: 2,
            pre: 3,
            async,
            compat,
            initialKernel: [1, 1, 1, 1, 1, 1],
          });
          expect(f.ops.at(-1)?.op).toBe('copy');
        }
      }
    }
  });
});
