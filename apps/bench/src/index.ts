/**
 * `@spark-snn/bench`: the benchmark harness of benchmarks.md (workloads W1–W3 with rate gates,
 * peers, tables, scaling plot). `spark bench` calls {@link runBenchmarks}.
 *
 * @module
 */
export {
  type BenchOptions,
  type BenchRecord,
  machineInfo,
  type Row,
  renderRecord,
  renderTables,
  runBenchmarks,
  suiteCases,
  type WorkloadCase,
} from './harness.ts';
export { type NaiveResult, naiveBrunel, naiveCoba, naiveCuba } from './naive.ts';
export {
  BRIAN2_INSTALL,
  type Brian2Info,
  detectBrian2,
  type NetworkName,
  type RunSample,
  runBrian2,
  runNaive,
} from './peers.ts';
export { scalingSvg } from './plot.ts';
