/**
 * Design-rule checks. Every rule inspects the whole graph and returns diagnostics; {@link runDrc}
 * runs all of them (Rockpool stops at the first error) and `ok` means "no errors".
 * Rule ids are Rockpool's rule names where one exists (§2.3), plus the checks Rockpool leaves out (§4.4).
 *
 * @module
 */

import type { HardwareProfile } from '../devices/profiles.ts';
import { type Diagnostic, diag } from '../diagnostics.ts';
import {
  bag,
  findRecurrent,
  getModule,
  type HwGraph,
  type HwModule,
  isNeurons,
  sinksOf,
  sourcesOf,
} from '../hw/graph.ts';

/** A design rule: whole graph in, diagnostics out. */
export interface DrcRule {
  /** Rule id (used as the diagnostic code). */
  readonly id: string;
  readonly check: (g: HwGraph, profile: HardwareProfile) => Diagnostic[];
}

const err = (rule: string, m: HwModule | undefined, message: string, hint?: string): Diagnostic =>
  diag('error', rule, m?.name ?? '', message, { hint, modules: m ? [m.id] : undefined });
const warn = (rule: string, m: HwModule | undefined, message: string, hint?: string): Diagnostic =>
  diag('warning', rule, m?.name ?? '', message, { hint, modules: m ? [m.id] : undefined });

function modules(g: HwGraph): HwModule[] {
  return bag(g, undefined, 'rockpool').modules.map((id) => getModule(g, id));
}

function dtOf(m: HwModule): number | undefined {
  return 'dt' in m ? m.dt : undefined;
}

/** Neuron modules writing the graph's output channels. */
export function outputNeurons(g: HwGraph): HwModule[] {
  return sourcesOf(g, g.outputs).filter(isNeurons);
}

/** The weight modules reading the graph's input channels. */
export function inputWeights(g: HwGraph): HwModule[] {
  return sinksOf(g, g.inputs).filter((m) => m.kind === 'linear');
}

/** Synapses per neuron of a neuron module. */
export function synapsesOf(m: HwModule): number {
  return m.outputs.length === 0 ? 0 : m.inputs.length / m.outputs.length;
}

/** Rockpool's twelve XyloAudio 2 rules, profile-driven thresholds. */
export const ROCKPOOL_RULES: readonly DrcRule[] = [
  {
    id: 'output_nodes_have_neurons_as_source',
    check: (g) =>
      sourcesOf(g, g.outputs)
        .filter((m) => !isNeurons(m))
        .map((m) =>
          err(
            'output_nodes_have_neurons_as_source',
            m,
            'All network outputs must be directly from neurons.',
            'end the network with a neuron layer',
          ),
        ),
  },
  {
    id: 'input_to_neurons_is_a_weight',
    check: (g) =>
      modules(g)
        .filter(isNeurons)
        .flatMap((n) =>
          sourcesOf(g, n.inputs)
            .filter((s) => s.kind !== 'linear')
            .map((s) =>
              err(
                'input_to_neurons_is_a_weight',
                n,
                `All neurons must receive inputs only from weight nodes (${n.name} is fed by ${s.kind} ${s.name}).`,
              ),
            ),
        ),
  },
  {
    id: 'first_module_is_a_weight',
    check: (g) =>
      sinksOf(g, g.inputs)
        .filter((m) => m.kind !== 'linear')
        .map((m) =>
          err(
            'first_module_is_a_weight',
            m,
            'The network input must go first through a weight.',
            'start the network with a linear layer',
          ),
        ),
  },
  {
    id: 'le_16_input_channels',
    check: (g, p) =>
      g.inputs.length > p.warnInputsAbove
        ? [
            warn(
              `le_${p.warnInputsAbove}_input_channels`,
              undefined,
              `The network has ${g.inputs.length} input channels; ${p.name} supports ${p.warnInputsAbove}.`,
            ),
          ]
        : [],
  },
  {
    id: 'le_8_output_channels',
    check: (g, p) =>
      g.outputs.length > p.warnOutputsAbove
        ? [
            warn(
              `le_${p.warnOutputsAbove}_output_channels`,
              undefined,
              `The network has ${g.outputs.length} output channels; ${p.name} supports ${p.warnOutputsAbove}.`,
            ),
          ]
        : [],
  },
  {
    id: 'all_neurons_have_same_dt',
    check: (g) => {
      const ns = modules(g).filter(isNeurons);
      const dts = ns.map(dtOf).filter((d): d is number => d !== undefined);
      if (dts.length === 0)
        return [
          err(
            'all_neurons_have_same_dt',
            undefined,
            'The network must specify a `dt` for at least one neuron module.',
          ),
        ];
      const d0 = dts[0]!;
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
      return ns
        .filter((n) => dtOf(n) !== undefined && !close(dtOf(n)!, d0))
        .map((n) =>
          err(
            'all_neurons_have_same_dt',
            n,
            `All neurons in the network must share a common \`dt\` (${n.name} has ${dtOf(n)}, expected ${d0}).`,
          ),
        );
    },
  },
  {
    id: 'output_neurons_cannot_be_recurrent',
    check: (g) => {
      const rec = new Set(findRecurrent(g).recurrent);
      return outputNeurons(g)
        .filter((m) => rec.has(m.id))
        .map((m) => err('output_neurons_cannot_be_recurrent', m, 'Output neurons may not be recurrent.'));
    },
  },
  {
    id: 'no_consecutive_weights',
    check: (g) =>
      modules(g)
        .filter((m) => m.kind === 'linear')
        .filter(
          (m) =>
            sourcesOf(g, m.inputs).some((s) => s.kind === 'linear') ||
            sinksOf(g, m.outputs).some((s) => s.kind === 'linear'),
        )
        .map((m) =>
          err(
            'no_consecutive_weights',
            m,
            'Inputs/Outputs of linear weights may not be linear weights.',
            'merge consecutive weight matrices',
          ),
        ),
  },
  {
    id: 'alias_inputs_must_be_neurons',
    check: (g) =>
      modules(g)
        .filter((m) => m.kind === 'alias')
        .filter((a) => sourcesOf(g, a.inputs).some((s) => !isNeurons(s) && s.kind !== 'alias'))
        .map((a) => err('alias_inputs_must_be_neurons', a, 'The inputs of an alias must come from neurons.')),
  },
  {
    id: 'alias_output_nodes_must_have_neurons_as_input',
    check: (g) =>
      modules(g)
        .filter((m) => m.kind === 'alias')
        .filter((a) => sourcesOf(g, a.outputs).some((s) => !isNeurons(s) && s.kind !== 'alias'))
        .map((a) =>
          err(
            'alias_output_nodes_must_have_neurons_as_input',
            a,
            'The outputs of an alias must be neuron outputs.',
          ),
        ),
  },
  {
    id: 'at_least_two_neuron_layers_needed',
    check: (g) =>
      modules(g).filter(isNeurons).length < 2
        ? [
            err(
              'at_least_two_neuron_layers_needed',
              undefined,
              'At least two layers of neurons are required (hidden and readout).',
            ),
          ]
        : [],
  },
  {
    id: 'weight_nodes_have_no_biases',
    check: (g) =>
      modules(g)
        .filter((m) => m.kind === 'linear' && m.bias !== undefined)
        .map((m) =>
          warn(
            'weight_nodes_have_no_biases',
            m,
            'Bias parameters of LinearWeights modules are *not* transferred to Xylo.',
            'use neuron biases instead',
          ),
        ),
  },
];

/** XyloIMU's extra rule, profile-driven. */
export const MAX_SYNAPSES_RULE: DrcRule = {
  id: 'max_synapses_per_neuron',
  check: (g, p) =>
    modules(g)
      .filter(isNeurons)
      .filter((m) => synapsesOf(m) > p.hiddenSynapses)
      .map((m) =>
        err(
          'max_synapses_per_neuron',
          m,
          `Neurons may only have ${p.hiddenSynapses} synapse(s) per neuron for this device (${m.name} has ${synapsesOf(m)}).`,
        ),
      ),
};

/** Checks Rockpool leaves to samna or to crashes (graph-reference §4.4). */
export const EXTRA_RULES: readonly DrcRule[] = [
  {
    id: 'single_input_weight_module',
    check: (g) => {
      const w = inputWeights(g);
      return w.length > 1
        ? [
            err(
              'single_input_weight_module',
              w[1],
              `Only one input weight module is supported (found ${w.map((m) => m.name).join(', ')}).`,
              'merge the input weight matrices',
            ),
          ]
        : [];
    },
  },
  {
    id: 'max_alias_targets',
    check: (g, p) => {
      const count = new Map<string, number>();
      const out: Diagnostic[] = [];
      for (const a of modules(g).filter((m) => m.kind === 'alias')) {
        for (const s of sourcesOf(g, a.inputs).filter(isNeurons)) count.set(s.id, (count.get(s.id) ?? 0) + 1);
        // alias chains: the alias target is itself aliased elsewhere
        if (sourcesOf(g, a.inputs).some((s) => s.kind === 'alias'))
          out.push(err('max_alias_targets', a, 'Alias chains are not supported.'));
      }
      for (const [id, n] of count) {
        if (n > p.maxAliasTargets)
          out.push(
            err(
              'max_alias_targets',
              getModule(g, id),
              `${n} alias targets; ${p.name} supports ${p.maxAliasTargets} per hidden neuron.`,
            ),
          );
      }
      return out;
    },
  },
  {
    id: 'tau_greater_than_dt',
    check: (g, p) => {
      if (!p.requireTauGreaterThanDt) return [];
      const out: Diagnostic[] = [];
      for (const m of modules(g)) {
        if (m.kind !== 'lif' || m.dt === undefined) continue;
        const dt = m.dt;
        const bad = [...m.tauMem].some((t) => t <= dt) || [...m.tauSyn].some((t) => t > 0 && t <= dt);
        if (bad)
          out.push(
            err(
              'tau_greater_than_dt',
              m,
              `Every time constant must be greater than dt = ${dt} on ${p.name}.`,
            ),
          );
      }
      return out;
    },
  },
  {
    id: 'synapses_per_neuron',
    check: (g, p) => {
      const outs = new Set(outputNeurons(g).map((m) => m.id));
      const out: Diagnostic[] = [];
      for (const m of modules(g).filter(isNeurons)) {
        const S = synapsesOf(m);
        const max = outs.has(m.id) ? p.outputSynapses : p.hiddenSynapses;
        if (!Number.isInteger(S) || S > max) {
          out.push(
            err(
              'synapses_per_neuron',
              m,
              `${m.name} has ${S} synapses per neuron; ${outs.has(m.id) ? 'output' : 'hidden'} neurons of ${p.name} have ${max}.`,
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'le_128_input_expansion_neurons',
    check: (g, p) => {
      if (p.ienWindow === null) return [];
      const ien = sinksOf(
        g,
        inputWeights(g).flatMap((w) => w.outputs),
      ).filter(isNeurons);
      const n = ien.reduce((a, m) => a + m.outputs.length, 0);
      return n > p.ienWindow
        ? [
            err(
              'le_128_input_expansion_neurons',
              ien[0],
              `${n} neurons receive network input; ${p.name} connects inputs to the first ${p.ienWindow} hidden neurons only.`,
            ),
          ]
        : [];
    },
  },
  {
    id: 'le_128_output_expansion_neurons',
    check: (g, p) => {
      if (p.oenWindow === null) return [];
      const outW = sourcesOf(
        g,
        outputNeurons(g).flatMap((m) => m.inputs),
      ).filter((m) => m.kind === 'linear');
      const oen = sourcesOf(
        g,
        outW.flatMap((w) => w.inputs),
      ).filter(isNeurons);
      const n = oen.reduce((a, m) => a + m.outputs.length, 0);
      return n > p.oenWindow
        ? [
            err(
              'le_128_output_expansion_neurons',
              oen[0],
              `${n} neurons drive the readout; ${p.name} reads out from the last ${p.oenWindow} hidden neurons only.`,
            ),
          ]
        : [];
    },
  },
];

/** The rules that apply to a profile: Rockpool's, the synapse rule for single-synapse devices, and the extras. */
export function rulesFor(profile: HardwareProfile): DrcRule[] {
  return [...ROCKPOOL_RULES, ...(profile.hiddenSynapses === 1 ? [MAX_SYNAPSES_RULE] : []), ...EXTRA_RULES];
}

/** Options of {@link runDrc}. */
export interface DrcOptions {
  /** Rules to run (default {@link rulesFor}(profile)). */
  rules?: readonly DrcRule[];
  /** Treat warnings as errors (Rockpool's warnings-as-errors behaviour). */
  warningsAsErrors?: boolean;
}

/** Runs every rule and collects all diagnostics; `ok` = no errors. A rule that throws becomes an error diagnostic. */
export function runDrc(
  g: HwGraph,
  profile: HardwareProfile,
  options: DrcOptions = {},
): { ok: boolean; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  for (const rule of options.rules ?? rulesFor(profile)) {
    try {
      diagnostics.push(...rule.check(g, profile));
    } catch (e) {
      diagnostics.push(diag('error', rule.id, '', `rule failed: ${(e as Error).message}`));
    }
  }
  const out = options.warningsAsErrors
    ? diagnostics.map((d) => (d.severity === 'warning' ? { ...d, severity: 'error' as const } : d))
    : diagnostics;
  return { ok: !out.some((d) => d.severity === 'error'), diagnostics: out };
}
