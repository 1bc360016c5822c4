/**
 * The benchmark networks as BrainConfig files: generators (exact parameters of benchmarks.md §1),
 * the runner that measures their population rates, and the raster plot.
 *
 * @module
 */
export {
  type BrunelOptions,
  brainDelay,
  brunelConfig,
  cobaConfig,
  cubaConfig,
  NETWORK_DT,
  NETWORK_NAMES,
  type NetworkInfo,
  type NetworkName,
  type NetworkOptions,
  networkConfig,
  type W4aOptions,
  w4aConfig,
} from './configs.ts';
export { NETWORKS_DIR, networkFileBytes } from './generate.ts';
export {
  type NetworkArgs,
  networkFromFile,
  networkMain,
  networkSvg,
  parseNetworkArgs,
  report,
} from './main.ts';
export { checkRates, type NetworkRun, type PopulationEvents, type RunOptions, runNetwork } from './run.ts';
