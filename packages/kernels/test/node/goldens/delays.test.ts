// n2n_delays against Spark's golden (compatibility mode) and the corrected delays (no wrap-around).
import { describe, expect, it } from 'vitest';
import { buildN2NDelays, buildNDelays, delaysFromConfig } from '../../../src/delays/n2n_delays.ts';
import { CORRECTED, SPARK_COMPAT } from '../../../src/library/compat.ts';
import { runCpu, runReference } from './harness.ts';
import { INTERFACE_CASES } from './interfaces.cases.ts';

describe('n2n_delays against Spark (delays_n2n.json)', () => {
  const n2n = INTERFACE_CASES.find((c) => c.id === 'n2n_delays (delays_n2n.json)');
  if (n2n === undefined) throw new Error('the n2n_delays golden case is missing from INTERFACE_CASES');
  const { trial, check } = n2n.make();
  for (const [name, run] of [
    ['interpreter', async () => runReference(trial)],
    ['cpu backend', () => runCpu(trial)],
  ] as const) {
    it(`reproduces every delayed spike on the ${name}`, async () => {
      const cmp = check(await run());
      expect(cmp.mismatches).toEqual([]);
      expect(cmp.checked).toBeGreaterThan(1000);
    });
  }
});

describe('delays: wrap-around (Spark) and the corrected ring', () => {
  const B = 4;
  const config = { max_delay: B, delays: [[1, 2, 3, 4]] };
  const steps = 10;
  const pulse = Array.from({ length: steps }, (_, t) => [
    t === 2 ? 1 : 0,
    t === 2 ? 1 : 0,
    t === 2 ? 1 : 0,
    t === 2 ? -1 : 0,
  ]);
  const arrival = (compat: typeof CORRECTED): number[] => {
    const fragment = buildN2NDelays({ prefix: 'd', dt: 1, pre: 4, units: 1, config, compat });
    const r = runReference({
      fragment,
      dt: 1,
      steps,
      inputs: { 'd.in_spikes': pulse },
      record: ['d.out_spikes'],
    });
    return [0, 1, 2, 3].map((j) => r['d.out_spikes']?.findIndex((row) => row[j] !== 0) ?? -1);
  };
  it('corrected: a delay of B steps arrives B steps later (sign kept)', () => {
    expect(arrival(CORRECTED)).toEqual([3, 4, 5, 6]);
  });
  it('Spark compatibility: a delay of B acts as a zero delay', () => {
    expect(arrival(SPARK_COMPAT)).toEqual([3, 4, 5, 2]);
  });
  it('n_delays delays each presynaptic neuron (corrected, B steps)', async () => {
    const fragment = buildNDelays({
      prefix: 'n',
      dt: 1,
      pre: 4,
      config: { max_delay: B, delays: [1, 2, 3, 4] },
      compat: CORRECTED,
    });
    const r = await runCpu({
      fragment,
      dt: 1,
      steps,
      inputs: { 'n.in_spikes': pulse },
      record: ['n.out_spikes'],
    });
    expect([0, 1, 2, 3].map((j) => r['n.out_spikes']?.findIndex((row) => row[j] !== 0))).toEqual([
      3, 4, 5, 6,
    ]);
  });
  it('the delay initializer: Spark forces d ∈ 1..B with d = 1 twice as likely; corrected is uniform over 1..B', () => {
    const n = 20000;
    const count = (d: Int32Array): number[] =>
      Array.from({ length: B + 2 }, (_, k) => d.filter((x) => x === k).length);
    const spark = count(delaysFromConfig({}, n, B, SPARK_COMPAT, 7));
    const fixed = count(delaysFromConfig({}, n, B, CORRECTED, 7));
    expect(spark[0]).toBe(0);
    expect(spark[B + 1]).toBe(0);
    // P(d=1) = 2/(B+1), P(d=k) = 1/(B+1): binomial bounds at 5 sigma.
    const within = (c: number, p: number): boolean => Math.abs(c - n * p) < 5 * Math.sqrt(n * p * (1 - p));
    expect(within(spark[1] as number, 2 / (B + 1))).toBe(true);
    for (let k = 2; k <= B; k++) expect(within(spark[k] as number, 1 / (B + 1))).toBe(true);
    expect(fixed[0]).toBe(0);
    for (let k = 1; k <= B; k++) expect(within(fixed[k] as number, 1 / B)).toBe(true);
  });
});
