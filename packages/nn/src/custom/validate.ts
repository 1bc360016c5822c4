/**
 * Checking a custom module's declaration: its name and kind, its definition (parsed and checked by
 * the kernels language), and the ports its kind requires.
 *
 * @module
 */
import {
  checkDefinition,
  DefinitionError,
  type ModuleDefinition,
  ParseError,
  parseDefinition,
} from '@spark-snn/kernels/lang';
import {
  CustomModuleError,
  type CustomModuleKind,
  type CustomModuleSpec,
  FORBIDDEN,
  NAME_RE,
} from './spec.ts';

/** The port conventions of each kind (checked when a module is defined). */
interface KindRules {
  readonly domain: 'unit' | 'synapse';
  readonly needInputs: readonly string[];
  readonly needOutputs: readonly string[];
}
const RULES: Record<CustomModuleKind, KindRules> = {
  soma: { domain: 'unit', needInputs: ['current'], needOutputs: ['spikes'] },
  interface: { domain: 'unit', needInputs: [], needOutputs: [] },
  generic: { domain: 'unit', needInputs: [], needOutputs: [] },
  synapses: { domain: 'synapse', needInputs: ['spikes', 'kernel'], needOutputs: ['current'] },
  plasticity: {
    domain: 'synapse',
    needInputs: ['pre_spikes', 'post_spikes', 'kernel'],
    needOutputs: ['updated_kernel'],
  },
};

/** Parses and validates a definition, or throws a {@link CustomModuleError} naming the problem. */
export function validateDefinition(spec: CustomModuleSpec): ModuleDefinition {
  if (typeof spec !== 'object' || spec === null) throw new CustomModuleError('module', 'must be an object');
  if (typeof spec.name !== 'string' || !NAME_RE.test(spec.name) || FORBIDDEN.has(spec.name)) {
    throw new CustomModuleError(
      'name',
      `must be snake_case (a-z, 0-9, _; at most 64 characters), got ${JSON.stringify(spec.name)}`,
    );
  }
  if (!(spec.kind in RULES) || !Object.hasOwn(RULES, spec.kind)) {
    throw new CustomModuleError(
      `${spec.name}.kind`,
      `must be one of ${Object.keys(RULES).join(', ')}, got ${JSON.stringify(spec.kind)}`,
    );
  }
  let def: ModuleDefinition;
  try {
    def = typeof spec.definition === 'string' ? parseDefinition(spec.definition) : spec.definition;
    checkDefinition(def);
  } catch (e) {
    if (e instanceof ParseError || e instanceof DefinitionError)
      throw new CustomModuleError(`${spec.name}.definition`, e.message);
    throw new CustomModuleError(`${spec.name}.definition`, e instanceof Error ? e.message : String(e));
  }
  for (const decl of [...def.params, ...def.state, ...def.inputs, ...def.outputs]) {
    if (FORBIDDEN.has(decl.name) || decl.name.startsWith('__')) {
      throw new CustomModuleError(
        `${spec.name}.definition`,
        `"${decl.name}" is not allowed as a name (reserved for the runtime)`,
      );
    }
  }
  if (def.name !== spec.name)
    throw new CustomModuleError(
      `${spec.name}.definition.name`,
      `is "${def.name}"; it must equal the module name`,
    );
  const rules = RULES[spec.kind];
  const domain = def.domain ?? 'unit';
  if (domain !== rules.domain)
    throw new CustomModuleError(
      `${spec.name}.definition`,
      `a ${spec.kind} runs over ${rules.domain}s, not ${domain}s`,
    );
  for (const n of rules.needInputs) {
    if (!def.inputs.some((i) => i.name === n))
      throw new CustomModuleError(
        `${spec.name}.definition.inputs`,
        `a ${spec.kind} needs an input named "${n}"`,
      );
  }
  for (const n of rules.needOutputs) {
    if (!def.outputs.some((o) => o.name === n))
      throw new CustomModuleError(
        `${spec.name}.definition.outputs`,
        `a ${spec.kind} needs an output named "${n}"`,
      );
  }
  if ((spec.kind === 'interface' || spec.kind === 'generic') && def.inputs.length === 0) {
    throw new CustomModuleError(
      `${spec.name}.definition.inputs`,
      'needs at least one input (it sets the number of units)',
    );
  }
  return def;
}
