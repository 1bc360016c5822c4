/**
 * Conversion rules from generic neuron modules to Xylo neurons (Rockpool's `_convert_from`):
 * `dash = log2(τ/dt)` kept unrounded until quantisation.
 *
 * @module
 */
import { diag } from '../../diagnostics.ts';
import { type ConversionRegistry, conversions } from '../../hw/conversions.ts';
import type { HwModule, HwModuleSpec } from '../../hw/graph.ts';
import type { HardwareProfile } from '../profiles.ts';

/** Context passed to the Xylo conversion rules. */
export interface XyloConversionContext {
  readonly profile: HardwareProfile;
}

function lifToXylo(kind: 'xylo.hidden' | 'xylo.output') {
  return (m: HwModule, ctx: Readonly<Record<string, unknown>>): HwModuleSpec | ReturnType<typeof diag> => {
    const profile = (ctx as unknown as XyloConversionContext).profile;
    const code = kind === 'xylo.hidden' ? 'convert_hidden_neurons' : 'convert_output_neurons';
    /** The conversion's error for this module. */
    const refuse = (message: string) => diag('error', code, m.name, message, { modules: [m.id] });
    const noDt = `Error replacing module ${m.name}: a \`dt\` is required for conversion to Xylo neurons.`;
    const nIn = m.inputs.length;
    const nOut = m.outputs.length;
    if (kind === 'xylo.hidden') {
      const ok = nIn === nOut || (nIn === 2 * nOut && profile.hiddenSynapses >= 2);
      if (!ok) {
        return refuse(
          `Error replacing module ${m.name}: Number of input nodes must be ${profile.hiddenSynapses >= 2 ? '1* or 2*' : '1*'} number of output nodes (${nIn} inputs, ${nOut} neurons).`,
        );
      }
    } else if (nIn !== nOut * profile.outputSynapses) {
      return refuse(
        `Error replacing output neuron module ${m.name}: output neurons have ${profile.outputSynapses} synapse(s); number of input nodes must equal the number of output nodes (${nIn} inputs, ${nOut} neurons).`,
      );
    }
    if (m.kind === 'lif') {
      const dt = m.dt;
      if (dt === undefined) return refuse(noDt);
      if (profile.requireTauGreaterThanDt) {
        const bad = [...m.tauMem].some((t) => t <= dt) || [...m.tauSyn].some((t) => t > 0 && t <= dt);
        if (bad)
          return refuse(
            `Error replacing module ${m.name}: all time constants must be greater than dt = ${dt}.`,
          );
      }
      return {
        kind,
        device: profile.id,
        hwIds: [],
        threshold: Float64Array.from(m.threshold),
        bias: Float64Array.from(m.bias),
        dashMem: m.tauMem.map((t) => Math.log2(t / dt)),
        dashSyn: m.tauSyn.map((t) => (t > 0 ? Math.log2(t / dt) : 0)),
        dt,
      };
    }
    // other neurons: copy the fields both kinds have, by name
    const src = m as unknown as Record<string, unknown>;
    const dt = typeof src.dt === 'number' ? src.dt : undefined;
    if (dt === undefined) return refuse(noDt);
    const copy = (k: string, n: number): Float64Array =>
      src[k] instanceof Float64Array && (src[k] as Float64Array).length === n
        ? Float64Array.from(src[k] as Float64Array)
        : new Float64Array(n);
    return {
      kind,
      device: profile.id,
      hwIds: [],
      threshold: copy('threshold', nOut),
      bias: copy('bias', nOut),
      dashMem: copy('dashMem', nOut),
      dashSyn: copy('dashSyn', nIn),
      dt,
    };
  };
}

/** Registers the Xylo rules (`lif` → `xylo.hidden`/`xylo.output`, generic `neurons` → both) on a registry. */
export function registerXyloConversions(registry: ConversionRegistry = conversions): ConversionRegistry {
  registry.register('lif', 'xylo.hidden', lifToXylo('xylo.hidden'));
  registry.register('lif', 'xylo.output', lifToXylo('xylo.output'));
  registry.register('neurons', 'xylo.hidden', lifToXylo('xylo.hidden'));
  registry.register('neurons', 'xylo.output', lifToXylo('xylo.output'));
  return registry;
}
