/** Shared helpers of the CLI tests: run `spark` in-process on real files and capture its output. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturePath } from '@spark-snn/testing/fixtures';
import { runCli } from '../../src/cli.ts';
import { captureIo } from '../../src/io.ts';

/** The CLI's own fixtures (written by test/fixtures/generate.ts). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** Files of `<repo>/fixtures` (upstream Spark and NIR files), SHA-256 checked by the shared loader. */
export const AB_BRAIN = fixturePath('spark/ab_brain.scfg');
export const ALIF_MOD_NEURON = join(FIXTURES, 'alif_mod_neuron.scfg');
export const NIR = (name: string): string => fixturePath(`nir/${name}.nir`);

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'spark-cli-test-'));
}

/** Runs `spark ...args` in-process with `cwd` = the CLI fixtures (or `cwd`). */
export async function spark(
  args: string[],
  options: { cwd?: string; isTTY?: boolean; stdin?: Uint8Array | string } = {},
): Promise<{ code: number; out: string; err: string; json: () => Record<string, unknown> }> {
  const io = captureIo({
    cwd: options.cwd ?? FIXTURES,
    isTTY: options.isTTY ?? false,
    env: {},
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
  });
  const code = await runCli(args, io);
  const out = io.out();
  return { code, out, err: io.err(), json: () => JSON.parse(out) as Record<string, unknown> };
}
