/**
 * W0 (WebGPU overheads) comes from the bench that already exists — `packages/kernels/bench` (vitest
 * bench, `pnpm --filter @spark-snn/kernels bench`) — not from a second implementation here: the
 * harness runs it as a child process and renders its `report.json`.
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
