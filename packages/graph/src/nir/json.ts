/**
 * A **non-standard JSON debug form** of NIR graphs (`.nir.json`), for fixtures, UI and diffs.
 * NIR itself has no JSON form; files in this form are not NIR files and other tools cannot read
 * them. The document says so in its `format` field.
 *
 * @module
 */
import { type Diagnostic, diag } from '../diagnostics.ts';
import { type Tensor, type TensorDType, tensor } from '../tensor.ts';
import {
  graphFromDict,
  isDataset,
  type NirDict,
  type NirDictValue,
  type StringTensor,
  toDict,
} from './dict.ts';
import type { NirGraph } from './types.ts';

/** The `format` marker of the JSON debug form. */
export const NIR_JSON_FORMAT = 'spark-snn/nir-json-debug (NON-STANDARD: not a NIR file, for debugging only)';

type JsonValue = { dtype: string; shape: number[]; data: (number | string)[] } | { [k: string]: JsonValue };

function dictToJson(d: NirDict): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(d)) {
    out[k] = isDataset(v)
      ? { dtype: v.dtype, shape: [...v.shape], data: Array.from(v.data as ArrayLike<number | string>) }
      : dictToJson(v);
  }
  return out;
}

function jsonToDict(j: unknown, path: string, diagnostics: Diagnostic[]): NirDict {
  const out: Record<string, NirDictValue> = {};
  if (typeof j !== 'object' || j === null) return out;
  for (const [k, v] of Object.entries(j as Record<string, unknown>)) {
    const p = path ? `${path}.${k}` : k;
    if (typeof v !== 'object' || v === null) {
      diagnostics.push(diag('error', 'nir.json', p, 'expected an object'));
      continue;
    }
    const o = v as { dtype?: unknown; shape?: unknown; data?: unknown };
    if (typeof o.dtype === 'string' && Array.isArray(o.shape) && Array.isArray(o.data)) {
      const problem = datasetProblem(o.dtype, o.shape, o.data);
      if (problem) {
        diagnostics.push(diag('error', 'nir.json', p, problem));
        continue;
      }
      if (o.dtype === 'string')
        out[k] = {
          dtype: 'string',
          shape: o.shape as number[],
          data: (o.data as unknown[]).map(String),
        } satisfies StringTensor;
      else
        out[k] = tensor(o.data as number[], {
          dtype: o.dtype as TensorDType,
          shape: o.shape as number[],
        }) satisfies Tensor;
    } else out[k] = jsonToDict(v, p, diagnostics);
  }
  return out;
}

const DTYPES: ReadonlySet<string> = new Set([
  'string',
  'float32',
  'float64',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'bool',
]);

/** Why a JSON dataset `{dtype, shape, data}` cannot be a tensor, or undefined when it can. */
function datasetProblem(dtype: string, shape: unknown[], data: unknown[]): string | undefined {
  if (!DTYPES.has(dtype)) return `unknown dtype ${JSON.stringify(dtype)} (one of ${[...DTYPES].join(', ')})`;
  if (!shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0))
    return `shape ${JSON.stringify(shape)} must list non-negative integers`;
  const n = (shape as number[]).reduce((a, b) => a * b, 1);
  if (n !== data.length)
    return `shape [${shape.join(', ')}] holds ${n} values but the dataset has ${data.length}`;
  if (dtype !== 'string' && !data.every((x) => typeof x === 'number'))
    return `a ${dtype} dataset must hold numbers`;
  return undefined;
}

/** Serialises a graph to the JSON debug form (pretty-printed). */
export function toNirJson(graph: NirGraph, version = '0.2.0'): string {
  return JSON.stringify({ format: NIR_JSON_FORMAT, version, node: dictToJson(toDict(graph)) }, null, 1);
}

/** Parses the JSON debug form. Never throws: problems are diagnostics. */
export function fromNirJson(text: string): {
  graph: NirGraph | undefined;
  version: string | undefined;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return {
      graph: undefined,
      version: undefined,
      diagnostics: [diag('error', 'nir.json', '', `invalid JSON: ${(e as Error).message}`)],
    };
  }
  const o = doc as { format?: unknown; version?: unknown; node?: unknown };
  if (o.format !== NIR_JSON_FORMAT)
    diagnostics.push(
      diag('warning', 'nir.json', 'format', 'not marked as the spark-snn NIR JSON debug form'),
    );
  const dict = jsonToDict(o.node, '', diagnostics);
  const r = graphFromDict(dict);
  return {
    graph: r.graph,
    version: typeof o.version === 'string' ? o.version : undefined,
    diagnostics: [...diagnostics, ...r.diagnostics],
  };
}
