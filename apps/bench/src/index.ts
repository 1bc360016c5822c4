/**
 * `@spark-snn/bench`: the benchmark harness of benchmarks.md (workloads W1–W3 with rate gates, W4a with a spike-count gate,
 * peers, tables, scaling plot), and the benchmark networks with their exact parameters (`params.ts`)
 * as kernels plans (`plans.ts`) and as BrainConfigs (`configs.ts`, the generators of
 * `apps/examples/networks/*.scfg`). `spark bench` calls {@link runBenchmarks}.
 *
 * @module
 */

export {
  type AbBrainJob,
  type AbBrainRow,
  type AbBrainSample,
  abBrainRow,
  detectSpark,
  envObservation,
  renderAbBrain,
  runAbBrain,
  runSpark,
  SPARK_INSTALL,
  SPARK_PINS,
  type SparkInfo,
} from './ab_brain.ts';
export { type BackendInfo, type BackendName, backendInfo, isSoftware, openBackend } from './backends.ts';
export {
  brainDelay,
  brunelConfig,
  type ConfigNetworkName,
  cobaConfig,
  cubaConfig,
  NETWORK_DT,
  NETWORK_NAMES,
  type NetworkInfo,
  networkConfig,
  type W4aOptions,
  w4aConfig,
} from './configs.ts';
export {
  type AbRow,
  type BenchOptions,
  type BenchRecord,
  machineInfo,
  type Row,
  renderAb,
  renderRecord,
  renderTables,
  runBenchmarks,
  suiteCases,
  type WorkloadCase,
} from './harness.ts';
export {
  type Checkout,
  checkout,
  configPlan,
  type Job,
  type JobResult,
  type NetworkJob,
  type NetworkName,
  type NetworkSample,
  type ProbeJob,
  RESULT_MARK,
  runJob,
  spawnJob,
} from './jobs.ts';
export {
  type Clock,
  clock,
  cpuSeconds,
  interleave,
  median,
  peakRssMiB,
  rssMiB,
  since,
  type Timing,
} from './measure.ts';
export {
  type NaiveDenseLayer,
  type NaiveDenseResult,
  type NaiveResult,
  naiveBrunel,
  naiveCoba,
  naiveCuba,
  naiveDense,
} from './naive.ts';
export {
  BENCH_DT,
  BRUNEL_EXPECTED,
  type BrunelOptions,
  type BrunelParamsOptions,
  brunelParams,
  COBA_PARAMS,
  CUBA_PARAMS,
  type ExpectedRate,
  eiSplit,
  type NetworkOptions,
} from './params.ts';
export { BRIAN2_INSTALL, type Brian2Info, detectBrian2, runBrian2 } from './peers.ts';
export {
  type BenchmarkNetwork,
  benchmarkNetwork,
  brunelNetwork,
  cobaNetwork,
  cubaNetwork,
  ratesOf,
} from './plans.ts';
export { scalingSvg } from './plot.ts';
export { renderSparse, runSparseBench, type SparseBenchOptions, type SparseRow } from './sparse.ts';
export {
  type CountComparison,
  compareCounts,
  gateVerdict,
  halfPlan,
  renderW4a,
  runsW4a,
  runW4a,
  runW4aSample,
  W4A_BATCH,
  W4A_CPU_BUDGET_S,
  W4A_STEPS,
  type W4aCase,
  type W4aDtype,
  type W4aProblem,
  type W4aRow,
  type W4aRunOptions,
  type W4aSample,
  w4aCases,
  w4aProblem,
} from './w4a.ts';
