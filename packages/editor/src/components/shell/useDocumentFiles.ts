/**
 * File actions of the editor: New, Open Session, Import Model, Open Recent, Examples, a file
 * dropped on the canvas, Save Session (as), Export Model, and the unsaved-changes prompt. A file
 * whose content does not fit Spark's format opens with a dialog that lists what was left out.
 *
 * @module
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { readSparkFile, writeSparkFile } from '../../config-bridge.ts';
import { addRecent, openFile, type RecentFile, readRecent, saveFile } from '../../io.ts';
import { listProblems } from '../../model/problems.ts';
import type { EditorRegistry } from '../../model/registry.ts';
import type { EditorStore } from '../../model/store.ts';
import type { DialogState } from './Dialogs.tsx';
import type { EditorSettings } from './settings.ts';

/** `ab_brain.scfg` → `ab_brain`. */
export function stem(name: string | null): string {
  if (!name) return 'untitled';
  return name.replace(/\.(sge|scfg)$/i, '');
}

/** What {@link useDocumentFiles} offers. */
export interface DocumentFiles {
  recent: RecentFile[];
  /** Asks to save unsaved changes; false when the user cancelled. */
  confirmDiscard(): Promise<boolean>;
  newDocument(): Promise<void>;
  open(kind: 'session' | 'model'): Promise<void>;
  /** Opens bytes (Recent, Examples, a dropped file) after the unsaved-changes prompt. */
  openBytes(name: string, bytes: Uint8Array, kind: 'session' | 'model', remember?: boolean): Promise<void>;
  /** Opens a file dropped on the canvas (`.sge` as a session, `.scfg` as a model). */
  openDropped(file: File): Promise<void>;
  saveSession(as: boolean): Promise<string | undefined>;
  exportModel(): Promise<void>;
}

/** The file actions over `store`, reporting through dialogs and the console. */
export function useDocumentFiles(
  store: EditorStore,
  registry: EditorRegistry,
  settings: EditorSettings,
  setDialog: (d: DialogState | null) => void,
): DocumentFiles {
  const [recent, setRecent] = useState<RecentFile[]>([]);
  useEffect(() => {
    void readRecent().then(setRecent);
  }, []);

  const saveSession = useCallback(
    async (as: boolean): Promise<string | undefined> => {
      const s = store.getState();
      const bytes = writeSparkFile(s.sessionJson(), settings.compressFiles);
      const name = as || !s.fileName?.endsWith('.sge') ? `${stem(s.fileName)}.sge` : s.fileName;
      try {
        const used = await saveFile(name, bytes, settings.nativeDialogs);
        if (!used) return undefined;
        s.markSaved(used);
        s.report('success', `Session sucessfully saved to "${used}".`);
        await addRecent({ name: used, kind: 'session', time: Date.now(), bytes });
        setRecent(await readRecent());
        return used;
      } catch (e) {
        s.report('error', `Failed to save session: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    },
    [store, settings],
  );
  const saveRef = useRef(saveSession);
  saveRef.current = saveSession;

  const confirmDiscard = useCallback(async (): Promise<boolean> => {
    if (!store.getState().dirty) return true;
    const choice = await new Promise<'save' | 'discard' | 'cancel'>((resolve) =>
      setDialog({ kind: 'discard', resolve }),
    );
    setDialog(null);
    if (choice === 'cancel') return false;
    if (choice === 'save') return (await saveRef.current(false)) !== undefined;
    return true;
  }, [store, setDialog]);

  const load = useCallback(
    async (name: string, bytes: Uint8Array, kind: 'session' | 'model', remember = true) => {
      const s = store.getState();
      const r = readSparkFile(bytes);
      if (!r.ok) {
        s.report('error', `Failed to load ${kind} from "${name}": ${r.message}`);
        setDialog({ kind: 'problems', title: `Could not open ${name}`, dropped: [r.message], problems: [] });
        return;
      }
      const read = s.load(r.json, { fileName: name, kind });
      // Parts that did not fit the format were left out: say which, and what the rest still lacks.
      const dropped = read.filter((d) => d.level === 'error');
      if (dropped.length > 0) {
        const now = store.getState();
        now.revalidate();
        setDialog({
          kind: 'problems',
          title: `${name} opened with parts left out`,
          dropped: dropped.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)),
          problems: listProblems(now.doc, registry, store.getState().issues).filter(
            (p) => p.level === 'error',
          ),
        });
      }
      if (remember) {
        await addRecent({ name, kind, time: Date.now(), bytes });
        setRecent(await readRecent());
      }
    },
    [store, registry, setDialog],
  );

  const openBytes = useCallback(
    async (name: string, bytes: Uint8Array, kind: 'session' | 'model', remember = true) => {
      if (await confirmDiscard()) await load(name, bytes, kind, remember);
    },
    [confirmDiscard, load],
  );

  const open = useCallback(
    async (kind: 'session' | 'model') => {
      if (!(await confirmDiscard())) return;
      const f = await openFile(kind === 'session' ? ['.sge', '.scfg'] : ['.scfg'], settings.nativeDialogs);
      if (f) await load(f.name, f.bytes, kind);
    },
    [confirmDiscard, load, settings],
  );

  const openDropped = useCallback(
    async (file: File) => {
      const kind = /\.sge$/i.test(file.name) ? 'session' : /\.scfg$/i.test(file.name) ? 'model' : undefined;
      if (!kind) {
        store
          .getState()
          .report('warning', `"${file.name}" is not a .scfg model or a .sge session; nothing was opened.`);
        return;
      }
      await openBytes(file.name, new Uint8Array(await file.arrayBuffer()), kind);
    },
    [store, openBytes],
  );

  const exportModel = useCallback(async () => {
    const s = store.getState();
    const r = s.exportModel();
    if (!r.json) {
      setDialog({
        kind: 'problems',
        title: 'Invalid Model — The following errors were detected:',
        problems: r.problems.filter((p) => p.level === 'error'),
      });
      return;
    }
    const name = `${stem(s.fileName)}.scfg`;
    const bytes = writeSparkFile(r.json, settings.compressFiles);
    try {
      const used = await saveFile(name, bytes, settings.nativeDialogs);
      if (used) {
        s.report('success', `Model exported sucessfully to "${used}".`);
        if (!s.fileName) s.markSaved(used);
      }
    } catch (e) {
      s.report('error', `Failed to export model to "${name}": ${e instanceof Error ? e.message : String(e)}`);
    }
  }, [store, settings, setDialog]);

  const newDocument = useCallback(async () => {
    if (await confirmDiscard()) store.getState().newDocument('brain');
  }, [confirmDiscard, store]);

  return { recent, confirmDiscard, newDocument, open, openBytes, openDropped, saveSession, exportModel };
}
