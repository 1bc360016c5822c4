/**
 * Exit codes and the errors commands throw. The dispatcher prints them as
 * `spark <cmd>: <path>: <message>` (no stack trace) and exits with their code.
 *
 * @module
 */

/** Exit codes of every command. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** Validation errors in the input, or a runtime failure (missing file, backend error, …). */
  error: 1,
  /** Bad command line: unknown command or option, missing or malformed argument. */
  usage: 2,
} as const;

/** A failure with a path (file, config path or option) and an exit code. */
export class CliError extends Error {
  /** What the message is about: a file, `file:config.path`, or an option name. Empty for none. */
  readonly path: string;
  readonly exitCode: number;
  /** Optional suggestion printed after the message. */
  readonly hint: string | undefined;
  constructor(path: string, message: string, options: { exitCode?: number; hint?: string } = {}) {
    super(message);
    this.name = 'CliError';
    this.path = path;
    this.exitCode = options.exitCode ?? EXIT.error;
    this.hint = options.hint;
  }
}

/** A command-line mistake (exit code 2); the dispatcher adds "see `spark <cmd> --help`". */
export class UsageError extends CliError {
  constructor(path: string, message: string) {
    super(path, message, { exitCode: EXIT.usage });
    this.name = 'UsageError';
  }
}

/** The message of anything thrown, without a stack. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
