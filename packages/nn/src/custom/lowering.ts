/**
 * The lowering of a custom module: unit-domain kinds lower as the equation-defined modules do
 * (one `module` op); synapses and plasticity rules become library entries built by the kernels'
 * synapse and plasticity builders, lowered by the adapter the Spark modules use.
 *
 * @module
 */
import type { PayloadType } from '@spark-snn/config';
import { definedRule, definedSynapses } from '@spark-snn/kernels';
import type { ModuleDefinition } from '@spark-snn/kernels/lang';
import type { ModuleLowering } from '../compile/lowering.ts';
import { definitionLowering } from '../lowerings/definition.ts';
import { entryLowering } from '../lowerings/library.ts';
import { portsOf } from './schema.ts';
import type { CustomModuleKind } from './spec.ts';

/** The lowering of a custom module (the same mechanisms as the built-ins). */
export function customLowering(kind: CustomModuleKind, def: ModuleDefinition): ModuleLowering {
  const summary = def.doc ?? `Custom ${kind} defined by equations.`;
  switch (kind) {
    case 'synapses': {
      const ports = portsOf(kind, def);
      return entryLowering(definedSynapses(def, summary, ports), ports);
    }
    case 'plasticity': {
      const ports = portsOf(kind, def);
      return entryLowering(definedRule(def, summary, ports), ports);
    }
    case 'soma':
      return definitionLowering({
        name: def.name,
        definition: def,
        sizeFrom: 'current',
        inputs: { current: 'current' },
        outputs: { spikes: { name: 'spikes', payload: 'SpikeArray' } },
        ...(def.state.some((x) => x.name === 'potential')
          ? { properties: { potential: { state: 'potential', payload: 'PotentialArray' as const } } }
          : {}),
        signedSpikes: 'spikes',
        optionalInputs: ['inhibition_mask'],
      });
    default:
      return definitionLowering({
        name: def.name,
        definition: def,
        sizeFrom: def.inputs[0]!.name,
        inputs: Object.fromEntries(def.inputs.map((x) => [x.name, x.name])),
        outputs: Object.fromEntries(
          def.outputs.map((o) => [o.name, { name: o.name, payload: o.payload as PayloadType }]),
        ),
      });
  }
}
