/// <reference lib="webworker" />
/**
 * The simulation engine (@spark-snn/nn) in a Web Worker, so the page stays responsive while the
 * brain runs. The CartPole observation feeding `signal` has 4 values (ab_brain's file stores the
 * Source node's shape as [1], as Spark's editor wrote it).
 */
import { exposeSimulator } from '@spark-snn/editor';
import { nnSimulator } from '@spark-snn/editor/nn';

exposeSimulator(nnSimulator({ inputShapes: { signal: [4] } }), self as unknown as DedicatedWorkerGlobalScope);
