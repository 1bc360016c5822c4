/**
 * PyNN network → a standalone, readable Python script: `import pyNN.<simulator> as sim` chosen by
 * `--simulator` at run time, one block per Population and per Projection with the mapping written
 * as comments, spike recorders (and `--record-v`), a run and a rate printout (`--results` as JSON).
 *
 * @module
 */
import type {
  PyNNConnector,
  PyNNDiagnostic,
  PyNNNetwork,
  PyNNPopulation,
  PyNNProjection,
  PyNNSide,
  PyValue,
  Simulator,
} from './types.ts';
import { SIMULATORS } from './types.ts';

/** Options of {@link writeScript}. */
export interface ScriptOptions {
  readonly diagnostics: readonly PyNNDiagnostic[];
  /** npz file beside the script, when the network needs one. */
  readonly npzName?: string | undefined;
  readonly source?: string | undefined;
  /** Default `--duration` (ms). */
  readonly duration: number;
  /** The connectivity is the Brain's exact edges. */
  readonly explicit: boolean;
  /** Default of the script's `--simulator` (default `nest`). */
  readonly simulator?: Simulator | undefined;
}

/** A Python float literal. */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  // 15 significant digits: 1.62 / 20 prints as 0.081, not 0.08100000000000002
  const s = String(Number(x.toPrecision(15)));
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** A Python string literal (double quotes). */
export function pyString(s: string): string {
  return JSON.stringify(s);
}

function pyValue(v: PyValue): string {
  switch (v.kind) {
    case 'scalar':
      return pyFloat(v.value);
    case 'uniform':
      return `RandomDistribution("uniform", low=${pyFloat(v.low)}, high=${pyFloat(v.high)}, rng=rng)`;
    case 'array':
      return v.key !== undefined
        ? `data[${pyString(v.key)}]`
        : `np.array([${Array.from(v.values, pyFloat).join(', ')}])`;
  }
}

function sideExpr(s: PyNNSide, pops: ReadonlyMap<string, PyNNPopulation>): string {
  const pop = pops.get(s.population)!;
  return s.start === 0 && s.stop === pop.size ? s.population : `${s.population}[${s.start}:${s.stop}]`;
}

function sideLabel(s: PyNNSide, pops: ReadonlyMap<string, PyNNPopulation>): string {
  const pop = pops.get(s.population)!;
  return s.start === 0 && s.stop === pop.size ? pop.module : `${pop.module}[${s.start}:${s.stop}]`;
}

function connectorExpr(c: PyNNConnector): string {
  switch (c.kind) {
    case 'fixed_probability':
      return `sim.FixedProbabilityConnector(${pyFloat(c.p)}, allow_self_connections=True, rng=rng)`;
    case 'fixed_number_pre':
      return `sim.FixedNumberPreConnector(${c.n}, with_replacement=True, allow_self_connections=True, rng=rng)`;
    case 'one_to_one':
      return 'sim.OneToOneConnector()';
    case 'from_list': {
      const cols = [`data["${c.key}_pre"]`, `data["${c.key}_post"]`];
      const names: string[] = [];
      if (c.weights) {
        cols.push(`data["${c.key}_weight"]`);
        names.push('"weight"');
      }
      if (c.delays) {
        cols.push(`data["${c.key}_delay"]`);
        names.push('"delay"');
      }
      return `sim.FromListConnector(np.column_stack((${cols.join(', ')}))${names.length > 0 ? `, column_names=[${names.join(', ')}]` : ''})`;
    }
  }
}

function comment(lines: readonly string[], indent = ''): string[] {
  return lines.map((l) => `${indent}# ${l}`.trimEnd());
}

function population(p: PyNNPopulation): string[] {
  const head = `${p.id}: ${p.path}, ${p.moduleClass}, ${p.size} cells -> ${p.cell}`;
  const params = Object.entries(p.params).map(([k, v]) => `    ${k}=${pyValue(v)},`);
  const out = [
    ...comment([head, ...p.notes.map((n) => `  ${n}`)]),
    `${p.id} = sim.Population(${p.size}, sim.${p.cell}(`,
    ...params,
    `), label=${pyString(p.module)})`,
  ];
  const init = Object.entries(p.initial);
  if (init.length > 0)
    out.push(`${p.id}.initialize(${init.map(([k, v]) => `${k}=${pyValue(v)}`).join(', ')})`);
  return out;
}

function projection(p: PyNNProjection, pops: ReadonlyMap<string, PyNNPopulation>): string[] {
  const connector = connectorExpr(p.connector);
  const perEdge = p.connector.kind === 'from_list' ? p.connector : undefined;
  const synapseArgs = [
    ...(perEdge?.weights ? [] : [`weight=${pyFloat(p.weight)}`]),
    ...(perEdge?.delays ? [] : [`delay=${pyFloat(p.delay)}`]),
  ];
  const synapse = `sim.StaticSynapse(${synapseArgs.join(', ')})`;
  const edges = p.connector.kind === 'from_list' ? ` (${p.connector.pre.length} edges, the Brain's own)` : '';
  return [
    ...comment([
      `${p.id}: ${p.path}, ${sideLabel(p.pre, pops)} -> ${sideLabel(p.post, pops)}, ${p.receptor}${edges}`,
      ...p.notes.map((n) => `  ${n}`),
    ]),
    `${p.id} = sim.Projection(`,
    `    ${sideExpr(p.pre, pops)}, ${sideExpr(p.post, pops)},`,
    `    ${connector},`,
    `    ${synapse},`,
    `    receptor_type=${pyString(p.receptor)}, label=${pyString(p.id)})`,
  ];
}

/**
 * pyNN.brian2 0.10.1 connects one target cell at a time and sets every synapse's weight and delay
 * one by one in Python (Brian2 2.5.1: about 1 ms per synapse, minutes for CUBA's 320,000). The
 * script collects the same (source, target, values) triples and creates them with one
 * `Synapses.connect` per projection, setting the values in the order the synapses are created and
 * rounding delays to the step as PyNN does. Checked edge for edge against PyNN's own path
 * (`--brian2-unbatched`) by the package's tests.
 */
const BRIAN2_BATCH: readonly string[] = [
  'if args.simulator == "brian2" and not args.brian2_unbatched:',
  "    # pyNN.brian2 0.10 creates synapses one target at a time and sets each synapse's weight and",
  '    # delay one by one in Python (minutes for 300,000 synapses). Same connections and values,',
  "    # one Synapses.connect per projection (--brian2-unbatched runs PyNN's own path).",
  '    _pynn_init = sim.Projection.__init__',
  '',
  '    def _collect(self, presynaptic_indices, postsynaptic_index, **parameters):',
  '        self._pending.append((presynaptic_indices, postsynaptic_index, parameters))',
  '',
  '    def _batched_init(self, *args_, **kwargs):',
  '        self._pending = []',
  '        _pynn_init(self, *args_, **kwargs)',
  '        pending, self._pending = self._pending, []',
  '        if not pending:',
  '            return',
  '        synapses = self._brian2_synapses[0][0]',
  '        step = self._simulator.state.dt * 1e-3  # s',
  '        sources, targets, values = [], [], {}',
  '        for pre, post, parameters in pending:',
  '            i = np.asarray(self._partition(np.asarray(pre))[0], dtype=np.int64)',
  '            sources.append(i)',
  '            targets.append(np.full(i.size, self._localize_index(post)[1], dtype=np.int64))',
  '            parameters = dict(parameters, **self.synapse_type.initial_conditions)',
  '            parameters.pop("dendritic_delay_fraction", None)',
  '            for name, value in parameters.items():  # SI base units',
  '                values.setdefault(name, []).append(np.broadcast_to(np.asarray(value, dtype=float), (i.size,)))',
  '        i, j = np.concatenate(sources), np.concatenate(targets)',
  '        start = len(synapses)',
  '        synapses.connect(i=i, j=j)',
  '        for name, parts in values.items():',
  '            v = np.concatenate(parts)',
  '            if name == "delay":',
  '                v = np.round(v / step) * step  # PyNN rounds delays to the nearest step',
  '            getattr(synapses, name + "_")[start:start + i.size] = v',
  '        self._n_connections += i.size',
  '',
  '    sim.Projection.__init__ = _batched_init',
  '    sim.Projection._convergent_connect = _collect',
];

/** The script of a network. */
export function writeScript(net: PyNNNetwork, o: ScriptOptions): string {
  const pops = new Map(net.populations.map((p) => [p.id, p]));
  const name = o.source ?? 'a spark-snn model';
  const recorded = net.populations.filter((p) => p.record);
  const errors = o.diagnostics.filter((d) => d.severity === 'error');
  const maxDelay = Math.max(
    net.dt,
    ...net.projections.map((p) =>
      p.connector.kind === 'from_list' && p.connector.delays
        ? Math.max(p.delay, ...p.connector.delays)
        : p.delay,
    ),
  );
  const L: string[] = [];
  L.push('#!/usr/bin/env python3');
  L.push(`"""PyNN 0.10 script for ${name.replace(/"/g, "'")}, written by spark-snn (@spark-snn/pynn).`);
  L.push('');
  L.push(
    `Populations: ${net.populations.map((p) => `${p.module} (${p.size} x ${p.cell})`).join(', ') || 'none'}`,
  );
  L.push(`Projections: ${net.projections.length}${o.explicit ? " (the Brain's exact connectivity)" : ''}`);
  L.push('');
  L.push('Run it with any PyNN backend:');
  L.push(`    python3 SCRIPT.py --simulator ${SIMULATORS.join('|')} [--duration MS] [--warmup MS]`);
  L.push('                      [--record-v] [--save FILE.npz] [--results FILE.json] [--allow-approximate]');
  L.push('                      [--save-connections FILE.npz] [--brian2-unbatched]');
  L.push('"""');
  if (o.diagnostics.length > 0) {
    L.push('');
    L.push('# Diagnostics of the export (nothing here is approximated silently):');
    for (const d of o.diagnostics)
      L.push(
        `#   ${d.severity} ${d.path || '(model)'}: ${d.message}${d.severity === 'error' ? ' [NOT EXPORTED]' : ''}`,
      );
    if (errors.length > 0)
      L.push('# The network below is PARTIAL: the modules marked NOT EXPORTED are missing from it.');
  }
  L.push('');
  L.push('import argparse');
  L.push('import importlib');
  L.push('import json');
  L.push('import os');
  L.push('import sys');
  L.push('import time');
  L.push('');
  L.push('import numpy as np');
  L.push('');
  L.push(`DT = ${pyFloat(net.dt)}  # ms, the Brain's step`);
  L.push(`SEED = ${net.seed}  # the Brain's seed (default of --seed)`);
  L.push('');
  L.push('parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])');
  L.push(
    `parser.add_argument("--simulator", choices=[${SIMULATORS.map(pyString).join(', ')}], default=${pyString(o.simulator ?? 'nest')}, help="PyNN backend: pyNN.<simulator>")`,
  );
  L.push(
    `parser.add_argument("--duration", type=float, default=${pyFloat(o.duration)}, help="simulated time (ms)")`,
  );
  L.push(
    'parser.add_argument("--warmup", type=float, default=0.0, help="initial time left out of the rates (ms)")',
  );
  L.push('parser.add_argument("--seed", type=int, default=SEED, help="seed of PyNN\'s random numbers")');
  L.push(
    'parser.add_argument("--record-v", action="store_true", help="also record the membrane potentials")',
  );
  L.push('parser.add_argument("--save", metavar="FILE.npz", help="write the spikes (and v) to FILE.npz")');
  L.push(
    'parser.add_argument("--results", metavar="FILE.json", help="write the rates and timings to FILE.json")',
  );
  L.push(
    'parser.add_argument("--save-connections", metavar="FILE.npz", help="write every connection (pre, post, weight, delay) to FILE.npz")',
  );
  L.push(
    'parser.add_argument("--allow-approximate", action="store_true", help="run where the chosen simulator only approximates a model")',
  );
  L.push(
    'parser.add_argument("--brian2-unbatched", action="store_true", help="brian2: let pyNN.brian2 create the synapses one by one (slow)")',
  );
  L.push('args = parser.parse_args()');
  L.push('');
  L.push('# What a simulator cannot run exactly, by population: (level, reason).');
  L.push('LIMITS = {');
  for (const p of net.populations) {
    if (p.limits.length === 0) continue;
    L.push(`    ${pyString(p.id)}: {`);
    for (const l of p.limits)
      L.push(`        ${pyString(l.simulator)}: (${pyString(l.level)}, ${pyString(l.reason)}),`);
    L.push('    },');
  }
  L.push('}');
  L.push('refused = False');
  L.push('for population, limits in LIMITS.items():');
  L.push('    level, reason = limits.get(args.simulator, (None, None))');
  L.push('    if level is None:');
  L.push('        continue');
  L.push('    print(f"{population}: {level} on {args.simulator}: {reason}", file=sys.stderr)');
  L.push('    refused = refused or level == "unavailable" or not args.allow_approximate');
  L.push('if refused:');
  L.push(
    '    print("not run: --allow-approximate runs the approximate models anyway; unavailable ones cannot run", file=sys.stderr)',
  );
  L.push('    sys.exit(3)');
  L.push('');
  L.push('sim = importlib.import_module("pyNN." + args.simulator)');
  L.push('from pyNN.random import NumpyRNG, RandomDistribution  # noqa: E402');
  L.push('');
  L.push(...BRIAN2_BATCH);
  L.push('');
  L.push('started, started_cpu = time.time(), time.process_time()');
  L.push(
    `sim.setup(timestep=DT)  # PyNN's minimum delay is one dt; the largest delay here is ${pyFloat(maxDelay)} ms`,
  );
  L.push('rng = NumpyRNG(seed=args.seed)');
  if (o.npzName)
    L.push(
      `data = np.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), ${pyString(o.npzName)}))`,
    );
  L.push('');
  L.push('# Populations ----------------------------------------------------------------');
  for (const p of net.populations) {
    L.push('');
    L.push(...population(p));
  }
  L.push('');
  L.push('# Projections ----------------------------------------------------------------');
  L.push('# Latency: in the Brain every module->module edge takes one step, so a spike of step s reaches');
  L.push('# the soma behind a synapse module at step s + L, L = 2 + delay/dt. PyNN delivers a spike with a');
  L.push(
    "# delay of k*dt at step s + k, after that step's update: a soma that integrates its input over the",
  );
  L.push('# step it reads it (current/conductance jumps) needs k = L - 1, a voltage jump (delta) k = L.');
  for (const p of net.projections) {
    L.push('');
    L.push(...projection(p, pops));
  }
  L.push('');
  L.push('# Recording and run -----------------------------------------------------------');
  L.push(`RECORDED = {${recorded.map((p) => `${pyString(p.module)}: ${p.id}`).join(', ')}}`);
  L.push(`PROJECTIONS = [${net.projections.map((p) => p.id).join(', ')}]`);
  L.push('SLICES = {');
  for (const s of net.slices)
    L.push(
      `    ${pyString(sideLabel(s, pops))}: (${pyString(pops.get(s.population)!.module)}, ${s.start}, ${s.stop}),`,
    );
  L.push('}');
  L.push('for pop in RECORDED.values():');
  L.push('    pop.record(["spikes", "v"] if args.record_v else "spikes")');
  L.push('built, built_cpu = time.time(), time.process_time()');
  L.push('if args.save_connections:  # after the build timing: PyNN reads connections slowly');
  L.push('    table = {}');
  L.push('    for p in PROJECTIONS:');
  L.push('        c = np.array(p.get(["weight", "delay"], format="list"), dtype=float).reshape(-1, 4)');
  L.push('        for k, column in enumerate(("pre", "post", "weight", "delay")):');
  L.push('            table[p.label + "_" + column] = c[:, k]');
  L.push('    np.savez(args.save_connections, **table)');
  L.push('run_started, run_started_cpu = time.time(), time.process_time()');
  L.push('sim.run(args.duration)');
  L.push('finished, finished_cpu = time.time(), time.process_time()');
  L.push('');
  L.push('window = (args.duration - args.warmup) / 1000.0  # s');
  L.push('counts, saved = {}, {}');
  L.push('for name, pop in RECORDED.items():');
  L.push('    segment = pop.get_data().segments[0]');
  L.push('    c = np.zeros(pop.size)');
  L.push('    times, senders = [], []');
  L.push('    for k, train in enumerate(segment.spiketrains):');
  L.push('        index = int(train.annotations.get("source_index", k))');
  L.push('        t = np.asarray(train.rescale("ms").magnitude)');
  L.push('        c[index] = np.count_nonzero(t >= args.warmup)');
  L.push('        times.append(t)');
  L.push('        senders.append(np.full(t.size, index))');
  L.push('    counts[name] = c');
  L.push('    if args.save:');
  L.push('        saved[name + "_spike_times"] = np.concatenate(times) if times else np.zeros(0)');
  L.push('        saved[name + "_spike_senders"] = np.concatenate(senders) if senders else np.zeros(0)');
  L.push('        if args.record_v:');
  L.push('            for signal in segment.analogsignals:');
  L.push('                if signal.name == "v":');
  L.push('                    saved[name + "_v"] = np.asarray(signal.rescale("mV").magnitude)');
  L.push('');
  L.push('rates = {}');
  L.push('for name, c in counts.items():');
  L.push(
    '    rates[name] = {"cells": int(c.size), "spikes": int(c.sum()), "rate_hz": float(c.mean() / window)}',
  );
  L.push('for label, (name, a, b) in SLICES.items():');
  L.push('    c = counts[name][a:b]');
  L.push(
    '    rates[label] = {"cells": int(c.size), "spikes": int(c.sum()), "rate_hz": float(c.mean() / window)}',
  );
  L.push('for label, r in rates.items():');
  L.push("    print(f\"{label}: {r['rate_hz']:.3f} Hz ({r['cells']} cells, {r['spikes']} spikes)\")");
  L.push(
    'print(f"{args.simulator}: {args.duration:g} ms simulated; build {built - started:.1f} s (cpu {built_cpu - started_cpu:.1f} s), run {finished - run_started:.1f} s (cpu {finished_cpu - run_started_cpu:.1f} s)")',
  );
  L.push('if args.save:');
  L.push('    np.savez(args.save, **saved)');
  L.push('if args.results:');
  L.push('    with open(args.results, "w") as f:');
  L.push('        json.dump({');
  L.push('            "simulator": args.simulator, "dt_ms": DT, "duration_ms": args.duration,');
  L.push('            "warmup_ms": args.warmup, "seed": args.seed, "build_s": built - started,');
  L.push('            "run_s": finished - run_started, "build_cpu_s": built_cpu - started_cpu,');
  L.push('            "run_cpu_s": finished_cpu - run_started_cpu, "rates": rates,');
  L.push('            "connections": {p.label: len(p) for p in PROJECTIONS},');
  L.push('        }, f, indent=2)');
  L.push('sim.end()');
  L.push('');
  return L.join('\n');
}
