/**
 * `.scfg` model files and `.sge` editor sessions: read and write exactly as Spark does (JSON in an
 * XZ container, plain JSON accepted), with spark-snn's provenance marker and bounded, safe parsing.
 *
 * @module
 */
import { decodeBody, encodeBody, fillDefaults } from './codec.ts';
import { pyJsonDumps, safeJsonParse } from './json.ts';
import { defaultRegistry, type Registry } from './registry.ts';
import type { Behaviour, ConfigBody, ConfigIssue, JsonObject, Provenance } from './types.ts';
import { type ValidateOptions, validateConfigBody } from './validate.ts';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, isXz, XzError, xzCompress, xzDecompress } from './xz.ts';

/** Key of the provenance marker inside the top-level `__metadata__`. */
export const PROVENANCE_KEY = 'spark_snn';
/** Name written in the provenance marker. */
export const FORMAT_NAME = 'spark-snn';
/** Version of spark-snn's additions to the `.scfg` format. */
export const FORMAT_VERSION = 1;

/** A decoded config file. */
export interface ConfigDocument {
  /** Spark `CONFIG` registry name of the top-level config: `brain_config`, `neuron_config`, … */
  type: string;
  /** The config body, defaults filled (unless read as a session). */
  config: ConfigBody;
  /** `'spark'` when the file carries no spark-snn marker. */
  provenance: Provenance;
  /** Quirk handling: `'spark'` for Spark files, `'corrected'` for spark-snn files; may be overridden. */
  behaviour: Behaviour;
  /** The file was XZ-compressed. */
  compressed: boolean;
}

/** Options of {@link readScfg}. */
export interface ReadOptions {
  /** Registry to resolve module names (default: {@link defaultRegistry}). */
  registry?: Registry;
  /** Limit on the (decompressed) JSON size in bytes; default 256 MiB. */
  maxBytes?: number;
  /** Override the quirk behaviour implied by the provenance marker. */
  behaviour?: Behaviour;
  /** Fill missing fields with their defaults (default true; sessions use false). */
  fillDefaults?: boolean;
  /** Tolerate partial content (sessions). */
  partial?: boolean;
}

/** Result of reading: `ok` is false only when nothing usable could be decoded. */
export type ReadResult =
  | { ok: true; document: ConfigDocument; issues: ConfigIssue[] }
  | { ok: false; document?: undefined; issues: ConfigIssue[] };

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(message: string, code: ConfigIssue['code'] = 'file', hint?: string): ReadResult {
  return { ok: false, issues: [{ path: '', message, severity: 'error', code, ...(hint ? { hint } : {}) }] };
}

/** Decodes file bytes (XZ or plain UTF-8 JSON) to text, bounded by `maxBytes`. */
export function decodeFileText(
  input: Uint8Array | ArrayBuffer | string,
  maxBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
): { ok: true; text: string; compressed: boolean } | { ok: false; message: string } {
  if (typeof input === 'string') {
    if (input.length > maxBytes)
      return { ok: false, message: `file larger than the limit of ${maxBytes} bytes` };
    return { ok: true, text: input, compressed: false };
  }
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  let raw = bytes;
  let compressed = false;
  if (isXz(bytes)) {
    try {
      raw = xzDecompress(bytes, { maxOutputBytes: maxBytes });
      compressed = true;
    } catch (e) {
      return {
        ok: false,
        message: `could not decompress the XZ container: ${e instanceof XzError ? e.message : String(e)}`,
      };
    }
  } else if (bytes.length > maxBytes)
    return { ok: false, message: `file larger than the limit of ${maxBytes} bytes` };
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { ok: true, text, compressed };
  } catch {
    const at = firstInvalidUtf8(raw);
    return {
      ok: false,
      message: compressed
        ? `the XZ container decompresses to ${raw.length} bytes that are not UTF-8 text (invalid byte 0x${hex(raw[at])} at offset ${at} of the decompressed data)`
        : `the file is neither XZ-compressed nor UTF-8 text (invalid byte 0x${hex(raw[at])} at offset ${at})`,
    };
  }
}

const hex = (b: number | undefined) => (b ?? 0).toString(16).padStart(2, '0');

/** Offset of the first byte that breaks UTF-8 (the start of the bad sequence). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const len =
      c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > b.length) return i;
    for (let k = 1; k < len; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += len;
  }
  return b.length;
}

/**
 * Reads a `.scfg` file (bytes of an XZ container or plain JSON, or JSON text) into a
 * {@link ConfigDocument}. Never throws: problems come back as issues. Decoding issues only; call
 * {@link validateDocument} for the full check.
 */
export function readScfg(input: Uint8Array | ArrayBuffer | string, options: ReadOptions = {}): ReadResult {
  const t = decodeFileText(input, options.maxBytes);
  if (!t.ok) return fail(t.message);
  const parsed = safeJsonParse(t.text);
  if (!parsed.ok) return fail(`invalid JSON: ${parsed.message}`, 'json');
  const issues: ConfigIssue[] = parsed.strippedKeys.map((k) => ({
    path: '',
    message: `removed the unsafe key "${k}"`,
    severity: 'error' as const,
    code: 'unsafe_key' as const,
  }));
  return documentFromJson(parsed.value, { ...options, compressed: t.compressed }, issues);
}

/** Builds a document from already-parsed `.scfg` JSON (e.g. the `config` of a golden fixture). */
export function documentFromJson(
  value: unknown,
  options: ReadOptions & { compressed?: boolean },
  issues: ConfigIssue[] = [],
): ReadResult {
  let doc = value;
  if (isObj(doc) && '__version__' in doc && '__data__' in doc) {
    if (doc.__version__ !== '1.0') {
      return {
        ok: false,
        issues: [
          ...issues,
          {
            path: '__version__',
            message: `unsupported format version ${JSON.stringify(doc.__version__)}`,
            severity: 'error',
            code: 'file',
          },
        ],
      };
    }
    doc = doc.__data__;
  }
  if (!isObj(doc) || typeof doc.__type__ !== 'string' || !isObj(doc.__cfg__)) {
    return {
      ok: false,
      issues: [
        ...issues,
        {
          path: '',
          message: 'not a Spark config document (expected {"__type__": "<name>_config", "__cfg__": {...}})',
          severity: 'error',
          code: 'file',
        },
      ],
    };
  }
  const type = doc.__type__;
  const registry = options.registry ?? defaultRegistry;
  const spec = registry.getByConfigName(type);
  if (!spec) {
    issues.push({
      path: '__type__',
      message: `unknown config type "${type}"`,
      severity: 'error',
      code: 'unknown_config_type',
    });
  }
  const ctx = { registry, issues, partial: options.partial ?? false };
  let config = decodeBody(spec, doc.__cfg__, '', ctx);
  const meta = config.__metadata__;
  let provenance: Provenance = 'spark';
  if (
    isObj(meta) &&
    isObj(meta[PROVENANCE_KEY]) &&
    (meta[PROVENANCE_KEY] as JsonObject).name === FORMAT_NAME
  ) {
    provenance = 'spark-snn';
    const { [PROVENANCE_KEY]: _marker, ...rest } = meta;
    config.__metadata__ = rest;
  }
  if (options.fillDefaults !== false && spec) config = fillDefaults(spec, config, registry);
  return {
    ok: true,
    document: {
      type,
      config,
      provenance,
      behaviour: options.behaviour ?? (provenance === 'spark-snn' ? 'corrected' : 'spark'),
      compressed: options.compressed ?? false,
    },
    issues,
  };
}

/**
 * Validates a whole document (wiring, types, ranges, shapes, and for a brain its buffers against the
 * memory budget); see {@link validateConfigBody}. A `neuron_config` document is a neuron template
 * (`units` may be `[]`, as Spark writes them) unless `options.template` says otherwise.
 */
export function validateDocument(
  doc: ConfigDocument,
  registry: Registry = defaultRegistry,
  options: Omit<ValidateOptions, 'registry' | 'behaviour'> = {},
): ConfigIssue[] {
  const spec = registry.getByConfigName(doc.type);
  if (!spec)
    return [
      {
        path: '__type__',
        message: `unknown config type "${doc.type}"`,
        severity: 'error',
        code: 'unknown_config_type',
      },
    ];
  return validateConfigBody(spec.name, doc.config, {
    template: doc.type === 'neuron_config',
    ...options,
    registry,
    behaviour: doc.behaviour,
  });
}

/** Options of {@link writeScfg}. */
export interface WriteOptions {
  /** Registry to resolve module names (default: {@link defaultRegistry}). */
  registry?: Registry;
  /** XZ-compress (default true, as Spark's `to_file`). */
  compress?: boolean;
}

/**
 * The document as Spark's JSON value: `{"__type__": ..., "__cfg__": {...}}`. A document whose
 * provenance is `'spark-snn'` gets the marker `__metadata__.spark_snn = {name, format_version}`.
 */
export function documentToJson(doc: ConfigDocument, registry: Registry = defaultRegistry): JsonObject {
  const spec = registry.getByConfigName(doc.type);
  let config = doc.config;
  if (doc.provenance === 'spark-snn') {
    config = {
      ...config,
      __metadata__: {
        ...(config.__metadata__ ?? {}),
        [PROVENANCE_KEY]: { name: FORMAT_NAME, format_version: FORMAT_VERSION },
      },
    };
  }
  return { __type__: doc.type, __cfg__: encodeBody(spec, config, registry) };
}

/** The document as the exact JSON text Spark writes (`json.dump(..., indent=4)`). */
export function scfgText(doc: ConfigDocument, registry: Registry = defaultRegistry): string {
  return pyJsonDumps(documentToJson(doc, registry));
}

/** Writes a `.scfg` file: XZ (CRC64) around Spark-style JSON, or the plain JSON bytes. */
export function writeScfg(doc: ConfigDocument, options: WriteOptions = {}): Uint8Array {
  const bytes = new TextEncoder().encode(scfgText(doc, options.registry));
  return options.compress === false ? bytes : xzCompress(bytes);
}

// ---------------------------------------------------------------------------------------------
// sessions
// ---------------------------------------------------------------------------------------------

/** A loaded editor session: a possibly invalid config and every problem found in it. */
export interface Session {
  document: ConfigDocument | undefined;
  /** Decoding and validation issues; nothing was dropped because of them. */
  issues: ConfigIssue[];
}

/**
 * Reads an `.sge` session (same container as `.scfg`): no defaults are filled and nothing is
 * dropped; the config is validated and every problem reported.
 */
export function readSession(
  input: Uint8Array | ArrayBuffer | string,
  options: Omit<ReadOptions, 'fillDefaults' | 'partial'> = {},
): Session {
  const r = readScfg(input, { ...options, fillDefaults: false, partial: true });
  if (!r.ok) return { document: undefined, issues: r.issues };
  const issues = [...r.issues];
  for (const i of validateDocument(r.document, options.registry)) {
    if (!issues.some((j) => j.path === i.path && j.code === i.code)) issues.push(i);
  }
  return { document: r.document, issues };
}

/** Writes an `.sge` session (never validates). */
export function writeSession(doc: ConfigDocument, options: WriteOptions = {}): Uint8Array {
  return writeScfg(doc, options);
}
