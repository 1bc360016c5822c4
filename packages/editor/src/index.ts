/**
 * `@spark-snn/editor`: the spark-snn graph editor as React components over a framework-free
 * document store. Use {@link SparkEditor} for the whole editor, or the panels on their own inside
 * an {@link EditorProvider}.
 *
 * @module
 */
export {
  CanvasMinimap,
  GraphCanvas,
  type GraphCanvasProps,
  type SparkFlowNode,
  type SparkNodeData,
} from './components/Canvas.tsx';
export { ConsolePanel } from './components/ConsolePanel.tsx';
export {
  type EditorContextValue,
  EditorProvider,
  useEditor,
  useEditorContext,
} from './components/context.tsx';
export { PAYLOAD_COLOURS, PAYLOAD_SHAPES, PortGlyph } from './components/glyphs.tsx';
export { Inspector, type InspectorProps } from './components/Inspector.tsx';
export { NodeList } from './components/NodeList.tsx';
export { Palette, type PaletteProps } from './components/Palette.tsx';
export { ProblemsPanel, useProblems } from './components/ProblemsPanel.tsx';
export { SimulationPanel, type SimulationPanelProps, statusText } from './components/SimulationPanel.tsx';
export {
  type EditorSettings,
  type ExampleModel,
  SparkEditor,
  type SparkEditorProps,
} from './components/SparkEditor.tsx';
export type { DockName } from './components/shell/settings.ts';
export { RasterPlot, type RasterPlotProps } from './components/simulation/RasterPlot.tsx';
export { TracePlot, type TracePlotProps } from './components/simulation/TracePlot.tsx';
export { configValidator, createConfigRegistry, readSparkFile, writeSparkFile } from './config-bridge.ts';
export { type Autosave, type AutosaveRecord, readAutosave, startAutosave } from './io.ts';
export {
  type CommandResult,
  type ConfigValidator,
  type Connection,
  connect,
  createEditorStore,
  createRegistry,
  type Diagnostic,
  type DocEdge,
  type DocNode,
  type EdgeKind,
  type EditorDocument,
  type EditorMode,
  type EditorRegistry,
  type EditorState,
  type EditorStore,
  type EditorStoreOptions,
  type FieldPath,
  type InitializerDescriptor,
  type IoSpec,
  isPayloadType,
  type Json,
  type JsonObject,
  type LogEntry,
  type LogLevel,
  listProblems,
  type ModuleDescriptor,
  type NeuronFrame,
  type NodeKind,
  type NodePort,
  PAYLOAD_TYPES,
  type PayloadType,
  type PortRole,
  type PortSignature,
  type Position,
  type Problem,
  type PropertySignature,
  rankEntry,
  type SearchEntry,
  type Subregistry,
} from './model/index.ts';
export {
  createSimulationSession,
  type RasterHook,
  type SessionOptions,
  type SessionState,
  type SessionStatus,
  type SimulationSession,
} from './sim/session.ts';
export {
  type InputInfo,
  type InputKind,
  type InputSource,
  type LoadedModel,
  type LoadOptions,
  type LoadProgress,
  type PopulationInfo,
  type RasterAttachResult,
  type RasterKind,
  type RasterSize,
  type Simulator,
  type StepResult,
  unavailableSimulator,
} from './sim/simulator.ts';
export {
  MIN_BAND_SHARE,
  neuronAtRow,
  RASTER_COLOURS,
  RASTER_HISTORY,
  type RasterLayout,
  type RasterPixels,
  type RasterSource,
  rasterLayout,
  WebGpuRaster,
  type WebGpuRasterOptions,
} from './sim/webgpu-raster.ts';
export {
  exposeSimulator,
  type WorkerMethod,
  type WorkerRequest,
  type WorkerScope,
  workerSimulator,
} from './sim/worker.ts';
