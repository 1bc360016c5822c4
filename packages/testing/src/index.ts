/**
 * Test helpers shared by the spark-snn packages (private, never published): the comparison of traces
 * with Spark goldens and other references, and the case table run on every backend. The loader of the
 * repository's `fixtures/` folder reads files and is the subpath `@spark-snn/testing/fixtures`, so
 * this entry point also runs in the browser.
 *
 * @module
 */

export {
  compareTrace,
  FLOAT32_REL_TOL,
  flat32,
  goldenParams,
  relDiff,
  rows,
  type Trace,
  TraceComparison,
  type TraceRule,
  traceRows,
} from './compare.ts';
export { caseMatrix, type MatrixBackend, type MatrixCase, type MatrixCell } from './matrix.ts';
