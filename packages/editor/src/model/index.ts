/**
 * The framework-free editor core: document model, commands, port typing, Spark file mapping,
 * layout, validation and the undoable store.
 *
 * @module
 */
export { type CommandResult, connect } from './commands.ts';
export type { Connection, NodePort, PortRole } from './ports.ts';
export { listProblems, type Problem } from './problems.ts';
export {
  createRegistry,
  type EditorRegistry,
  type InitializerDescriptor,
  type ModuleDescriptor,
  type PortSignature,
  type PropertySignature,
} from './registry.ts';
export { rankEntry, type SearchEntry } from './search.ts';
export {
  type ConfigValidator,
  createEditorStore,
  type EditorState,
  type EditorStore,
  type EditorStoreOptions,
  type LogEntry,
  type NeuronFrame,
} from './store.ts';
export {
  type Diagnostic,
  type DocEdge,
  type DocNode,
  type EdgeKind,
  type EditorDocument,
  type EditorMode,
  type FieldPath,
  type IoSpec,
  isPayloadType,
  type Json,
  type JsonObject,
  type LogLevel,
  type NodeKind,
  PAYLOAD_TYPES,
  type PayloadType,
  type Position,
  type Subregistry,
} from './types.ts';
