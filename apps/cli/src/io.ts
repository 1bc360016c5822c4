/**
 * The only place that touches the host: files, streams, terminal, clock, environment. Everything
 * else in the CLI receives an {@link Io}, so commands run the same in Node, in Deno (through its
 * `node:` compatibility modules) and in tests (with captured output).
 *
 * @module
 */
import * as fsp from 'node:fs/promises';
import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import process from 'node:process';

/** A text sink (stdout, stderr). */
export interface Writer {
  write(text: string): void;
}

/** Host services used by the commands. */
export interface Io {
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** Progress bars and colours only when stdout is a terminal. */
  readonly isTTY: boolean;
  /** Terminal width (80 when unknown). */
  readonly columns: number;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `node` or `deno`, with its version. */
  readonly runtime: { readonly name: 'node' | 'deno'; readonly version: string };
  /** Milliseconds, monotonic. */
  now(): number;
  readFile(path: string): Promise<Uint8Array>;
  /** All of standard input (for the file name `-`). */
  readStdin(): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  /** Opens a file for writing in chunks (created or truncated). */
  openWrite(path: string): Promise<FileSink>;
  /** Creates a directory and its missing parents. */
  mkdirp(path: string): Promise<void>;
  /** Bytes free for this user on the file system holding `path`, or undefined when unknown. */
  freeBytes(path: string): Promise<number | undefined>;
  /** `'file'`, `'dir'` or undefined when nothing is there. */
  kind(path: string): Promise<'file' | 'dir' | undefined>;
}

/** A file written in chunks. */
export interface FileSink {
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * Creates `path` and its missing parents one level at a time, so a path that cannot be created fails
 * at once with the reason (Node 20's `mkdir(…, {recursive: true})` loops forever under `/proc`).
 */
export async function makeDirectories(path: string): Promise<void> {
  const missing: string[] = [];
  let p = resolve(path);
  for (;;) {
    const s = await stat(p).catch(() => undefined);
    if (s) {
      if (!s.isDirectory()) throw new Error(`${p} is not a directory`);
      break;
    }
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const dir of missing.reverse()) {
    await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
}

/** Resolves a user-given path against the Io's working directory. */
export function resolvePath(io: Io, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

interface DenoGlobal {
  Deno?: { version?: { deno?: string } };
}

/** The runtime this process runs in. */
export function detectRuntime(): { name: 'node' | 'deno'; version: string } {
  const deno = (globalThis as DenoGlobal).Deno;
  if (deno?.version?.deno) return { name: 'deno', version: deno.version.deno };
  return { name: 'node', version: process.versions.node ?? 'unknown' };
}

/** The real process: `process.stdout` / `process.stderr` and the file system. */
export function processIo(): Io {
  const out = process.stdout as { isTTY?: boolean; columns?: number };
  return {
    stdout: { write: (t) => void process.stdout.write(t) },
    stderr: { write: (t) => void process.stderr.write(t) },
    isTTY: out.isTTY === true,
    columns: out.columns ?? 80,
    cwd: process.cwd(),
    env: process.env,
    runtime: detectRuntime(),
    now: () => performance.now(),
    readFile: async (p) => new Uint8Array(await readFile(p)),
    readStdin: async () => {
      const chunks: Uint8Array[] = [];
      for await (const c of process.stdin as AsyncIterable<Uint8Array | string>) {
        chunks.push(typeof c === 'string' ? new TextEncoder().encode(c) : c);
      }
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let off = 0;
      for (const c of chunks) {
        out.set(c, off);
        off += c.length;
      }
      return out;
    },
    writeFile: (p, d) => writeFile(p, d),
    openWrite: async (p) => {
      const h = await open(p, 'w');
      return {
        write: async (d) => {
          let off = 0;
          while (off < d.length) off += (await h.write(d, off, d.length - off)).bytesWritten;
        },
        close: () => h.close(),
      };
    },
    mkdirp: makeDirectories,
    freeBytes: async (p) => {
      try {
        // statfs is missing from some runtimes' node:fs (looked up, not imported)
        const statfs = (fsp as { statfs?: typeof fsp.statfs }).statfs;
        if (!statfs) return undefined;
        const s = await statfs(p);
        return Number(s.bavail) * Number(s.bsize);
      } catch {
        return undefined;
      }
    },
    kind: async (p) => {
      try {
        const s = await stat(p);
        return s.isDirectory() ? 'dir' : 'file';
      } catch {
        return undefined;
      }
    },
  };
}

/** An Io over the real file system whose output is captured (tests, embedding). */
export function captureIo(
  options: {
    cwd?: string;
    isTTY?: boolean;
    columns?: number;
    env?: Record<string, string | undefined>;
    stdin?: Uint8Array | string;
  } = {},
): Io & { readonly out: () => string; readonly err: () => string } {
  const base = processIo();
  let out = '';
  let err = '';
  return {
    ...base,
    stdout: {
      write: (t) => {
        out += t;
      },
    },
    stderr: {
      write: (t) => {
        err += t;
      },
    },
    isTTY: options.isTTY ?? false,
    columns: options.columns ?? 80,
    cwd: options.cwd ?? base.cwd,
    env: options.env ?? base.env,
    readStdin: async () =>
      typeof options.stdin === 'string'
        ? new TextEncoder().encode(options.stdin)
        : (options.stdin ?? new Uint8Array()),
    out: () => out,
    err: () => err,
  };
}
