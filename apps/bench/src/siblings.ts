/**
 * W0 (WebGPU overheads) and W4b (the CartPole brain) come from the benches that already exist —
 * `packages/kernels/bench` (vitest bench, `pnpm --filter @spark-snn/kernels bench`) and
 * `packages/nn/bench/ab_brain.ts` — not from a second implementation here: the harness runs them as
 * child processes and renders their `report.json`.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface KernelsReport {
  date: string;
  rows: { op: string; backend: string; size: number; msPerStep: number; elementsPerSecond: number }[];
  overheads: Record<string, number | string>;
}
interface AbReport {
  date: string;
  rows: {
    backend: string;
    device: string;
    singleUs: number;
    k16Us: number;
    k50Us: number;
    openUs: number;
    envStepsPerS: number;
  }[];
}

function run(args: string[], cwd: string, env: Record<string, string> = {}): { ok: boolean; tail: string } {
  const r = spawnSync('pnpm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 2 ** 20,
  });
  return { ok: r.status === 0, tail: `${r.stdout ?? ''}${r.stderr ?? ''}`.slice(-600) };
}

/** Runs the kernels microbenchmarks (quick mode) and renders W0 (dispatch, submit, readback overheads). */
export function runW0(): string {
  const r = run(['--filter', '@spark-snn/kernels', 'bench'], ROOT, { BENCH_QUICK: '1' });
  if (!r.ok) return `### W0: WebGPU overheads\n\nthe kernels bench failed:\n\n\`\`\`\n${r.tail}\n\`\`\`\n`;
  const k = JSON.parse(readFileSync(`${ROOT}packages/kernels/bench/report.json`, 'utf8')) as KernelsReport;
  const o = k.overheads;
  const num = (x: unknown): string => (typeof x === 'number' ? x.toFixed(1) : String(x ?? '—'));
  return [
    '### W0: WebGPU overheads (packages/kernels/bench, quick mode)',
    '',
    `Adapter: ${o.webgpuAdapter ?? 'none'}${/swiftshader|lavapipe/i.test(String(o.webgpuAdapter)) ? ' — **software adapter: overheads only**' : ''}`,
    '',
    '| per dispatch (µs) | per step, one submit (µs) | per step, whole chunk in one submit (µs) | host encode+submit per step (µs) | readback latency median (ms) |',
    '|---|---|---|---|---|',
    `| ${num(o.perDispatchMicroseconds)} | ${num(o.perStepOneSubmitMicroseconds)} | ${num(o.chunkAllTotalMicrosecondsPerStep)} | ${num(o.chunkAllHostEncodeSubmitMicrosecondsPerStep)} | ${num(o.readbackLatencyMsMedian)} |`,
    '',
  ].join('\n');
}

/** Runs the ab_brain bench (W4b, the CartPole brain) and renders its table. */
export function runW4(steps = 1000): string {
  const r = run(
    ['--filter', '@spark-snn/nn', 'bench', '--steps', String(steps), '--backends', 'cpu,webgpu'],
    ROOT,
    {
      VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '/usr/lib/chromium/vk_swiftshader_icd.json',
    },
  );
  if (!r.ok) return `### W4b: CartPole brain\n\nthe ab_brain bench failed:\n\n\`\`\`\n${r.tail}\n\`\`\`\n`;
  const a = JSON.parse(readFileSync(`${ROOT}packages/nn/bench/report.json`, 'utf8')) as AbReport;
  return [
    '### W4b: CartPole brain (packages/nn/bench/ab_brain.ts: 640 neurons, 524,288 synapses, quadruplet plasticity, dt = 1 ms)',
    '',
    '| backend | device | µs/step (single) | µs/step (16 per call) | µs/step (50 per call) | µs/step (open loop) | env steps/s (50 brain steps each) |',
    '|---|---|---|---|---|---|---|',
    ...a.rows.map(
      (x) =>
        `| ${x.backend} | ${x.device}${/swiftshader|lavapipe/i.test(x.device) ? ' (software adapter: overheads only)' : ''} | ${x.singleUs.toFixed(0)} | ${x.k16Us.toFixed(0)} | ${x.k50Us.toFixed(0)} | ${x.openUs.toFixed(0)} | ${x.envStepsPerS.toFixed(2)} |`,
    ),
    '',
  ].join('\n');
}
