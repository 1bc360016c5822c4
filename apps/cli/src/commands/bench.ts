/**
 * `spark bench`: runs the benchmark harness (`@spark-snn/bench`, apps/bench), a dependency of the CLI
 * loaded on demand (so the other commands do not pay for it).
 *
 * @module
 */
import { type Command, str } from '../command.ts';
import { CliError, EXIT, messageOf } from '../errors.ts';

/** What the CLI expects from the harness package. */
export interface BenchHarness {
  /** Runs the suite; writes its report through `write`; returns the exit code. */
  runBenchmarks(options: {
    suite?: string;
    backend?: string;
    out?: string;
    json: boolean;
    tty: boolean;
    write: (text: string) => void;
  }): Promise<number>;
}

/** Specifier of the harness; a variable so that bundlers and the dependency check leave it alone. */
const HARNESS = '@spark-snn/bench';

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the benchmark harness (reference networks, steps/s, real-time factor)',
  usage: ['bench [--suite NAME] [--backend auto|webgpu|gpujs|cpu] [--out DIR] [--json]'],
  description: [
    'Runs the benchmark suite of benchmarks.md (apps/bench, package @spark-snn/bench) and prints',
    'its report. Software adapters (SwiftShader, lavapipe) give correctness, not performance numbers.',
  ].join('\n'),
  options: {
    suite: {
      type: 'string',
      short: 's',
      value: 'NAME',
      description: 'which suite to run',
      defaultText: 'the harness default',
    },
    backend: {
      type: 'string',
      short: 'b',
      value: 'NAME',
      description: 'auto, webgpu, gpujs or cpu',
      defaultText: 'auto',
    },
    out: { type: 'string', short: 'o', value: 'DIR', description: 'write the report files to DIR' },
  },
  positionals: { min: 0, max: 0, names: 'arguments' },
  examples: ['spark bench', 'spark bench --suite W0 --backend webgpu --json'],
  async run({ io, args, json }) {
    let harness: Partial<BenchHarness>;
    try {
      harness = (await import(/* @vite-ignore */ HARNESS)) as Partial<BenchHarness>;
    } catch (e) {
      throw new CliError(
        HARNESS,
        'the benchmark harness could not be loaded (reinstall the CLI with its dependencies: pnpm install)',
        {
          hint: messageOf(e).split('\n')[0] ?? '',
        },
      );
    }
    if (typeof harness.runBenchmarks !== 'function') {
      throw new CliError(HARNESS, 'does not export runBenchmarks(options)');
    }
    const suite = str(args, 'suite');
    const backend = str(args, 'backend');
    const out = str(args, 'out');
    const code = await harness.runBenchmarks({
      ...(suite ? { suite } : {}),
      ...(backend ? { backend } : {}),
      ...(out ? { out } : {}),
      json,
      tty: io.isTTY,
      write: (t) => io.stdout.write(t),
    });
    return code === 0 ? EXIT.ok : EXIT.error;
  },
};
