/**
 * What a command is: its name, help text, options (Node's `util.parseArgs` format) and body.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';
import type { Io } from './io.ts';

/** One option in `util.parseArgs` form plus its help line. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** Placeholder shown in help, e.g. `N` or `FILE`. */
  readonly value?: string;
  readonly description: string;
  /** Shown as "(default: …)". */
  readonly defaultText?: string;
}

/** Parsed command line of a command. */
export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | string[] | boolean[] | undefined>>;
  readonly positionals: readonly string[];
}

/** What a command's body gets. */
export interface CommandContext {
  readonly io: Io;
  readonly args: Parsed;
  /** `--json`: one JSON document on stdout, nothing else there. */
  readonly json: boolean;
}

/** A `spark` command. */
export interface Command {
  readonly name: string;
  /** One line for `spark --help`. */
  readonly summary: string;
  /** Usage line(s) after `spark `, e.g. `validate FILE... [options]`. */
  readonly usage: readonly string[];
  /** Longer description (paragraphs). */
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Bounds on positionals. */
  readonly positionals: { readonly min: number; readonly max: number; readonly names: string };
  readonly examples: readonly string[];
  /** Runs the command; returns the exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/** Options every command has. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', description: 'show this help and exit' },
  json: { type: 'boolean', description: 'print one JSON document on stdout (for scripts)' },
};

/** Parses a command's argv; unknown options and wrong positional counts are {@link UsageError}s. */
export function parseCommandArgs(cmd: Command, argv: readonly string[]): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries({ ...COMMON_OPTIONS, ...cmd.options })) {
    options[name] = {
      type: o.type,
      ...(o.short ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError('', cleanParseError(e));
  }
  const values = parsed.values as Parsed['values'];
  if (values.help === true) return { values, positionals: parsed.positionals };
  const n = parsed.positionals.length;
  if (n < cmd.positionals.min) {
    throw new UsageError('', `missing ${cmd.positionals.names} (expected ${describeCount(cmd.positionals)})`);
  }
  if (n > cmd.positionals.max) {
    throw new UsageError(
      parsed.positionals[cmd.positionals.max] ?? '',
      `unexpected argument (expected ${describeCount(cmd.positionals)})`,
    );
  }
  return { values, positionals: parsed.positionals };
}

function describeCount(p: Command['positionals']): string {
  if (p.max === Number.POSITIVE_INFINITY) return `at least ${p.min} ${p.names}`;
  if (p.min === p.max) return `${p.min} ${p.names}`;
  return `${p.min} to ${p.max} ${p.names}`;
}

/** `util.parseArgs` messages mention its own API; keep the part a user needs. */
function cleanParseError(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const unknown = /Unknown option '([^']+)'/.exec(m);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /Option '([^']+)' argument missing/.exec(m);
  if (missing)
    return `option ${missing[1]!
      .split(',')
      .pop()
      ?.trim()
      .replace(/ <value>$/, '')} needs a value`;
  const ambiguous = /Option '([^']+)' argument is ambiguous/.exec(m);
  if (ambiguous) {
    const name = ambiguous[1]!.split(',').pop()?.trim();
    return `option ${name} has a value starting with "-": write it as ${name}=VALUE`;
  }
  const bool = /Option '([^']+)' does not take an argument/.exec(m);
  if (bool) return `option ${bool[1]!.split(',').pop()?.trim()} does not take a value`;
  return m.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
}

/** Typed access to parsed values. */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a repeatable string option. */
export function strs(p: Parsed, name: string): string[] {
  const v = p.values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** True when a boolean option was given. */
export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** A positive integer option, or a {@link UsageError}. */
export function intOption(p: Parsed, name: string, fallback: number, min = 1): number {
  const raw = str(p, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()))
    throw new UsageError(`--${name}`, `expected an integer ≥ ${min}, got "${raw}"`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`--${name}`, `expected an integer ≥ ${min}, got "${raw}"`);
  return n;
}

/** The help text of a command. */
export function commandHelp(cmd: Command): string {
  const lines: string[] = [];
  lines.push(`spark ${cmd.name} — ${cmd.summary}`, '');
  lines.push('Usage:');
  for (const u of cmd.usage) lines.push(`  spark ${u}`);
  lines.push('', ...cmd.description.split('\n').map((l) => (l ? `${l}` : '')), '');
  lines.push('Options:');
  const all = { ...cmd.options, ...COMMON_OPTIONS };
  const rows = Object.entries(all).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const right = `${o.description}${o.defaultText ? ` (default: ${o.defaultText})` : ''}${o.multiple ? ' [repeatable]' : ''}`;
    return [left, right] as const;
  });
  const w = Math.max(...rows.map(([l]) => l.length));
  for (const [l, r] of rows) lines.push(`  ${l.padEnd(w)}  ${r}`);
  if (cmd.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const e of cmd.examples) lines.push(`  ${e}`);
  }
  lines.push('', 'Exit codes: 0 ok, 1 validation or runtime error, 2 usage error.');
  return `${lines.join('\n')}\n`;
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 2 ** 10,
  m: 1e6,
  mb: 1e6,
  mib: 2 ** 20,
  g: 1e9,
  gb: 1e9,
  gib: 2 ** 30,
  t: 1e12,
  tb: 1e12,
  tib: 2 ** 40,
};

/** The `--memory-budget` option shared by run and validate. */
export const MEMORY_BUDGET_OPTION: OptionSpec = {
  type: 'string',
  value: 'SIZE',
  description:
    'memory for the brain (and in-memory recordings), e.g. 2GiB, 512MB or bytes; "none" = no limit',
  defaultText: "half of this machine's memory",
};

/** A byte size option (`2GiB`, `512MB`, `1.5G`, `1000000`; `none` = Infinity), or undefined when absent. */
export function bytesOption(p: Parsed, name: string): number | undefined {
  const raw = str(p, name);
  if (raw === undefined) return undefined;
  if (raw.trim().toLowerCase() === 'none') return Number.POSITIVE_INFINITY;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const unit = m ? BYTE_UNITS[m[2]!.toLowerCase()] : undefined;
  const n = m && unit !== undefined ? Number(m[1]) * unit : Number.NaN;
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(
      `--${name}`,
      `expected a size such as 2GiB, 512MB or a number of bytes, got "${raw}"`,
    );
  return Math.floor(n);
}
