/**
 * React binding of the editor store.
 *
 * @module
 */
import { ReactFlowProvider } from '@xyflow/react';
import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { EditorRegistry } from '../model/registry.ts';
import type { EditorState, EditorStore } from '../model/store.ts';

/** What every editor component reads from context. */
export interface EditorContextValue {
  store: EditorStore;
  registry: EditorRegistry;
  /** Opens the module palette (optionally at a canvas position). */
  openPalette?: (at?: { x: number; y: number }) => void;
  /** Asks the canvas to zoom to fit. */
  fitView?: () => void;
  /** Shows the Problems panel. */
  showProblems?: () => void;
}

const Ctx = createContext<EditorContextValue | null>(null);

/** Provides the context without a React Flow provider (used inside one). */
export function EditorContextProvider(props: EditorContextValue & { children: ReactNode }): ReactNode {
  const { children, ...value } = props;
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** Provides the store and registry (and a React Flow provider) to the editor components below it. */
export function EditorProvider(props: EditorContextValue & { children: ReactNode }): ReactNode {
  const { children, ...value } = props;
  return (
    <ReactFlowProvider>
      <Ctx.Provider value={value}>{children}</Ctx.Provider>
    </ReactFlowProvider>
  );
}

/** The editor context; throws outside an {@link EditorProvider}. */
export function useEditorContext(): EditorContextValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('spark-snn editor components must be used inside <EditorProvider>.');
  return v;
}

/** Selects from the editor store (re-renders when the selected value changes). */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(useEditorContext().store, selector);
}
