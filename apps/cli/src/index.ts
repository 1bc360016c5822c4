/**
 * `@spark-snn/cli`: the `spark` command as a library (`runCli(argv, io)`), for embedding and tests.
 *
 * @module
 */

export { decodeNpy, encodeNpy, encodeNpz, type NpyData } from '@spark-snn/core';
export { CLI_VERSION, COMMANDS, mainHelp, runCli } from './cli.ts';
export type { Command, CommandContext, OptionSpec, Parsed } from './command.ts';
export { commandHelp } from './command.ts';
export { CliError, EXIT, UsageError } from './errors.ts';
export {
  type DenseSeries,
  type EventSeries,
  type PlotSeries,
  rasterSvg,
  type SpikeEvents,
} from './formats/svg.ts';
export { captureIo, type Io, processIo, type Writer } from './io.ts';
