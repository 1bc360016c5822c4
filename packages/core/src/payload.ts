/**
 * Payload types: the typed values that flow on module ports (Spark `spark.core.payloads`).
 *
 * Payload types are data, not classes: a {@link PayloadType} name plus a metadata table
 * ({@link PAYLOAD_TYPES_INFO}) with Spark's class and registry names, the default and accepted dtypes and a
 * description. Port compatibility follows Spark: a connection is valid only when the source type is
 * exactly the target type ({@link isPortCompatible}); the explicit {@link PayloadType} `AnyPayload`
 * (Spark's abstract `SparkPayload`, used by control modules) accepts every type.
 *
 * A {@link Payload} is a value: a payload type plus a {@link Tensor}, validated on construction.
 *
 * @module
 */

import type { DType } from './dtype.ts';
import { formatShape, Tensor } from './tensor.ts';

/** Names of the payload types, as Spark spells its payload classes, in Spark's order (spark-reference §1.3.1). */
export const PAYLOAD_TYPES = [
  'SpikeArray',
  'CurrentArray',
  'PotentialArray',
  'BooleanMask',
  'IntegerMask',
  'FloatArray',
  'IntegerArray',
  'AnyPayload',
] as const;

/** A payload type name. */
export type PayloadType = (typeof PAYLOAD_TYPES)[number];

/** A payload type with a Spark registry name: every type but the abstract `AnyPayload`. */
export type ConcretePayloadType = Exclude<PayloadType, 'AnyPayload'>;

/**
 * Payload type → Spark `PAYLOADS` registry name (`SpikeArray` → `spike_array`), as written in `.scfg`
 * files and shown by Spark's editor.
 */
export const PAYLOAD_REGISTRY_NAMES = Object.freeze({
  SpikeArray: 'spike_array',
  CurrentArray: 'current_array',
  PotentialArray: 'potential_array',
  BooleanMask: 'boolean_mask',
  IntegerMask: 'integer_mask',
  FloatArray: 'float_array',
  IntegerArray: 'integer_array',
} as const satisfies Record<ConcretePayloadType, string>);

/** A Spark payload registry name (`spike_array`). */
export type PayloadRegistryName = (typeof PAYLOAD_REGISTRY_NAMES)[ConcretePayloadType];

/** Kind of values a payload type admits (checked by {@link validatePayload}). */
export type PayloadValueKind = 'spike' | 'float' | 'boolean' | 'integer' | 'any';

/** Metadata of one payload type. */
export interface PayloadTypeInfo {
  /** The spark-snn name (equal to Spark's class name, except `AnyPayload`). */
  readonly type: PayloadType;
  /** Spark's class name (`SparkPayload` for `AnyPayload`). */
  readonly sparkClass: string;
  /** Spark's registry name (`spike_array`), or `null` for the abstract `AnyPayload`. */
  readonly registryName: PayloadRegistryName | null;
  /** dtype spark-snn uses when a port does not say (float state is float32 by default). */
  readonly defaultDtype: DType | null;
  /** dtypes a tensor of this payload may have. */
  readonly dtypes: readonly DType[];
  /** What the values must be. */
  readonly values: PayloadValueKind;
  /** One line on what the payload carries. */
  readonly description: string;
}

const FLOATS: readonly DType[] = ['float32', 'float16'];
const INTS: readonly DType[] = ['int32', 'uint32', 'uint8'];

/** The metadata table of every payload type. */
export const PAYLOAD_TYPES_INFO: Readonly<Record<PayloadType, PayloadTypeInfo>> = Object.freeze({
  SpikeArray: {
    type: 'SpikeArray',
    sparkClass: 'SpikeArray',
    registryName: PAYLOAD_REGISTRY_NAMES.SpikeArray,
    defaultDtype: 'float32',
    dtypes: ['float32', 'float16', 'int32'],
    values: 'spike',
    description:
      'Spikes: +1 spike of an excitatory unit, -1 spike of an inhibitory unit (the sign is the source ' +
      "unit's type), 0 no spike. Spark reports its dtype as float16 and stores a 2-bit code per unit.",
  },
  FloatArray: {
    type: 'FloatArray',
    sparkClass: 'FloatArray',
    registryName: PAYLOAD_REGISTRY_NAMES.FloatArray,
    defaultDtype: 'float32',
    dtypes: FLOATS,
    values: 'float',
    description: 'Generic float data: kernels, signals, modulation.',
  },
  CurrentArray: {
    type: 'CurrentArray',
    sparkClass: 'CurrentArray',
    registryName: PAYLOAD_REGISTRY_NAMES.CurrentArray,
    defaultDtype: 'float32',
    dtypes: FLOATS,
    values: 'float',
    description: 'Synaptic currents delivered to a soma.',
  },
  PotentialArray: {
    type: 'PotentialArray',
    sparkClass: 'PotentialArray',
    registryName: PAYLOAD_REGISTRY_NAMES.PotentialArray,
    defaultDtype: 'float32',
    dtypes: FLOATS,
    values: 'float',
    description: 'Membrane potentials.',
  },
  BooleanMask: {
    type: 'BooleanMask',
    sparkClass: 'BooleanMask',
    registryName: PAYLOAD_REGISTRY_NAMES.BooleanMask,
    defaultDtype: 'bool',
    dtypes: ['bool', 'uint8'],
    values: 'boolean',
    description: 'Boolean masks (0/1), e.g. which units are inhibitory.',
  },
  IntegerMask: {
    type: 'IntegerMask',
    sparkClass: 'IntegerMask',
    registryName: PAYLOAD_REGISTRY_NAMES.IntegerMask,
    defaultDtype: 'int32',
    dtypes: INTS,
    values: 'integer',
    description: 'Integer masks (registered by Spark, unused by its built-in modules).',
  },
  IntegerArray: {
    type: 'IntegerArray',
    sparkClass: 'IntegerArray',
    registryName: PAYLOAD_REGISTRY_NAMES.IntegerArray,
    defaultDtype: 'int32',
    dtypes: INTS,
    values: 'integer',
    description: 'Integer data such as delay kernels.',
  },
  AnyPayload: {
    type: 'AnyPayload',
    sparkClass: 'SparkPayload',
    registryName: null,
    defaultDtype: null,
    dtypes: ['float32', 'float16', 'int32', 'uint32', 'uint8', 'bool'],
    values: 'any',
    description:
      "Any payload (Spark's abstract SparkPayload): ports of control modules that accept every type.",
  },
} satisfies Record<PayloadType, PayloadTypeInfo>);

/** The payload type of a Spark `PAYLOADS` registry name (`spike_array` → `SpikeArray`), or undefined. */
export function payloadFromRegistryName(name: string): ConcretePayloadType | undefined {
  for (const [t, r] of Object.entries(PAYLOAD_REGISTRY_NAMES))
    if (r === name) return t as ConcretePayloadType;
  return undefined;
}

/** True when `name` is a payload type name. */
export function isPayloadType(name: unknown): name is PayloadType {
  return typeof name === 'string' && (PAYLOAD_TYPES as readonly string[]).includes(name);
}

/**
 * The payload type for a Spark name: a class name (`SpikeArray`, `SparkPayload`) or a registry name
 * (`spike_array`). Throws a {@link PayloadError} listing the known names otherwise.
 */
export function payloadTypeFromSpark(name: string): PayloadType {
  if (isPayloadType(name)) return name;
  for (const info of Object.values(PAYLOAD_TYPES_INFO)) {
    if (info.sparkClass === name || info.registryName === name) return info.type;
  }
  throw new PayloadError(
    `unknown payload type ${JSON.stringify(name)}; expected one of ${PAYLOAD_TYPES.join(', ')} ` +
      `or a Spark registry name (${Object.values(PAYLOAD_TYPES_INFO)
        .map((i) => i.registryName)
        .filter((n) => n !== null)
        .join(', ')})`,
  );
}

/**
 * Whether an output port of type `source` may feed an input port of type `target`: the types must be equal
 * (Spark compares payload classes exactly: a `CurrentArray` does not feed a `FloatArray` input), except that
 * a target of type `AnyPayload` accepts every source.
 */
export function isPortCompatible(source: PayloadType, target: PayloadType): boolean {
  return target === 'AnyPayload' || source === target;
}

/** Throws a {@link PayloadError} naming both types unless {@link isPortCompatible}. */
export function assertPortCompatible(source: PayloadType, target: PayloadType, where = 'connection'): void {
  if (!isPortCompatible(source, target)) {
    throw new PayloadError(
      `${where}: a ${source} output cannot feed a ${target} input (payload types must match)`,
    );
  }
}

/** Error for invalid payload types and values. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

/**
 * The first problem with `tensor` as a value of payload type `type` (wrong dtype, a spike value other than
 * -1/0/+1, a mask value other than 0/1), or `null` when it is valid.
 */
export function validatePayload(type: PayloadType, tensor: Tensor): string | null {
  const info = PAYLOAD_TYPES_INFO[type];
  if (!info) return `unknown payload type ${JSON.stringify(type)}`;
  if (!(tensor instanceof Tensor)) return `${type} needs a Tensor`;
  if (!info.dtypes.includes(tensor.dtype)) {
    return `${type} cannot have dtype ${tensor.dtype} (allowed: ${info.dtypes.join(', ')})`;
  }
  if (info.values === 'spike' || info.values === 'boolean') {
    const values = tensor.toNumbers();
    const lo = info.values === 'spike' ? -1 : 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(v === lo || v === 0 || v === 1)) {
        const allowed = info.values === 'spike' ? '-1, 0 or +1' : '0 or 1';
        return `${type} element ${i} is ${v}; values must be ${allowed}`;
      }
    }
  }
  return null;
}

/**
 * A payload value: a payload type and its tensor, validated on construction.
 *
 * @example
 * ```ts
 * const spikes = new Payload('SpikeArray', Tensor.fromArray('float32', [1, 0, -1]));
 * new Payload('SpikeArray', Tensor.fromArray('float32', [2])); // PayloadError: SpikeArray element 0 is 2; …
 * ```
 */
export class Payload<T extends PayloadType = PayloadType, D extends DType = DType> {
  /** The payload type. */
  readonly type: T;
  /** The values. */
  readonly tensor: Tensor<D>;

  /** @throws PayloadError when the tensor is not a valid value of `type`. */
  constructor(type: T, tensor: Tensor<D>) {
    if (!isPayloadType(type)) throw new PayloadError(`unknown payload type ${JSON.stringify(type)}`);
    const problem = validatePayload(type, tensor);
    if (problem) throw new PayloadError(`Payload: ${problem}`);
    this.type = type;
    this.tensor = tensor;
  }

  /** An all-zero payload of `type` (the mock input Spark builds at module build time). */
  static zeros<T extends PayloadType>(type: T, shape: readonly number[], dtype?: DType): Payload<T> {
    const d = dtype ?? PAYLOAD_TYPES_INFO[type].defaultDtype ?? 'float32';
    return new Payload(type, Tensor.zeros(d, shape));
  }

  /** Shape of the values. */
  get shape(): readonly number[] {
    return this.tensor.shape;
  }

  /** dtype of the values. */
  get dtype(): D {
    return this.tensor.dtype;
  }

  /** `SpikeArray<float32>[3]`. */
  toString(): string {
    return `${this.type}<${this.tensor.dtype}>${formatShape(this.tensor.shape)}`;
  }
}

/**
 * Builds a `SpikeArray` from unsigned spikes (0/1 or booleans) and an optional inhibition mask (per unit,
 * same length): value = spike ? (inhibitory ? -1 : +1) : 0. This is Spark's
 * `SpikeArray(spikes, inhibition_mask)` seen through `.value`.
 */
export function spikeArray(
  spikes: ArrayLike<number | boolean>,
  inhibitionMask?: ArrayLike<number | boolean>,
  shape: readonly number[] = [spikes.length],
  dtype: 'float32' | 'float16' | 'int32' = 'float32',
): Payload<'SpikeArray'> {
  if (inhibitionMask && inhibitionMask.length !== spikes.length) {
    throw new PayloadError(
      `spikeArray: inhibition mask has ${inhibitionMask.length} elements but there are ${spikes.length} spikes`,
    );
  }
  const values = new Array<number>(spikes.length);
  for (let i = 0; i < spikes.length; i++) {
    const s = Number(spikes[i]);
    if (s !== 0 && s !== 1)
      throw new PayloadError(`spikeArray: spike ${i} is ${String(spikes[i])}; must be 0 or 1`);
    const inh = inhibitionMask ? Number(inhibitionMask[i]) : 0;
    if (inh !== 0 && inh !== 1) {
      throw new PayloadError(
        `spikeArray: inhibition mask element ${i} is ${String(inhibitionMask?.[i])}; must be 0 or 1`,
      );
    }
    values[i] = s === 0 ? 0 : inh ? -1 : 1;
  }
  return new Payload('SpikeArray', Tensor.fromArray(dtype, values, shape));
}

/**
 * Spark's 2-bit spike encoding (`SpikeArray._encoding`): `code = spike | (inhibitory << 1)`, one byte per unit.
 * From `.value` alone a silent inhibitory unit is indistinguishable from a silent excitatory one, so pass
 * the `inhibitionMask` to keep bit 1 for silent units; without it, bit 1 is set only where the value is -1.
 */
export function encodeSpikeCodes(
  values: Payload<'SpikeArray'>,
  inhibitionMask?: ArrayLike<number | boolean>,
): Uint8Array {
  const v = values.tensor.toNumbers();
  if (inhibitionMask && inhibitionMask.length !== v.length) {
    throw new PayloadError(
      `encodeSpikeCodes: inhibition mask has ${inhibitionMask.length} elements, values ${v.length}`,
    );
  }
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const inh = (inhibitionMask ? Number(inhibitionMask[i]) !== 0 : false) || v[i] === -1;
    out[i] = (v[i] !== 0 ? 1 : 0) | (inh ? 2 : 0);
  }
  return out;
}

/** Decodes Spark's 2-bit spike codes into the signed values, the unsigned spikes and the inhibition mask. */
export function decodeSpikeCodes(
  codes: Uint8Array,
  shape: readonly number[] = [codes.length],
): { values: Payload<'SpikeArray'>; spikes: Uint8Array; inhibitionMask: Uint8Array } {
  const spikes = new Uint8Array(codes.length);
  const mask = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c > 3) throw new PayloadError(`decodeSpikeCodes: code ${i} is ${c}; must be 0..3`);
    spikes[i] = c & 1;
    mask[i] = (c >> 1) & 1;
  }
  return { values: spikeArray(spikes, mask, shape), spikes, inhibitionMask: mask };
}
