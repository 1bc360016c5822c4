import { describe, expect, it } from 'vitest';
import { encoderPool, registry } from '../../test/common/models.ts';
import type { EditorStore } from '../model/store.ts';
import type { JsonObject } from '../model/types.ts';
import { createSimulationSession } from './session.ts';
import type { LoadedModel, LoadOptions, Simulator, StepResult } from './simulator.ts';

/** An engine that records what it is asked and answers at once (or when released). */
function recordingEngine() {
  const calls: string[] = [];
  let hold: Promise<void> | undefined;
  let release = () => {};
  let steps = 0;
  let stepHold: Promise<void> | undefined;
  let releaseStep = () => {};
  const sim: Simulator = {
    available: true,
    async load(config: JsonObject, o: LoadOptions): Promise<LoadedModel> {
      const specs = ((config.__cfg__ as JsonObject).modules_specs as JsonObject[]).map(
        (s) => (s.__data__ as JsonObject).name as string,
      );
      calls.push(`load ${o.backend}${o.keepState ? ' keep' : ''} [${specs.join(',')}]`);
      o.onProgress?.({ stage: 'compile', done: 1, total: specs.length });
      if (hold) await hold;
      if (!o.keepState) steps = 0;
      return {
        backend: o.backend === 'auto' ? 'cpu' : o.backend,
        reason: 'no GPU on this machine',
        continued: o.keepState === true,
        firstStep: steps,
        populations: specs.map((name) => ({ name, size: 2 })),
        inputs: [{ name: 'obs', size: 1 }],
        traces: [],
      };
    },
    async step(k): Promise<StepResult> {
      calls.push(`step ${k}`);
      const r: StepResult = { firstStep: steps, steps: k, spikes: {}, traces: {} };
      steps += k;
      if (stepHold) await stepHold;
      return r;
    },
    async reset() {
      calls.push('reset');
      steps = 0;
    },
    async unload() {
      calls.push('unload');
    },
    dispose() {},
  };
  return {
    sim,
    calls,
    holdLoads() {
      hold = new Promise((r) => {
        release = r;
      });
    },
    release() {
      hold = undefined;
      release();
    },
    /** Steps answer only when released (a step in flight). */
    holdSteps() {
      stepHold = new Promise((r) => {
        releaseStep = r;
      });
    },
    releaseSteps() {
      stepHold = undefined;
      releaseStep();
    },
  };
}

/** A session over `store` with the engine `e`, drawing nothing (no animation frames). */
function sessionOf(e: ReturnType<typeof recordingEngine>, store: EditorStore, debounceMs = 5) {
  return createSimulationSession({
    simulator: e.sim,
    store,
    registry,
    debounceMs,
    frame: () => 0,
    cancelFrame: () => {},
  });
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('simulation session (one simulation per document)', () => {
  it('loads the document, follows edits (keeping the state when only parameters change), and stops for New', async () => {
    const e = recordingEngine();
    const store = encoderPool();
    const session = sessionOf(e, store);
    await session.sync();
    expect(session.state.getState()).toMatchObject({ status: 'ready', backend: 'auto', step: 0 });
    expect(e.calls).toEqual(['load auto [enc,pool]']);
    await session.stepOnce();
    expect(session.state.getState().step).toBe(1);
    // Moving a node changes nothing the simulator sees.
    store.getState().moveNodes({ enc: { x: 10, y: 10 } });
    await tick(20);
    expect(e.calls).toEqual(['load auto [enc,pool]', 'step 1']);
    // A parameter edit reloads after the pause in typing, carrying the state over.
    store.getState().setField('enc', ['max_freq'], 150);
    store.getState().setField('enc', ['max_freq'], 160);
    await tick(30);
    await session.sync();
    expect(e.calls.slice(2)).toEqual(['load auto keep [enc,pool]']);
    expect(session.state.getState()).toMatchObject({ status: 'ready', step: 1 });
    // A structural edit starts over.
    store.getState().setField('pool', ['units'], [5]);
    await tick(30);
    await session.sync();
    expect(e.calls.at(-1)).toBe('load auto [enc,pool]');
    expect(session.state.getState().step).toBe(0);
    // New: unloaded at once, nothing to run, no inputs left.
    const generation = session.state.getState().generation;
    store.getState().newDocument();
    await session.sync();
    expect(e.calls.at(-1)).toBe('unload');
    expect(session.state.getState()).toMatchObject({ status: 'empty', model: null, inputs: {}, step: 0 });
    expect(session.state.getState().generation).toBeGreaterThan(generation);
    session.dispose();
  });

  it('Reset after a step still in flight: the step lands first, the reset last (step 0)', async () => {
    const e = recordingEngine();
    const store = encoderPool();
    const session = sessionOf(e, store);
    await session.sync();
    e.holdSteps();
    const step = session.stepOnce();
    await tick();
    session.pause();
    const reset = session.reset();
    await tick(10);
    expect(e.calls).toEqual(['load auto [enc,pool]', 'step 1']);
    e.releaseSteps();
    await Promise.all([step, reset]);
    expect(e.calls).toEqual(['load auto [enc,pool]', 'step 1', 'reset']);
    expect(session.state.getState().step).toBe(0);
    session.dispose();
  });

  it('an invalid document does not run: its problems are shown and the model is unloaded', async () => {
    const e = recordingEngine();
    const store = encoderPool();
    const session = sessionOf(e, store);
    await session.sync();
    store.getState().removeNodes(['enc']);
    await tick(20);
    await session.sync();
    const s = session.state.getState();
    expect(s.status).toBe('invalid');
    expect(s.model).toBeNull();
    expect(s.problems.map((p) => p.where.join(' › '))).toContain('pool › input in_spikes');
    expect(e.calls.at(-1)).toBe('unload');
    // Fixed (undo): it loads again, the message is gone.
    store.getState().undo();
    await tick(20);
    await session.sync();
    expect(session.state.getState()).toMatchObject({ status: 'ready', problems: [], error: null });
    session.dispose();
  });

  it('the backend applies at once, loads never overlap, and the last choice wins', async () => {
    const e = recordingEngine();
    const store = encoderPool();
    const session = sessionOf(e, store);
    await session.sync();
    e.holdLoads();
    session.setBackend('gpujs');
    await tick();
    expect(session.state.getState().status).toBe('loading');
    expect(session.state.getState().progress).toEqual({ stage: 'compile', done: 1, total: 2 });
    session.setBackend('cpu');
    await tick();
    // The second load waits for the first.
    expect(e.calls.filter((c) => c.startsWith('load'))).toEqual([
      'load auto [enc,pool]',
      'load gpujs [enc,pool]',
    ]);
    e.release();
    await session.sync();
    expect(e.calls.filter((c) => c.startsWith('load'))).toEqual([
      'load auto [enc,pool]',
      'load gpujs [enc,pool]',
      'load cpu [enc,pool]',
    ]);
    expect(session.state.getState()).toMatchObject({ status: 'ready', backend: 'cpu', error: null });
    expect(session.state.getState().model?.backend).toBe('cpu');
    session.dispose();
  });

  it('a failed load says why in words and does not blame another backend', async () => {
    const e = recordingEngine();
    e.sim.load = async () => {
      throw new Error('the webgpu backend cannot run op(s) sparse.csr');
    };
    const store = encoderPool();
    const session = sessionOf(e, store);
    session.setBackend('webgpu');
    await session.sync();
    expect(session.state.getState()).toMatchObject({
      status: 'failed',
      error: 'the webgpu backend cannot run op(s) sparse.csr',
      model: null,
    });
    session.dispose();
  });
});
