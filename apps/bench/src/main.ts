/**
 * `pnpm bench` entry: `node --import tsx src/main.ts [--suite quick|full|W1|W2|W3|W4|W4a|W4a-large] [--backend auto|cpu|webgpu|gpujs]
 * [--out DIR] [--report FILE.md] [--json] [--from-config] [--seeds N] [--brian2-seeds N] [--no-brian2] [--bandwidth GBs]
 * [--vs DIR] [--peers | --no-peers] [--threads N] [--seconds S] [--spark DIR] [--spark-python PY] [--no-spark] [--ab-rounds N]
 * | --render DIR/report.json --report FILE.md`.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type BenchRecord, renderRecord, runBenchmarks } from './harness.ts';

// `pnpm bench -- --suite X` passes the `--` through: drop it.
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    suite: { type: 'string' },
    backend: { type: 'string' },
    out: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean', default: false },
    seeds: { type: 'string' },
    'brian2-seeds': { type: 'string' },
    'no-brian2': { type: 'boolean', default: false },
    bandwidth: { type: 'string' },
    render: { type: 'string' },
    'from-config': { type: 'boolean', default: false },
    vs: { type: 'string' },
    peers: { type: 'boolean' },
    'no-peers': { type: 'boolean' },
    threads: { type: 'string' },
    seconds: { type: 'string' },
    spark: { type: 'string' },
    'spark-python': { type: 'string' },
    'no-spark': { type: 'boolean', default: false },
    'ab-rounds': { type: 'string' },
  },
});
if (values.render) {
  // Re-render a recorded run: --render DIR/report.json --report FILE.md (plot into DIR/scaling.svg).
  const record = JSON.parse(readFileSync(values.render, 'utf8')) as BenchRecord;
  const report = values.report ?? 'benchmarks.md';
  renderRecord(record, report, values.render.replace(/report\.json$/, 'scaling.svg'), {
    ...(values.suite ? { suite: values.suite } : {}),
    ...(values.seeds ? { seeds: Number(values.seeds) } : {}),
    ...(values['brian2-seeds'] ? { brian2Seeds: Number(values['brian2-seeds']) } : {}),
  });
  process.stdout.write(`wrote ${report}\n`);
  process.exit(0);
}
const code = await runBenchmarks({
  ...(values.suite ? { suite: values.suite } : {}),
  ...(values.backend ? { backend: values.backend } : {}),
  ...(values.out ? { out: values.out } : {}),
  ...(values.report ? { report: values.report } : {}),
  json: values.json === true,
  tty: process.stdout.isTTY === true,
  write: (t) => process.stdout.write(t),
  ...(values.seeds ? { seeds: Number(values.seeds) } : {}),
  ...(values['brian2-seeds'] ? { brian2Seeds: Number(values['brian2-seeds']) } : {}),
  ...(values['no-brian2'] ? { noBrian2: true } : {}),
  ...(values.bandwidth ? { bandwidthGBs: Number(values.bandwidth) } : {}),
  ...(values['from-config'] ? { fromConfig: true } : {}),
  ...(values.vs ? { vs: values.vs } : {}),
  ...(values.peers ? { peers: true } : values['no-peers'] ? { peers: false } : {}),
  ...(values.threads ? { threads: Number(values.threads) } : {}),
  ...(values.seconds ? { seconds: Number(values.seconds) } : {}),
  ...(values.spark ? { spark: values.spark } : {}),
  ...(values['spark-python'] ? { sparkPython: values['spark-python'] } : {}),
  ...(values['no-spark'] ? { noSpark: true } : {}),
  ...(values['ab-rounds'] ? { abRounds: Number(values['ab-rounds']) } : {}),
});
process.exit(code);
