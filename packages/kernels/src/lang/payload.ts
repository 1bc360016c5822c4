/**
 * Payload type names of ports: exactly `PayloadType` of `@spark-snn/core` (Spark's names).
 *
 * @module
 */

import { isPayloadType, PAYLOAD_TYPES, type PayloadType } from '@spark-snn/core';

/** Payload type names a port may declare. */
export const PAYLOAD_NAMES: readonly PayloadType[] = PAYLOAD_TYPES;

/** A payload type name. */
export type PayloadName = PayloadType;

/** True when `name` is a payload type name. */
export function isPayloadName(name: unknown): name is PayloadName {
  return isPayloadType(name);
}
