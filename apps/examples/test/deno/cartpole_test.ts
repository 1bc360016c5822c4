// Deno: the CartPole closed loop (ab_brain on cpu) runs a very short episode, and the README command works.
import { createRegistry } from '@spark-snn/config';
import { CartPoleAgent, loadAbBrain } from '../../src/cartpole/agent.ts';
import { CartPole } from '../../src/cartpole/env.ts';
import { abBrainBytes } from '../../src/cartpole/run.ts';

declare const Deno: {
  test(name: string, fn: () => Promise<void>): void;
  execPath(): string;
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

Deno.test('deno run -A src/cartpole/main.ts prints the episode lines and the figures', async () => {
  const main = new URL('../../src/cartpole/main.ts', import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ['run', '-A', main, '--episodes', '1', '--max-steps', '2', '--brain-steps', '2'],
    stdout: 'piped',
    stderr: 'piped',
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (out.code !== 0) throw new Error(`exit ${out.code}: ${new TextDecoder().decode(out.stderr)}`);
  if (!/runtime deno/.test(text)) throw new Error(`not run by deno? ${text}`);
  if (!/episode {3}1: +\d+ steps/.test(text) || !/env-steps\/s/.test(text)) throw new Error(text);
});
