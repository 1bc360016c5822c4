/**
 * `@spark-snn/pynn`: export a spark-snn BrainConfig as a standalone PyNN 0.10 script that runs on
 * NEST, Brian2, NEURON or SpiNNaker (chosen when the script runs), optionally with the Brain's exact
 * connectivity in an `.npz` beside it. Everything PyNN cannot express is a diagnostic with its
 * config path, never a silent approximation.
 *
 * @module
 */

export { drawInitializers, INLINE_ARRAY_LIMIT } from './explicit.ts';
export { exportPyNN, type PyNNExport, type PyNNExportOptions, pythonId } from './export.ts';
export { CUBA_CM } from './modules/cuba_lif.ts';
export { PYNN_MAPPINGS } from './modules/index.ts';
export type {
  CellMapping,
  MapArgs,
  MappedCell,
  MappedSource,
  MappedSynapses,
  ModuleMapping,
  PortRule,
  SourceMapping,
  SynapseConnector,
  SynapseMapping,
} from './modules/mapping.ts';
export { POISSON_STEP_LIMIT } from './modules/poisson_drive.ts';
export { pyFloat, pyString, type ScriptOptions, writeScript } from './script.ts';
export {
  type CellType,
  type PyNNConnector,
  type PyNNDiagnostic,
  type PyNNDiagnosticCode,
  type PyNNNetwork,
  type PyNNPopulation,
  type PyNNProjection,
  type PyNNSide,
  type PyValue,
  SIMULATORS,
  type Simulator,
  type SimulatorLimit,
} from './types.ts';
