/**
 * Browser file I/O, recent files and autosave (IndexedDB via idb-keyval).
 *
 * Native file pickers (File System Access API through browser-fs-access) are used where the
 * browser has them; under automation (`navigator.webdriver`) or when the user turns them off, a
 * plain file input and a download link are used instead, so a person and a test take the same path.
 *
 * @module
 */
import { fileOpen, fileSave } from 'browser-fs-access';
import { createStore as createIdbStore, del, get, set, type UseStore } from 'idb-keyval';
import type { EditorStore } from './model/store.ts';
import type { JsonObject } from './model/types.ts';

/** A file read from disk. */
export interface OpenedFile {
  name: string;
  bytes: Uint8Array;
}

/** Whether native pickers should be used. */
export function nativeDialogsAvailable(preference = true): boolean {
  if (!preference) return false;
  if (typeof navigator !== 'undefined' && navigator.webdriver) return false;
  return typeof window !== 'undefined' && 'showOpenFilePicker' in window;
}

function inputOpen(accept: string[]): Promise<OpenedFile | undefined> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept.join(',');
    input.style.display = 'none';
    input.setAttribute('data-testid', 'file-input');
    input.addEventListener('change', async () => {
      const f = input.files?.[0];
      input.remove();
      resolve(f ? { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) } : undefined);
    });
    input.addEventListener('cancel', () => {
      input.remove();
      resolve(undefined);
    });
    document.body.append(input);
    input.click();
  });
}

/** Asks the user for a file. Resolves undefined when cancelled. */
export async function openFile(extensions: string[], native = true): Promise<OpenedFile | undefined> {
  if (!nativeDialogsAvailable(native)) return inputOpen(extensions);
  try {
    const f = await fileOpen({ extensions, description: 'Spark files', id: 'spark-snn' });
    return { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) };
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return undefined;
    throw e;
  }
}

/** Saves bytes under a suggested name. Resolves to the name used, or undefined when cancelled. */
export async function saveFile(name: string, bytes: Uint8Array, native = true): Promise<string | undefined> {
  const blob = new Blob([bytes.slice().buffer as ArrayBuffer], { type: 'application/octet-stream' });
  if (!nativeDialogsAvailable(native)) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    setTimeout(() => {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 1000);
    return name;
  }
  try {
    const ext = name.slice(name.lastIndexOf('.'));
    const handle = await fileSave(blob, { fileName: name, extensions: [ext], id: 'spark-snn' });
    return handle?.name ?? name;
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return undefined;
    throw e;
  }
}

let idb: UseStore | undefined;
function db(): UseStore {
  idb ??= createIdbStore('spark-snn-editor', 'kv');
  return idb;
}

/** What autosave keeps. */
export interface AutosaveRecord {
  session: JsonObject;
  fileName: string | null;
  time: number;
}

const AUTOSAVE_KEY = 'autosave';
const RECENT_KEY = 'recent';

/** Reads the autosaved session, if any. */
export async function readAutosave(): Promise<AutosaveRecord | undefined> {
  try {
    return await get<AutosaveRecord>(AUTOSAVE_KEY, db());
  } catch {
    return undefined;
  }
}

/** Deletes the autosaved session. */
export async function clearAutosave(): Promise<void> {
  await del(AUTOSAVE_KEY, db());
}

/** Handle returned by {@link startAutosave}. */
export interface Autosave {
  /** Writes now (returns when written). */
  flush(): Promise<void>;
  /** True while a change is not yet written. */
  pending(): boolean;
  stop(): void;
}

/**
 * Saves the session to IndexedDB shortly after every document change (debounced). While a change
 * is pending, leaving the page asks for confirmation.
 */
export function startAutosave(store: EditorStore, delayMs = 400): Autosave {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const write = async (): Promise<void> => {
    timer = undefined;
    const s = store.getState();
    const rec: AutosaveRecord = { session: s.sessionJson(), fileName: s.fileName, time: Date.now() };
    writing = set(AUTOSAVE_KEY, rec, db()).catch((e: unknown) => {
      store.getState().report('error', `Autosave failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    await writing;
    if (typeof document !== 'undefined') document.documentElement.dataset.autosaved = String(rec.time);
  };
  const beforeUnload = (e: BeforeUnloadEvent): void => {
    if (timer !== undefined) {
      e.preventDefault();
    }
  };
  if (typeof window !== 'undefined') window.addEventListener('beforeunload', beforeUnload);
  const unsub = store.subscribe((s, prev) => {
    if (s.doc === prev.doc && s.neuronStack === prev.neuronStack) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void write(), delayMs);
  });
  return {
    async flush() {
      if (timer !== undefined) clearTimeout(timer);
      await write();
    },
    pending: () => timer !== undefined,
    stop() {
      unsub();
      if (timer !== undefined) clearTimeout(timer);
      if (typeof window !== 'undefined') window.removeEventListener('beforeunload', beforeUnload);
    },
  };
}

/** One entry of the recent-files list (content kept so it reopens without a picker). */
export interface RecentFile {
  name: string;
  kind: 'session' | 'model';
  time: number;
  bytes: Uint8Array;
}

/** Recent files, newest first. */
export async function readRecent(): Promise<RecentFile[]> {
  try {
    return (await get<RecentFile[]>(RECENT_KEY, db())) ?? [];
  } catch {
    return [];
  }
}

/** Adds a file to the recent list (max 8, by name). */
export async function addRecent(entry: RecentFile): Promise<void> {
  const list = (await readRecent()).filter((r) => r.name !== entry.name);
  await set(RECENT_KEY, [entry, ...list].slice(0, 8), db());
}
