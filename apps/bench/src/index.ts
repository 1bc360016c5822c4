/**
 * `@spark-snn/bench`: the benchmark harness of benchmarks.md (workloads W1–W3 with rate gates,
 * peers, tables, scaling plot), and the benchmark networks as BrainConfigs (`configs.ts`, the
 * generators of `apps/examples/networks/*.scfg`). `spark bench` calls {@link runBenchmarks}.
 *
 * @module
 */
export {
  type BrunelOptions,
  brainDelay,
  brunelConfig,
  type ConfigNetworkName,
  cobaConfig,
  cubaConfig,
  NETWORK_DT,
  NETWORK_NAMES,
  type NetworkInfo,
  type NetworkOptions,
  networkConfig,
  type W4aOptions,
  w4aConfig,
} from './configs.ts';
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
export { renderSparse, runSparseBench, type SparseBenchOptions, type SparseRow } from './sparse.ts';
