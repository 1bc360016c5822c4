/**
 * CartPole closed loop: Spark's tutorial #6 in TypeScript. Loads `ab_brain.scfg` (after registering
 * `alif_mod_neuron`), trains it on CartPole-v1 with Sutton–Barto rewards and reward-modulated
 * plasticity, prints one line per episode and a summary (episodes to the 500-step cap, env-steps/s).
 *
 * Usage: pnpm --filter @spark-snn/examples cartpole [--episodes 150] [--backend cpu|webgpu|gpujs|auto]
 *          [--brain-steps 50] [--max-steps 500] [--seed 42] [--time-limit SECONDS] [--json FILE]
 *        deno run -A apps/examples/src/cartpole/main.ts [same flags]
 */
import { writeFileSync } from 'node:fs';
import { type CartPoleAgent, type EpisodeResult, summarise, TUTORIAL } from './agent.ts';
import { CartPole } from './env.ts';
import { abBrainBytes, createAgent, parseCartPoleArgs } from './run.ts';

const args = parseCartPoleArgs(process.argv.slice(2));
const runtime = 'Deno' in globalThis ? 'deno' : 'node';
console.log(
  `CartPole-v1 × ab_brain: ${args.episodes} episodes, ${args.brainSteps} brain steps per env step, ` +
    `backend ${args.backend}, seed ${args.seed}, runtime ${runtime}`,
);
let agent: CartPoleAgent;
try {
  agent = await createAgent(abBrainBytes(), args);
} catch (e) {
  console.error(`cannot start the ${args.backend} backend: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
console.log(`backend: ${agent.brain.backend?.kind} — ${agent.brain.backend?.reason}`);
const env = new CartPole({ seed: args.seed, suttonBartoReward: true, maxEpisodeSteps: args.maxSteps });
await agent.prime(env);
const results: EpisodeResult[] = [];
const t0 = performance.now();
for (let e = 0; e < args.episodes; e++) {
  const r = await agent.runEpisode(env);
  results.push(r);
  const how = r.truncated ? 'cap' : r.outOfBounds ? 'out of bounds' : 'pole fell';
  console.log(
    `episode ${String(e + 1).padStart(3)}: ${String(r.steps).padStart(3)} steps (${how}), ` +
      `EMA ${r.ema.toFixed(2)}, scale ${r.modulationScale.toFixed(3)}, ` +
      `${((r.steps * 1000) / r.ms).toFixed(2)} env-steps/s`,
  );
  if (args.timeLimit > 0 && performance.now() - t0 > args.timeLimit * 1000 && e + 1 < args.episodes) {
    console.log(`time limit of ${args.timeLimit} s reached after ${e + 1} episodes`);
    break;
  }
}
const summary = summarise(results, performance.now() - t0, args.maxSteps);
console.log(
  `\n${summary.episodes} episodes, ${summary.envSteps} env steps (${summary.brainSteps} brain steps) in ` +
    `${(summary.ms / 1000).toFixed(1)} s: ${summary.envStepsPerSecond.toFixed(2)} env-steps/s, ` +
    `${summary.msPerBrainStep.toFixed(3)} ms per brain step`,
);
console.log(
  summary.firstCap === null
    ? `never reached the ${args.maxSteps}-step cap (best ${summary.best} steps; the tutorial's agent gets there from about episode 49 of ${TUTORIAL.episodes})`
    : `first reached the ${args.maxSteps}-step cap in episode ${summary.firstCap} (the tutorial: about episode 49)`,
);
if (args.json) writeFileSync(args.json, JSON.stringify({ args, runtime, summary, results }, null, 2));
agent.destroy();
