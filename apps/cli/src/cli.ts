/**
 * The dispatcher: `spark <command> [options]`. Prints errors as `spark <cmd>: <path>: <message>`
 * (never a stack trace unless `SPARK_DEBUG=1`) and returns the exit code.
 *
 * @module
 */
import { closestName } from '@spark-snn/core';
import { type Command, commandHelp, flag, parseCommandArgs } from './command.ts';
import { benchCommand } from './commands/bench.ts';
import { convertCommand } from './commands/convert.ts';
import { infoCommand } from './commands/info.ts';
import { mapCommand } from './commands/map.ts';
import { runCommand } from './commands/run.ts';
import { validateCommand } from './commands/validate.ts';
import { CliError, EXIT, messageOf, UsageError } from './errors.ts';
import type { Io } from './io.ts';
import { CLI_VERSION_TEXT } from './version.ts';

/** Version of the CLI (kept equal to package.json by a test). */
export const CLI_VERSION = CLI_VERSION_TEXT;

/** Every command, in help order. */
export const COMMANDS: readonly Command[] = [
  runCommand,
  validateCommand,
  convertCommand,
  mapCommand,
  benchCommand,
  infoCommand,
];

/** `spark --help`. */
export function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'spark — spiking neural networks (Spark models, NIR graphs) from the command line',
    '',
    'Usage:',
    '  spark <command> [options]',
    '  spark <command> --help',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'Global options:',
    '  -h, --help     show help (also: spark help <command>)',
    '  -V, --version  print the version',
    '      --json     (on every command) print one JSON document on stdout',
    '',
    'Exit codes: 0 ok, 1 validation or runtime error, 2 usage error.',
    '',
  ].join('\n');
}

function nearest(name: string): string | undefined {
  return closestName(
    name,
    COMMANDS.map((c) => c.name),
    { maxDistance: 2 },
  );
}

function printError(io: Io, cmd: string, e: CliError): void {
  const where = e.path ? `${e.path}: ` : '';
  io.stderr.write(`spark${cmd ? ` ${cmd}` : ''}: ${where}${e.message}\n`);
  if (e.hint) io.stderr.write(`  hint: ${e.hint}\n`);
  if (e instanceof UsageError) io.stderr.write(`Run 'spark${cmd ? ` ${cmd}` : ''} --help' for usage.\n`);
}

/** Runs `spark` with the given arguments (without the program name). Never throws. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(mainHelp());
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h') {
    io.stdout.write(mainHelp());
    return EXIT.ok;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`spark ${CLI_VERSION} (${io.runtime.name} ${io.runtime.version})\n`);
    return EXIT.ok;
  }
  if (first === 'help') {
    const target = rest[0];
    if (target === undefined) {
      io.stdout.write(mainHelp());
      return EXIT.ok;
    }
    const c = COMMANDS.find((x) => x.name === target);
    if (!c) {
      printError(io, '', new UsageError(target, `unknown command${suggest(target)}`));
      return EXIT.usage;
    }
    io.stdout.write(commandHelp(c));
    return EXIT.ok;
  }
  const cmd = COMMANDS.find((c) => c.name === first);
  if (!cmd) {
    const e = first.startsWith('-')
      ? new UsageError(first, 'unknown option (a command comes first)')
      : new UsageError(first, `unknown command${suggest(first)}`);
    printError(io, '', e);
    return EXIT.usage;
  }
  const wantsJson = rest.includes('--json');
  try {
    const args = parseCommandArgs(cmd, rest);
    if (flag(args, 'help')) {
      io.stdout.write(commandHelp(cmd));
      return EXIT.ok;
    }
    return await cmd.run({ io, args, json: flag(args, 'json') });
  } catch (e) {
    const err = e instanceof CliError ? e : new CliError('', `internal error: ${messageOf(e)}`);
    printError(io, cmd.name, err);
    if (!(e instanceof CliError) && io.env.SPARK_DEBUG && e instanceof Error && e.stack)
      io.stderr.write(`${e.stack}\n`);
    if (wantsJson) {
      io.stdout.write(
        `${JSON.stringify({ ok: false, command: cmd.name, error: { path: err.path, message: err.message, exitCode: err.exitCode, ...(err.hint ? { hint: err.hint } : {}) } }, null, 2)}\n`,
      );
    }
    return err.exitCode;
  }
}

function suggest(name: string): string {
  const n = nearest(name);
  return n ? ` (did you mean "${n}"?)` : ` (commands: ${COMMANDS.map((c) => c.name).join(', ')})`;
}
