/**
 * `@spark-snn/kernels/internal`: what the sibling packages of spark-snn (nn, graph, editor, pynn and
 * the apps) need from kernels and a user of the library should not: no compatibility promise, a
 * change here is not a change of the public API.
 *
 * @module
 */

// The event-driven form of a plan (nn's Brain runs it and reads its views).
export type { StateKey } from './events/analysis.ts';
export {
  clipEventInput,
  type DelayRingAttrs,
  EVENT_OP_KINDS,
  type EventModule,
  type EventPlan,
  type EventPlanOptions,
  type EventSource,
  type EventView,
  eventPlan,
  type ModuleEventsAttrs,
  readView,
  writeView,
} from './events/plan.ts';
