/**
 * `poisson_drive` → PyNN `SpikeSourcePoisson`, one source per driven cell, `OneToOneConnector`.
 *
 * The drive adds `weight · Poisson(rate · sources · dt)` to its target every step: the superposition
 * of `sources` independent Poisson trains of `rate`, which is one Poisson train of `rate · sources`.
 * Rate: kHz × 1000 → Hz. Each source spike carries `weight` (in the units of the port it feeds).
 * Limit: pyNN.brian2's `SpikeSourcePoisson` is a Brian2 `PoissonGroup` (`rand() < rate·dt`), at
 * most one spike per step: the mean is right while `rate · dt ≤ 1` but the variance is
 * `λ(1 − λ)` instead of `λ`, and above 1 the arrivals are capped. It is reported when the expected
 * count per step `λ` exceeds {@link POISSON_STEP_LIMIT}.
 *
 * @module
 */
import { fieldValue, scalarOf } from '../values.ts';
import type { MapArgs, MappedSource, SourceMapping } from './mapping.ts';

/** Expected arrivals per step above which a one-spike-per-step Poisson source is reported (1 % variance lost). */
export const POISSON_STEP_LIMIT = 0.01;

export const poissonDriveMapping: SourceMapping = {
  kind: 'source',
  module: 'poisson_drive',
  cell: 'SpikeSourcePoisson',
  map(a: MapArgs): MappedSource | undefined {
    const f = (k: string) => fieldValue(a.config, k, a);
    const rate = scalarOf(f('rate'));
    const sources = scalarOf(f('sources'));
    const weight = scalarOf(f('weight'));
    if (rate === undefined || sources === undefined || weight === undefined) {
      a.sink.push({
        severity: 'error',
        code: 'unsupported_value',
        path: a.path,
        message: 'rate, sources and weight must be single numbers for the PyNN export',
      });
      return undefined;
    }
    const hz = rate * sources * 1000;
    const perStep = rate * sources * a.dt;
    return {
      params: { rate: { kind: 'scalar', value: hz } },
      weight,
      port: 'current',
      notes: [
        `rate (kHz) x sources x 1000 = ${hz} Hz: ${sources} independent Poisson sources of ${rate * 1000} Hz`,
        'superpose to one Poisson train per driven cell.',
      ],
      limits:
        perStep > POISSON_STEP_LIMIT
          ? [
              {
                simulator: 'brian2',
                level: 'approximate',
                reason:
                  perStep <= 1
                    ? `pyNN.brian2's SpikeSourcePoisson emits at most one spike per step: at ${perStep.toPrecision(3)} expected arrivals per step the count per step is Bernoulli, with ${(perStep * 100).toPrecision(3)} % less variance than the Brain's Poisson drive`
                    : `pyNN.brian2's SpikeSourcePoisson emits at most one spike per step: at ${perStep.toPrecision(3)} expected arrivals per step it delivers ${(100 / perStep).toPrecision(3)} % of the Brain's drive`,
              },
            ]
          : [],
    };
  },
};
