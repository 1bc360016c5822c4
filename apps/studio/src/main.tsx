/**
 * spark-snn studio: the editor as a web app. Opens with the CartPole `ab_brain` example (or the
 * autosaved work of the last visit) and autosaves to IndexedDB.
 */
import '@xyflow/react/dist/style.css';
import 'uplot/dist/uPlot.min.css';
import '@spark-snn/editor/styles.css';
import {
  configValidator,
  createConfigRegistry,
  createEditorStore,
  type ExampleModel,
  readAutosave,
  readSparkFile,
  SparkEditor,
  startAutosave,
  unavailableSimulator,
  workerSimulator,
} from '@spark-snn/editor';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

const registry = createConfigRegistry();
const store = createEditorStore({ registry, validate: configValidator() });

const examples: ExampleModel[] = [
  {
    name: 'CartPole brain (ab_brain.scfg)',
    fileName: 'ab_brain.scfg',
    async load() {
      const r = await fetch(new URL('./examples/ab_brain.scfg', document.baseURI));
      if (!r.ok) throw new Error(`could not fetch the example (${r.status})`);
      return new Uint8Array(await r.arrayBuffer());
    },
  },
];

// The simulator (@spark-snn/nn) runs in a worker; where workers cannot start, the panel says so.
function makeSimulator() {
  try {
    return workerSimulator(new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' }));
  } catch (e) {
    return unavailableSimulator(
      `the simulation worker could not start (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
}
const simulator = makeSimulator();

/** `?autorun=0` opens without starting the simulation (editing-only sessions, tests). */
const autoRun = new URLSearchParams(location.search).get('autorun') !== '0';
/** `?raster=canvas2d` keeps the Canvas 2D raster on webgpu too (comparisons, troubleshooting). */
const raster = new URLSearchParams(location.search).get('raster') === 'canvas2d' ? 'canvas2d' : 'auto';
/** `?backend=cpu` (or `webgpu`, `gpujs`) starts with that backend instead of `auto`. */
const backendParam = new URLSearchParams(location.search).get('backend');
const backend = (['auto', 'cpu', 'webgpu', 'gpujs'] as const).find((b) => b === backendParam) ?? 'auto';

async function start(): Promise<void> {
  const saved = new URLSearchParams(location.search).has('example') ? undefined : await readAutosave();
  if (saved) {
    store
      .getState()
      .load(saved.session, { ...(saved.fileName ? { fileName: saved.fileName } : {}), kind: 'session' });
    store
      .getState()
      .report('info', `Restored the autosaved work from ${new Date(saved.time).toLocaleString()}.`);
    // It is still unsaved work (it lives only in the browser).
    store.setState({ dirty: true });
  } else {
    const ex = examples[0];
    if (ex) {
      try {
        const r = readSparkFile(await ex.load());
        if (r.ok) store.getState().load(r.json, { fileName: ex.fileName, kind: 'model' });
        else store.getState().report('error', `Could not open the example: ${r.message}`);
      } catch (e) {
        store
          .getState()
          .report('error', `Could not open the example: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  const autosave = startAutosave(store);
  Object.assign(window, { sparkStudio: { store, registry, autosave } });
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing');
  createRoot(root).render(
    <StrictMode>
      <SparkEditor
        store={store}
        registry={registry}
        examples={examples}
        simulator={simulator}
        autoRun={autoRun}
        raster={raster}
        backend={backend}
      />
    </StrictMode>,
  );
  document.documentElement.dataset.ready = 'true';
}

void start();
