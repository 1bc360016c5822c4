/**
 * Golden cases of the interfaces and delays (trial + check) for the backend comparison.
 *
 * @module
 */
import { rows, TraceComparison } from '@spark-snn/testing';
import { golden } from '@spark-snn/testing/fixtures';
import { buildN2NDelays } from '../../../src/delays/n2n_delays.ts';
import {
  buildExponentialIntegrator,
  buildSpiker,
  buildTopologicalSpiker,
} from '../../../src/interfaces/build.ts';
import { SPARK_COMPAT } from '../../../src/library/compat.ts';
import type { Records, Trial } from './harness.ts';

/** A golden case: a trial and the check of its records. */
export interface GoldenCase {
  readonly id: string;
  make(): { trial: Trial; check: (r: Records) => TraceComparison };
}

function spikeIndices(row: Float64Array): number[] {
  const out: number[] = [];
  row.forEach((x, i) => {
    if (x !== 0) out.push(i);
  });
  return out;
}

/** Linear spiker, topological spikers, exponential integrators and N2N delays. */
export const INTERFACE_CASES: readonly GoldenCase[] = [
  {
    id: 'linear_spiker (interface_linear_spiker.json)',
    make() {
      const g = golden('interface_linear_spiker.json');
      const signal = rows(g.inputs.signal);
      const f = buildSpiker('linear_spiker', signal[0]?.length ?? 0, {
        prefix: 'ls',
        dt: g.dt,
        config: g.config,
        compat: SPARK_COMPAT,
      });
      const spikes = rows(g.outputs.spikes);
      const out = f.outputs.spikes as string;
      return {
        trial: {
          fragment: f,
          dt: g.dt,
          steps: g.steps,
          inputs: { [f.inputs.signal as string]: signal },
          record: [out],
        },
        check: (r) => new TraceComparison().trace('spikes', r[out] ?? [], spikes, 'exact'),
      };
    },
  },
  ...['interface_topological_linear_spiker.json', 'interface_topological_linear_spiker_ab_brain.json'].map(
    (file): GoldenCase => ({
      id: `topological_linear_spiker (${file})`,
      make() {
        const g = golden(file);
        const signal = rows(g.inputs.signal);
        const f = buildTopologicalSpiker('topological_linear_spiker', signal[0]?.length ?? 0, {
          prefix: 'ts',
          dt: g.dt,
          config: g.config,
          compat: SPARK_COMPAT,
        });
        const out = f.outputs.spikes as string;
        const expected =
          g.outputs.spike_indices !== undefined
            ? (g.outputs.spike_indices as number[][])
            : rows(g.outputs.spikes).map((row) => spikeIndices(Float64Array.from(row)));
        return {
          trial: {
            fragment: f,
            dt: g.dt,
            steps: g.steps,
            inputs: { [f.inputs.signal as string]: signal },
            record: [out],
          },
          check: (r) => {
            const cmp = new TraceComparison();
            for (let t = 0; t < g.steps; t++)
              cmp.row(
                'spike indices',
                spikeIndices(r[out]?.[t] ?? new Float64Array()),
                expected[t] ?? [],
                'exact',
                {
                  step: t,
                },
              );
            return cmp;
          },
        };
      },
    }),
  ),
  ...['interface_exponential_integrator_plain.json', 'interface_exponential_integrator_smooth.json'].map(
    (file): GoldenCase => ({
      id: `exponential_integrator (${file})`,
      make() {
        const g = golden(file);
        const spikes = rows(g.inputs.spikes);
        const f = buildExponentialIntegrator(spikes[0]?.length ?? 0, {
          prefix: 'ei',
          dt: g.dt,
          config: g.config,
          compat: SPARK_COMPAT,
        });
        const out = f.outputs.signal as string;
        const expected = rows(g.outputs.signal);
        return {
          trial: {
            fragment: f,
            dt: g.dt,
            steps: g.steps,
            inputs: { [f.inputs.spikes as string]: spikes },
            record: [out],
          },
          check: (r) => new TraceComparison().trace('signal', r[out] ?? [], expected, 'float32'),
        };
      },
    }),
  ),
  {
    id: 'n2n_delays (delays_n2n.json)',
    make() {
      const g = golden('delays_n2n.json');
      const input = rows(g.inputs.in_spikes);
      const expected = rows(g.outputs.out_spikes);
      const pre = input[0]?.length ?? 0;
      const f = buildN2NDelays({
        prefix: 'd',
        dt: g.dt,
        pre,
        units: (expected[0]?.length ?? 0) / pre,
        config: g.config,
        compat: SPARK_COMPAT,
      });
      return {
        trial: {
          fragment: f,
          dt: g.dt,
          steps: g.steps,
          inputs: { 'd.in_spikes': input },
          record: ['d.out_spikes'],
        },
        check: (r) => new TraceComparison().trace('out_spikes', r['d.out_spikes'] ?? [], expected, 'exact'),
      };
    },
  },
];
