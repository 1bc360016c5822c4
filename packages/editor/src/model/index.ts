/**
 * The framework-free editor core: document model, commands, port typing, Spark file mapping,
 * layout, validation and the undoable store.
 *
 * @module
 */
export * from './commands.ts';
export * from './layout.ts';
export * from './neuron.ts';
export * from './ports.ts';
export * from './problems.ts';
export * from './registry.ts';
export * from './search.ts';
export * from './spark-json.ts';
export * from './store.ts';
export * from './types.ts';
export * from './validate.ts';
