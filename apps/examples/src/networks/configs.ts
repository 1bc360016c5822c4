/**
 * The generators of the benchmark networks' BrainConfigs live with the benchmark harness
 * (`@spark-snn/bench`, `apps/bench/src/configs.ts`), which also runs them (`--from-config`); this
 * module re-exports them for the examples.
 *
 * @module
 */
export {
  type BrunelOptions,
  brainDelay,
  brunelConfig,
  type ConfigNetworkName as NetworkName,
  cobaConfig,
  cubaConfig,
  NETWORK_DT,
  NETWORK_NAMES,
  type NetworkInfo,
  type NetworkOptions,
  networkConfig,
  type W4aOptions,
  w4aConfig,
} from '@spark-snn/bench';
