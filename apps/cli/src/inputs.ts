/**
 * Input streams for `spark run`: files (.npy, .csv, .json) or generators, per brain input.
 *
 * ```
 * --input drive=stim.npy            steps × size (or size values held constant)
 * --input drive=const:100,250,400   constant values (the list gives the size)
 * --input drive=uniform:0:1:16      uniform random in [0, 1), 16 values per step
 * --input drive=poisson:20:16       0/1 spikes at 20 Hz (p = rate·dt), 16 channels
 * --input drive=sine:50:100:4       50·sin(2π t/100 ms), 4 channels (optional 5th field: offset)
 * ```
 *
 * @module
 */
import { extname } from 'node:path';
import { decodeNpy, mulberry32 } from '@spark-snn/core';
import { CliError, UsageError } from './errors.ts';
import type { Io } from './io.ts';
import { readUserFile } from './model.ts';

/** A source of values for one brain input. */
export interface InputSource {
  readonly name: string;
  /** Values per step. */
  readonly size: number;
  /** What the user gave (for the manifest). */
  readonly spec: string;
  /** `count × size` values for steps `start … start+count-1`. */
  chunk(start: number, count: number): Float32Array;
}

/** Largest float32 (input streams are float32). */
const FLOAT32_MAX = 3.4028234663852886e38;
/** Largest input size per step (32-bit buffer indices). */
const MAX_SIZE = 2 ** 31 - 1;

function num(s: string | undefined, what: string, spec: string): number {
  const n = Number(s);
  if (s === undefined || s.trim() === '' || !Number.isFinite(n))
    throw new UsageError('--input', `${spec}: ${what} must be a number, got "${s ?? ''}"`);
  if (Math.abs(n) > FLOAT32_MAX)
    throw new UsageError('--input', `${spec}: ${what} ${s} overflows float32 (inputs are float32)`);
  return n;
}

function size(s: string | undefined, spec: string): number {
  const n = num(s, 'size', spec);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIZE)
    throw new UsageError('--input', `${spec}: size must be an integer from 1 to ${MAX_SIZE}, got "${s}"`);
  return n;
}

/** A generator: deterministic per step (random ones are seeded from `seed`, the input name and the step). */
function generator(
  name: string,
  spec: string,
  body: string,
  dt: number,
  seed: number,
): InputSource | undefined {
  const [kind, ...f] = body.split(':');
  const salt = [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const rng = (step: number) => mulberry32((seed * 0x9e3779b1) ^ salt ^ Math.imul(step + 1, 0x85ebca6b));
  switch (kind) {
    case 'const': {
      const values = (f[0] ?? '').split(',').map((v) => num(v, 'value', spec));
      if (f.length !== 1) throw new UsageError('--input', `${spec}: expected const:V[,V...]`);
      return {
        name,
        size: values.length,
        spec,
        chunk: (_s, count) => tile(Float32Array.from(values), count),
      };
    }
    case 'uniform': {
      if (f.length !== 3) throw new UsageError('--input', `${spec}: expected uniform:LOW:HIGH:SIZE`);
      const lo = num(f[0], 'LOW', spec);
      const hi = num(f[1], 'HIGH', spec);
      if (!(hi > lo))
        throw new UsageError('--input', `${spec}: HIGH (${f[1]}) must be greater than LOW (${f[0]})`);
      const n = size(f[2], spec);
      return {
        name,
        size: n,
        spec,
        chunk: (start, count) => {
          const out = new Float32Array(count * n);
          for (let t = 0; t < count; t++) {
            const r = rng(start + t);
            for (let i = 0; i < n; i++) out[t * n + i] = lo + (hi - lo) * r();
          }
          return out;
        },
      };
    }
    case 'poisson': {
      if (f.length !== 2) throw new UsageError('--input', `${spec}: expected poisson:RATE_HZ:SIZE`);
      const rate = num(f[0], 'RATE_HZ', spec);
      const maxRate = 1000 / dt;
      if (rate < 0 || rate > maxRate)
        throw new UsageError(
          '--input',
          `${spec}: RATE_HZ must be from 0 to ${maxRate} (one spike per step at dt ${dt} ms), got ${f[0]}`,
        );
      const n = size(f[1], spec);
      const p = (rate * dt) / 1000;
      return {
        name,
        size: n,
        spec,
        chunk: (start, count) => {
          const out = new Float32Array(count * n);
          for (let t = 0; t < count; t++) {
            const r = rng(start + t);
            for (let i = 0; i < n; i++) out[t * n + i] = r() < p ? 1 : 0;
          }
          return out;
        },
      };
    }
    case 'sine': {
      if (f.length !== 3 && f.length !== 4)
        throw new UsageError('--input', `${spec}: expected sine:AMPLITUDE:PERIOD_MS:SIZE[:OFFSET]`);
      const amp = num(f[0], 'AMPLITUDE', spec);
      const period = num(f[1], 'PERIOD_MS', spec);
      if (!(period > 0)) throw new UsageError('--input', `${spec}: PERIOD_MS must be > 0, got ${f[1]}`);
      const n = size(f[2], spec);
      const offset = f[3] === undefined ? 0 : num(f[3], 'OFFSET', spec);
      return {
        name,
        size: n,
        spec,
        chunk: (start, count) => {
          const out = new Float32Array(count * n);
          for (let t = 0; t < count; t++)
            out.fill(offset + amp * Math.sin((2 * Math.PI * (start + t) * dt) / period), t * n, (t + 1) * n);
          return out;
        },
      };
    }
    default:
      if (f.length > 0 && /^[a-z]+$/i.test(kind ?? '') && !/\.(npy|csv|json)$/i.test(body)) {
        throw new UsageError(
          '--input',
          `${spec}: unknown generator "${kind}" (const, uniform, poisson, sine) and not an input file`,
        );
      }
      return undefined;
  }
}

function tile(row: Float32Array, count: number): Float32Array {
  const out = new Float32Array(row.length * count);
  for (let t = 0; t < count; t++) out.set(row, t * row.length);
  return out;
}

function fromMatrix(
  name: string,
  spec: string,
  file: string,
  rows: number,
  cols: number,
  data: ArrayLike<number>,
  steps: number,
  constant: boolean,
): InputSource {
  if (constant) {
    const row = Float32Array.from(data);
    return { name, size: row.length, spec, chunk: (_s, count) => tile(row, count) };
  }
  if (rows < steps) throw new CliError(file, `has ${rows} steps of input, --steps is ${steps}`);
  const all = Float32Array.from(data);
  return { name, size: cols, spec, chunk: (start, count) => all.slice(start * cols, (start + count) * cols) };
}

/** Parses a column selection: `0`, `0,2`, `1-3` (0-based, inclusive ranges). */
export function parseColumns(sel: string, size: number, where: string): number[] {
  const cols: number[] = [];
  for (const part of sel.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m)
      throw new UsageError('--input', `${where}: bad column selection "${sel}" (e.g. #0, #0,2 or #1-3)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError('--input', `${where}: bad column range "${part.trim()}"`);
    for (let c = a; c <= b; c++) {
      if (c >= size) throw new CliError(where, `has ${size} columns, column ${c} was asked for`);
      cols.push(c);
    }
  }
  return cols;
}

/** A file source, optionally restricted to columns with `FILE#COLS`. */
async function fromFileColumns(
  io: Io,
  name: string,
  spec: string,
  body: string,
  steps: number,
): Promise<InputSource> {
  const hash = body.lastIndexOf('#');
  if (hash < 0) return fromFile(io, name, spec, body, steps);
  const file = body.slice(0, hash);
  const src = await fromFile(io, name, spec, file, steps);
  const cols = parseColumns(body.slice(hash + 1), src.size, file);
  const n = src.size;
  return {
    name,
    spec,
    size: cols.length,
    chunk: (start, count) => {
      const all = src.chunk(start, count);
      const out = new Float32Array(count * cols.length);
      for (let t = 0; t < count; t++)
        for (let k = 0; k < cols.length; k++) out[t * cols.length + k] = all[t * n + cols[k]!]!;
      return out;
    },
  };
}

async function fromFile(
  io: Io,
  name: string,
  spec: string,
  file: string,
  steps: number,
): Promise<InputSource> {
  const bytes = await readUserFile(io, file);
  const ext = extname(file).toLowerCase();
  if (ext === '.npy') {
    let a: ReturnType<typeof decodeNpy>;
    try {
      a = decodeNpy(bytes);
    } catch (e) {
      throw new CliError(file, e instanceof Error ? e.message : String(e));
    }
    if (a.shape.length === 0) return fromMatrix(name, spec, file, 1, 1, a.data, steps, true);
    if (a.shape.length === 1) {
      // [steps] for a one-value input is ambiguous with [size]: a length equal to --steps means a stream.
      if (a.shape[0] === steps && steps > 1)
        return fromMatrix(name, spec, file, steps, 1, a.data, steps, false);
      return fromMatrix(name, spec, file, 1, a.shape[0]!, a.data, steps, true);
    }
    const rows = a.shape[0]!;
    return fromMatrix(name, spec, file, rows, a.data.length / Math.max(rows, 1), a.data, steps, false);
  }
  const text = new TextDecoder().decode(bytes);
  if (ext === '.csv') {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const rows: number[][] = [];
    lines.forEach((l, k) => {
      const cells = l.split(',').map((c) => c.trim());
      const vals = cells.map(Number);
      if (vals.some((v) => !Number.isFinite(v))) {
        if (k === 0) return; // header
        throw new CliError(`${file}:${k + 1}`, `not a number in "${l.slice(0, 60)}"`);
      }
      rows.push(vals);
    });
    if (rows.length === 0) throw new CliError(file, 'no numeric rows');
    const cols = rows[0]!.length;
    const bad = rows.findIndex((r) => r.length !== cols);
    if (bad >= 0)
      throw new CliError(`${file}:${bad + 1}`, `has ${rows[bad]!.length} columns, the first row ${cols}`);
    return fromMatrix(name, spec, file, rows.length, cols, rows.flat(), steps, rows.length === 1);
  }
  if (ext === '.json') return fromJsonValue(name, spec, file, parseJson(file, text), steps);
  throw new UsageError(
    '--input',
    `${spec}: unknown input file type "${ext || '(none)'}" (expected .npy, .csv, .json or a generator const:/uniform:/poisson:/sine:)`,
  );
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(file, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function fromJsonValue(name: string, spec: string, file: string, v: unknown, steps: number): InputSource {
  if (Array.isArray(v) && v.every((x) => typeof x === 'number'))
    return fromMatrix(name, spec, file, 1, v.length, v, steps, true);
  if (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number'))
  ) {
    const rows = v as number[][];
    const cols = rows[0]!.length;
    if (rows.some((r) => r.length !== cols)) throw new CliError(file, 'rows have different lengths');
    return fromMatrix(name, spec, file, rows.length, cols, rows.flat(), steps, false);
  }
  throw new CliError(file, `${name}: expected an array of numbers or an array of rows`);
}

/**
 * `--input inputs.json` without a name: a JSON object with one entry per brain input, each an array
 * (values held constant), an array of rows (one per step) or a generator string.
 */
async function fromJsonObject(
  io: Io,
  file: string,
  o: { steps: number; dt: number; seed: number },
): Promise<InputSource[] | undefined> {
  const v = parseJson(file, new TextDecoder().decode(await readUserFile(io, file)));
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  return Object.entries(v as Record<string, unknown>).map(([name, value]) => {
    const spec = `${file}:${name}`;
    if (typeof value === 'string') {
      const g = generator(name, spec, value, o.dt, o.seed);
      if (!g)
        throw new CliError(
          `${file}:${name}`,
          `"${value}" is not a generator (const, uniform, poisson, sine)`,
        );
      return g;
    }
    return fromJsonValue(name, spec, `${file}:${name}`, value, o.steps);
  });
}

/** Parses every `--input` for the brain's input names. */
export async function parseInputs(
  io: Io,
  specs: readonly string[],
  inputNames: readonly string[],
  o: { steps: number; dt: number; seed: number },
): Promise<InputSource[]> {
  const out: InputSource[] = [];
  for (const spec of specs) {
    const m = /^([A-Za-z_][\w.-]*)=(.*)$/.exec(spec);
    let name: string;
    let body: string;
    if (m) {
      name = m[1]!;
      body = m[2]!;
    } else if (/\.json$/i.test(spec) && inputNames.length !== 1) {
      const all = await fromJsonObject(io, spec, o);
      if (!all)
        throw new CliError(
          spec,
          `expected a JSON object with one entry per brain input (${inputNames.join(', ')})`,
        );
      for (const s of all) {
        if (!inputNames.includes(s.name)) {
          throw new CliError(
            `${spec}:${s.name}`,
            `the brain has no input "${s.name}" (inputs: ${inputNames.join(', ')})`,
          );
        }
        if (out.some((x) => x.name === s.name))
          throw new UsageError('--input', `input "${s.name}" given twice`);
        out.push(s);
      }
      continue;
    } else if (inputNames.length === 1) {
      name = inputNames[0]!;
      body = spec;
    } else {
      throw new UsageError(
        '--input',
        `"${spec}": name the input (NAME=SOURCE); the brain has inputs ${inputNames.join(', ')}`,
      );
    }
    if (!inputNames.includes(name)) {
      throw new UsageError(
        '--input',
        `the brain has no input "${name}" (inputs: ${inputNames.join(', ') || 'none'})`,
      );
    }
    if (out.some((s) => s.name === name)) throw new UsageError('--input', `input "${name}" given twice`);
    const gen = generator(name, spec, body, o.dt, o.seed);
    out.push(gen ?? (await fromFileColumns(io, name, spec, body, o.steps)));
  }
  const missing = inputNames.filter((n) => !out.some((s) => s.name === n));
  if (missing.length > 0) {
    throw new UsageError(
      '--input',
      `missing ${missing.map((n) => `"${n}"`).join(', ')} (the brain's inputs: ${inputNames.join(', ')}; e.g. --input ${missing[0]}=const:1)`,
    );
  }
  return out;
}
