/**
 * User settings of the editor shell (kept in `localStorage`): file handling, the minimap, which
 * docks are open and how large each panel is.
 *
 * @module
 */
import { useCallback, useState } from 'react';

/** The docks of the editor window. */
export type DockName = 'nodes' | 'inspector' | 'simulation' | 'bottom';

/** User settings. */
export interface EditorSettings {
  nativeDialogs: boolean;
  compressFiles: boolean;
  showMinimap: boolean;
  /** Open (true) or collapsed (false) docks (Spark's Windows menu). */
  panels: Record<DockName, boolean>;
  /** Sizes in CSS pixels: dock widths (nodes, inspector) and heights (simulation, bottom). */
  sizes: Record<DockName, number>;
}

/** The settings of a first visit. */
export const DEFAULT_SETTINGS: EditorSettings = {
  nativeDialogs: true,
  compressFiles: true,
  showMinimap: true,
  panels: { nodes: true, inspector: true, simulation: true, bottom: true },
  sizes: { nodes: 170, inspector: 340, simulation: 300, bottom: 120 },
};

/** Smallest and largest size of each dock. */
export const SIZE_LIMITS: Record<DockName, [number, number]> = {
  nodes: [120, 480],
  inspector: [260, 720],
  simulation: [120, 900],
  bottom: [60, 600],
};

const KEY = 'spark-snn-settings';

function read(): EditorSettings {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<EditorSettings>;
    return {
      ...DEFAULT_SETTINGS,
      ...saved,
      panels: { ...DEFAULT_SETTINGS.panels, ...(saved.panels ?? {}) },
      sizes: { ...DEFAULT_SETTINGS.sizes, ...(saved.sizes ?? {}) },
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

/** The settings and a setter that also stores them. */
export function useSettings(): [EditorSettings, (s: EditorSettings) => void] {
  const [s, setS] = useState<EditorSettings>(read);
  const set = useCallback((next: EditorSettings) => {
    setS(next);
    try {
      localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      /* private mode */
    }
  }, []);
  return [s, set];
}
