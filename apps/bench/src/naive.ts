/**
 * The naive single-threaded JavaScript peer (benchmarks.md §2.5, Appendix A): the same equations as
 * the benchmark networks written once, plainly — Float32Array state, a CSR by presynaptic neuron,
 * one loop per step, its own small RNG (sfc32, not Philox: the rate gates compare means over
 * seeds, not spike trains). It is what "≥ 1× the naive JS loop" is measured against.
 *
 * @module
 */

import { clock, since, type Timing } from './measure.ts';

/** A small seeded RNG (sfc32, seeded through splitmix32; plenty for connectivity and drive). */
function rng(seed: number): () => number {
  let z = seed >>> 0;
  const mix = (): number => {
    z = (z + 0x9e3779b9) >>> 0;
    let x = z;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return (x ^ (x >>> 16)) >>> 0;
  };
  let a = mix();
  let b = mix();
  let c = mix();
  let d = 1;
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Outgoing CSR (by presynaptic neuron). */
interface Out {
  start: Int32Array;
  target: Int32Array;
}

/** Bernoulli p over all pairs (geometric skips per presynaptic row). */
function bernoulli(n: number, p: number, rand: () => number): Out {
  const start = new Int32Array(n + 1);
  const list: number[] = [];
  const lq = Math.log(1 - p);
  for (let j = 0; j < n; j++) {
    start[j] = list.length;
    let i = -1;
    for (;;) {
      i += 1 + Math.floor(Math.log(1 - rand()) / lq);
      if (i >= n) break;
      list.push(i);
    }
  }
  start[n] = list.length;
  return { start, target: Int32Array.from(list) };
}

/** Fixed in-degree with replacement, stored by presynaptic neuron. */
function fixedIn(n: number, nE: number, ce: number, ci: number, rand: () => number): Out {
  const count = new Int32Array(n + 1);
  const pre = new Int32Array(n * (ce + ci));
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < ce; m++) pre[k++] = Math.floor(rand() * nE);
    for (let m = 0; m < ci; m++) pre[k++] = nE + Math.floor(rand() * (n - nE));
  }
  for (let e = 0; e < k; e++) {
    const j = (pre[e] as number) + 1;
    count[j] = (count[j] as number) + 1;
  }
  for (let j = 0; j < n; j++) count[j + 1] = (count[j + 1] as number) + (count[j] as number);
  const fill = count.slice(0, n);
  const target = new Int32Array(k);
  const per = ce + ci;
  for (let e = 0; e < k; e++) {
    const j = pre[e] as number;
    const at = fill[j] as number;
    fill[j] = at + 1;
    target[at] = Math.floor(e / per);
  }
  return { start: count, target };
}

/** Result of a naive run. */
export interface NaiveResult {
  /** The step loop (connectivity build excluded). */
  readonly loop: Timing;
  /** Building the network. */
  readonly build: Timing;
  /** Spikes per population after 200 ms, and totals. */
  readonly rateE: number;
  readonly rateI: number;
  readonly spikes: number;
}

const DT = 0.1;

function rates(
  spE: number,
  spI: number,
  nE: number,
  nI: number,
  steps: number,
): { rateE: number; rateI: number } {
  const sec = ((steps - 2000) * DT) / 1000;
  return { rateE: spE / nE / sec, rateI: spI / nI / sec };
}

/** CUBA (§1.1), exact integration, p = 80/N. */
export function naiveCuba(n: number, steps: number, seed: number): NaiveResult {
  const t0 = clock();
  const rand = rng(seed);
  const nE = Math.round(0.8 * n);
  const g = bernoulli(n, Math.min(1, 80 / n), rand);
  const v = new Float32Array(n);
  const ge = new Float32Array(n);
  const gi = new Float32Array(n);
  const last = new Int32Array(n).fill(-1000000);
  for (let i = 0; i < n; i++) v[i] = -60 + 10 * rand();
  const spk = new Int32Array(n);
  const Em = Math.exp(-DT / 20);
  const Ee = Math.exp(-DT / 5);
  const Ei = Math.exp(-DT / 10);
  const ce = (5 / (5 - 20)) * (Ee - Em);
  const ci = (10 / (10 - 20)) * (Ei - Em);
  const build = since(t0);
  const t1 = clock();
  let spE = 0;
  let spI = 0;
  let total = 0;
  for (let t = 0; t < steps; t++) {
    let ns = 0;
    for (let i = 0; i < n; i++) {
      const refr = t - (last[i] as number) < 50;
      const e = ge[i] as number;
      const ii = gi[i] as number;
      if (!refr) v[i] = -49 + ((v[i] as number) + 49) * Em + e * ce + ii * ci;
      ge[i] = e * Ee;
      gi[i] = ii * Ei;
      if (!refr && (v[i] as number) > -50) {
        v[i] = -60;
        last[i] = t;
        spk[ns++] = i;
      }
    }
    for (let k = 0; k < ns; k++) {
      const j = spk[k] as number;
      const inh = j >= nE;
      if (t >= 2000) inh ? spI++ : spE++;
      for (let e = g.start[j] as number; e < (g.start[j + 1] as number); e++) {
        const i = g.target[e] as number;
        if (inh) gi[i] = (gi[i] as number) - 9;
        else ge[i] = (ge[i] as number) + 1.62;
      }
    }
    total += ns;
  }
  return {
    loop: since(t1),
    build,
    ...rates(spE, spI, nE, n - nE, steps),
    spikes: total,
  };
}

/** COBA variant (b) (§1.2), exponential Euler, p = 80/N. */
export function naiveCoba(n: number, steps: number, seed: number): NaiveResult {
  const t0 = clock();
  const rand = rng(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const nE = Math.round(0.8 * n);
  const g = bernoulli(n, Math.min(1, 80 / n), rand);
  const v = new Float32Array(n);
  const ge = new Float32Array(n);
  const gi = new Float32Array(n);
  const last = new Int32Array(n).fill(-1000000);
  for (let i = 0; i < n; i++) {
    v[i] = -60 + 10 * rand();
    ge[i] = Math.max(0, 4 + 1.5 * normal());
    gi[i] = Math.max(0, 20 + 12 * normal());
  }
  const spk = new Int32Array(n);
  const Ee = Math.exp(-DT / 5);
  const Ei = Math.exp(-DT / 10);
  const build = since(t0);
  const t1 = clock();
  let spE = 0;
  let spI = 0;
  let total = 0;
  for (let t = 0; t < steps; t++) {
    let ns = 0;
    for (let i = 0; i < n; i++) {
      const refr = t - (last[i] as number) < 50;
      const e = ge[i] as number;
      const ii = gi[i] as number;
      if (refr) v[i] = -60;
      else {
        const gt = 10 + e + ii;
        const vinf = (10 * -60 + e * 0 + ii * -80) / gt;
        v[i] = vinf + ((v[i] as number) - vinf) * Math.exp((-DT * gt) / 200);
      }
      ge[i] = e * Ee;
      gi[i] = ii * Ei;
      if (!refr && (v[i] as number) > -50) {
        v[i] = -60;
        last[i] = t;
        spk[ns++] = i;
      }
    }
    for (let k = 0; k < ns; k++) {
      const j = spk[k] as number;
      const inh = j >= nE;
      if (t >= 2000) inh ? spI++ : spE++;
      for (let e = g.start[j] as number; e < (g.start[j + 1] as number); e++) {
        const i = g.target[e] as number;
        if (inh) gi[i] = (gi[i] as number) + 67;
        else ge[i] = (ge[i] as number) + 6;
      }
    }
    total += ns;
  }
  return {
    loop: since(t1),
    build,
    ...rates(spE, spI, nE, n - nE, steps),
    spikes: total,
  };
}

/** Brunel model A (§1.3), g = 5, η = 2, ring buffer of 16 slots, Poisson drive by inversion. */
export function naiveBrunel(n: number, steps: number, seed: number): NaiveResult {
  const t0 = clock();
  const rand = rng(seed);
  const nE = Math.round(0.8 * n);
  const CE = Math.min(1000, nE);
  const CI = Math.min(250, n - nE);
  const J = 0.1;
  const G = 5;
  const D = 15;
  const L = D + 1;
  const g = fixedIn(n, nE, CE, CI, rand);
  const lam = 2 * ((20 / (J * CE * 20)) * CE * DT); // η · ν_thr · CE · dt with ν_thr in kHz
  const p0 = Math.exp(-lam);
  const v = new Float32Array(n);
  const ring = new Float32Array(L * n);
  const last = new Int32Array(n).fill(-1000000);
  const spk = new Int32Array(n);
  const Em = Math.exp(-DT / 20);
  const build = since(t0);
  const t1 = clock();
  let spE = 0;
  let spI = 0;
  let total = 0;
  for (let t = 0; t < steps; t++) {
    const row = (t % L) * n;
    let ns = 0;
    for (let i = 0; i < n; i++) {
      // Poisson(λ) by inversion.
      const u = rand();
      let k = 0;
      let p = p0;
      let c = p0;
      while (u >= c && k < 64) {
        k++;
        p = (p * lam) / k;
        c += p;
      }
      const input = (ring[row + i] as number) + k * J;
      ring[row + i] = 0;
      if (t - (last[i] as number) < 20) {
        v[i] = 10;
        continue;
      }
      const vi = (v[i] as number) * Em + input;
      if (vi >= 20) {
        v[i] = 10;
        last[i] = t;
        spk[ns++] = i;
      } else v[i] = vi;
    }
    const wrow = ((t + D) % L) * n;
    for (let q = 0; q < ns; q++) {
      const j = spk[q] as number;
      const w = j >= nE ? -G * J : J;
      if (t >= 2000) j >= nE ? spI++ : spE++;
      for (let e = g.start[j] as number; e < (g.start[j + 1] as number); e++) {
        const i = wrow + (g.target[e] as number);
        ring[i] = (ring[i] as number) + w;
      }
    }
    total += ns;
  }
  return {
    loop: since(t1),
    build,
    ...rates(spE, spI, nE, n - nE, steps),
    spikes: total,
  };
}

/** The W4a layer for {@link naiveDense}: weights and the `leaky_soma` parameters (Spark's defaults). */
export interface NaiveDenseLayer {
  /** Neurons (inputs = outputs = n). */
  readonly n: number;
  /** Row-major `[post][pre]` kernel, n × n. */
  readonly weights: Float32Array;
  /** Value of every input element, every step. */
  readonly input: Float32Array;
  /** Step (ms). */
  readonly dt: number;
  /** Membrane time constant (ms). */
  readonly tau: number;
  /** Resistance (GΩ; GΩ · pA = mV). */
  readonly resistance: number;
  /** Threshold minus rest (mV): a spike when v > this, v is rebased so that rest is 0. */
  readonly threshold: number;
  /** Reset minus rest (mV). */
  readonly reset: number;
}

/** Result of {@link naiveDense}. */
export interface NaiveDenseResult {
  /** Seconds of the step loop. */
  readonly seconds: number;
  /** Spikes of each neuron over the run. */
  readonly counts: Int32Array;
}

/**
 * W4a (benchmarks.md §1.5) written plainly: each step the leaky soma `v = d·v + (1 − d)·R·I` with
 * `d = exp(−dt/τ)` on the previous step's current (the Brain's one-step module latency), a spike when
 * `v > threshold`, reset; then `I = W·x` (a double loop, f64 sum, f32 store). Float32Array state,
 * one thread, no skipping of zero inputs.
 */
export function naiveDense(layer: NaiveDenseLayer, steps: number): NaiveDenseResult {
  const { n, weights: w, input: x } = layer;
  const decay = Math.fround(Math.exp(-layer.dt / layer.tau));
  const gain = Math.fround((1 - Math.exp(-layer.dt / layer.tau)) * Math.fround(layer.resistance));
  const current = new Float32Array(n);
  const v = new Float32Array(n);
  const counts = new Int32Array(n);
  const t0 = performance.now();
  for (let t = 0; t < steps; t++) {
    // The soma reads the current of the previous step (a Brain module reads its inputs' previous
    // outputs), so it runs before the layer: step 0 sees no current.
    for (let i = 0; i < n; i++) {
      const u = decay * (v[i] as number) + gain * (current[i] as number);
      if (u > layer.threshold) {
        v[i] = layer.reset;
        counts[i] = (counts[i] as number) + 1;
      } else v[i] = u;
    }
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let acc = 0;
      for (let j = 0; j < n; j++) acc += (w[row + j] as number) * (x[j] as number);
      current[i] = acc;
    }
  }
  return { seconds: (performance.now() - t0) / 1000, counts };
}
