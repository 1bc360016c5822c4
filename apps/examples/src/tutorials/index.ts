export { type BrainsResult, brains, brainsTutorialConfig, K, M, RASTER_PORTS, textRaster } from './brains.ts';
export { type ExecutionResult, execution, executionTutorialConfig } from './execution.ts';
export { editorInputShapes, exportScfg, type GraphEditorResult, runScfg } from './graph-editor.ts';
export { type ModulesComponentsResult, modulesAndComponents } from './modules-components.ts';
export { type NeuronsResult, neurons } from './neurons.ts';
