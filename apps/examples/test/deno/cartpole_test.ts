// Deno: the CartPole closed loop (ab_brain on cpu) runs a very short episode, and the README command
// trains two seeds × two short episodes and writes the learning curve.
import { createRegistry } from '@spark-snn/config';
import { CartPoleAgent, loadAbBrain } from '../../src/cartpole/agent.ts';
import { CURVE_CSV_HEADER, parseCurveCsv } from '../../src/cartpole/curve.ts';
import { CartPole } from '../../src/cartpole/env.ts';
import { abBrainBytes } from '../../src/cartpole/run.ts';

declare const Deno: {
  test(name: string, fn: () => Promise<void>): void;
  execPath(): string;
  makeTempDir(): Promise<string>;
  readTextFile(path: string): Promise<string>;
  remove(path: string, options: { recursive: boolean }): Promise<void>;
  Command: new (
    cmd: string,
    options: { args: string[]; cwd?: string; stdout?: 'piped'; stderr?: 'piped' },
  ) => { output(): Promise<{ code: number; stdout: Uint8Array; stderr: Uint8Array }> };
};

Deno.test('a short CartPole episode runs in Deno with the ab_brain agent', async () => {
  const registry = createRegistry();
  const agent = await CartPoleAgent.create(loadAbBrain(abBrainBytes(), registry), {
    backend: 'cpu',
    registry,
    brainStepsPerEnvStep: 3,
  });
  const env = new CartPole({ seed: 42, suttonBartoReward: true, maxEpisodeSteps: 3 });
  const r = await agent.runEpisode(env);
  agent.destroy();
  if (r.steps < 1 || r.steps > 3) throw new Error(`unexpected episode length ${r.steps}`);
  if (r.brainSteps !== 3 * (r.steps + 1) + (r.truncated ? 0 : 3))
    throw new Error(`unexpected brain steps ${r.brainSteps}`);
});

Deno.test('deno run -A apps/examples/src/cartpole/main.ts trains two seeds and writes the curve', async () => {
  const repo = new URL('../../../../', import.meta.url).pathname;
  const dir = await Deno.makeTempDir();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        'run',
        '-A',
        'apps/examples/src/cartpole/main.ts',
        ...['--episodes', '2', '--seeds', '2', '--max-steps', '2', '--brain-steps', '2', '--out', dir],
      ],
      cwd: repo,
      stdout: 'piped',
      stderr: 'piped',
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (out.code !== 0) throw new Error(`exit ${out.code}: ${new TextDecoder().decode(out.stderr)}`);
    if (!/runtime deno/.test(text)) throw new Error(`not run by deno? ${text}`);
    if (!/seed 43 episode {3}2: +\d+ steps/.test(text) || !/env-steps\/s/.test(text)) throw new Error(text);
    const csv = await Deno.readTextFile(`${dir}/curve.csv`);
    if (csv.split('\n')[0] !== CURVE_CSV_HEADER) throw new Error(`CSV header: ${csv.split('\n')[0]}`);
    const rows = parseCurveCsv(csv);
    const keys = rows.map((r) => `${r.seed}:${r.episode}`).join(' ');
    if (keys !== '42:1 42:2 43:1 43:2') throw new Error(`CSV rows: ${keys}`);
    for (const r of rows) {
      if (
        r.steps < 1 ||
        r.steps > 2 ||
        (r.outcome === 'truncated') !== (r.steps === 2) ||
        !(r.brainSteps! > 0)
      )
        throw new Error(`CSV row: ${JSON.stringify(r)}`);
    }
    const svg = await Deno.readTextFile(`${dir}/curve.svg`);
    if ((svg.match(/<polyline /g) ?? []).length !== 4) throw new Error('SVG: expected 2 panels');
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/summary.json`));
    if (summary.runtime !== 'deno' || summary.seeds.length !== 2)
      throw new Error(`summary: ${JSON.stringify(summary)}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
