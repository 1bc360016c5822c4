/**
 * The config registry entry of a custom module: its fields (Spark's shared ones, then one per
 * parameter) and its ports (the conventions of its kind).
 *
 * @module
 */
import {
  DEFAULT_FIELDS,
  defaultRegistry,
  type FieldSpec,
  floatField,
  type ModuleSpec,
  type PayloadType,
  type PortDef,
} from '@spark-snn/config';
import type { ModuleDefinition } from '@spark-snn/kernels/lang';
import type { CustomModuleKind } from './spec.ts';

/** The fields every synapse shares (`linear_synapses`' in config: seed/dtype/dt, `units`, `kernel`). */
function synapseBaseFields(): readonly FieldSpec[] {
  const base = defaultRegistry.get('linear_synapses');
  if (base === undefined) throw new RangeError('the @spark-snn/config registry lacks linear_synapses');
  return base.fields;
}

/**
 * Config fields of a custom module: Spark's seed/dtype/dt (a synapse's also `units` and `kernel`, as
 * config declares them for `linear_synapses`), then one field per parameter.
 */
export function fieldsOf(kind: CustomModuleKind, def: ModuleDefinition): FieldSpec[] {
  const fields: FieldSpec[] = [...(kind === 'synapses' ? synapseBaseFields() : DEFAULT_FIELDS)];
  for (const p of def.params) {
    if (p.name.startsWith('_') || p.internal === true) continue;
    const validators = (p.validators ?? []).flatMap((v) =>
      v === 'positive' || v === 'nonnegative' || v === 'zero_one' ? [v] : [],
    );
    fields.push(
      floatField(p.name, p.default, p.doc ?? `Parameter ${p.name}.`, {
        ...(p.unit ? { units: p.unit } : {}),
        ...(validators.length ? { validators } : {}),
        ...((p.extent ?? 'scalar') !== 'scalar' ? { allowsArray: true, allowsInit: true } : {}),
      }),
    );
  }
  return fields;
}

/** The ports of a custom module of `kind` (its definition's own for interfaces and generic modules). */
export function portsOf(kind: CustomModuleKind, def: ModuleDefinition): ModuleSpec['ports'] {
  const asPort = (name: string, payload: string, optional = false): PortDef => ({
    name,
    payload: payload as PayloadType,
    optional,
  });
  switch (kind) {
    case 'soma':
      return {
        inputs: [asPort('current', 'CurrentArray'), asPort('inhibition_mask', 'BooleanMask', true)],
        outputs: [asPort('spikes', 'SpikeArray')],
        properties: def.state.some((s) => s.name === 'potential')
          ? [asPort('potential', 'PotentialArray')]
          : [],
      };
    case 'synapses':
      return {
        inputs: [asPort('spikes', 'SpikeArray')],
        outputs: [asPort('currents', 'CurrentArray')],
        properties: [{ ...asPort('kernel', 'FloatArray'), settable: true }],
      };
    case 'plasticity':
      return {
        inputs: [
          ...def.inputs
            .filter((i) => !['pre_spikes', 'post_spikes', 'kernel'].includes(i.name))
            .map((i) => asPort(i.name, i.payload)),
          asPort('pre_spikes', 'SpikeArray'),
          asPort('post_spikes', 'SpikeArray'),
          asPort('kernel', 'FloatArray'),
        ],
        outputs: [asPort('kernel', 'FloatArray')],
        properties: [],
      };
    default:
      return {
        inputs: def.inputs.map((i) => asPort(i.name, i.payload)),
        outputs: def.outputs.map((o) => asPort(o.name, o.payload)),
        properties: [],
      };
  }
}
