/**
 * The ports of library entries: documentation of the ports `@spark-snn/config` declares (read from its
 * registry when asked, never copied), with the shape each port has here.
 *
 * @module
 */

import { defaultRegistry, type PortDef, type PortSignature } from '@spark-snn/config';
import type { LibraryEntry, PortDoc } from './registry.ts';

/** The shape a port has here (documentation: `[units]`, `[pre] (sync) or [units × pre] (async)`, …). */
export type PortShape = (port: string, direction: 'input' | 'output') => string;

/** Shapes of a module's inputs (all alike) and outputs (all alike). */
export const inOut =
  (input: string, output: string): PortShape =>
  (_, direction) =>
    direction === 'output' ? output : input;

/**
 * Port documentation of a signature as `@spark-snn/config` declares it: the mandatory inputs (a
 * list input as `<name>_0 … <name>_k`) and the outputs, each with its shape here.
 */
export function portDocs(ports: PortSignature, shape: PortShape): { inputs: PortDoc[]; outputs: PortDoc[] } {
  const doc = (p: PortDef, direction: 'input' | 'output'): PortDoc => ({
    name: p.list ? `${p.name}_0 … ${p.name}_k` : p.name,
    payload: p.payload,
    shape: shape(p.name, direction),
  });
  return {
    inputs: ports.inputs.filter((p) => !p.optional).map((p) => doc(p, 'input')),
    outputs: ports.outputs.map((p) => doc(p, 'output')),
  };
}

/**
 * An entry with the ports `ports` (a custom module's), or else those the config registry declares
 * for its name, read when asked (so the library never holds a copy of them).
 */
export function withPorts(
  entry: Omit<LibraryEntry, 'inputs' | 'outputs'>,
  shape: PortShape,
  ports?: PortSignature,
): LibraryEntry {
  if (ports !== undefined) return { ...entry, ...portDocs(ports, shape) };
  const declared = () => {
    const spec = defaultRegistry.get(entry.name);
    if (spec === undefined) throw new Error(`@spark-snn/config declares no module "${entry.name}"`);
    return portDocs(spec.ports, shape);
  };
  return Object.defineProperties(entry, {
    inputs: { get: () => declared().inputs, enumerable: true },
    outputs: { get: () => declared().outputs, enumerable: true },
  }) as LibraryEntry;
}
