/**
 * Small documents the editor tests build: a store holding obs → enc (Poisson spiker) → pool (LIF)
 * → out, wired or not.
 *
 * @module
 */
import { configValidator, createConfigRegistry } from '../../src/config-bridge.ts';
import { createEditorStore, type EditorStore } from '../../src/model/store.ts';

/** The editor registry of config's default registry (one per test process). */
export const registry = createConfigRegistry();

/** A store with config's validation (run on demand: live validation off). */
export function validatingStore(): EditorStore {
  return createEditorStore({
    registry,
    validate: configValidator(),
    mirrorToConsole: false,
    liveValidation: false,
  });
}

/** obs → enc → pool → out; `wire` lists the connections to make (all three by default). */
export function encoderPool(
  wire: readonly ('obs-enc' | 'enc-pool' | 'pool-out')[] = ['obs-enc', 'enc-pool', 'pool-out'],
): EditorStore {
  const store = validatingStore();
  const st = store.getState();
  st.addIoNode('source', { x: 0, y: 0 }, 'obs');
  st.addModule('poisson_spiker', { x: 200, y: 0 }, 'enc');
  st.addModule('lif_neuron', { x: 400, y: 0 }, 'pool');
  st.addIoNode('sink', { x: 600, y: 0 }, 'out');
  if (wire.includes('obs-enc'))
    st.connect({ source: 'obs', sourceHandle: 'out:value', target: 'enc', targetHandle: 'in:signal' });
  if (wire.includes('enc-pool'))
    st.connect({ source: 'enc', sourceHandle: 'out:spikes', target: 'pool', targetHandle: 'in:in_spikes' });
  if (wire.includes('pool-out'))
    st.connect({ source: 'pool', sourceHandle: 'out:out_spikes', target: 'out', targetHandle: 'in:value' });
  return store;
}
