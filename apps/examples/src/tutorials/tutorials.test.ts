import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry, readScfg, registerAlifModNeuron } from '@spark-snn/config';
import { describe, expect, it } from 'vitest';
import { brains, brainsTutorialConfig, RASTER_PORTS } from './brains.ts';
import { execution } from './execution.ts';
import { editorInputShapes, exportScfg, runScfg } from './graph-editor.ts';
import { modulesAndComponents } from './modules-components.ts';
import { neurons } from './neurons.ts';

const here = dirname(fileURLToPath(import.meta.url));
const AB_BRAIN = join(here, '..', '..', 'assets', 'ab_brain.scfg');

describe('tutorial 1: modules and components', () => {
  it('a soma integrates and fires, a Poisson spiker follows its rates, synapses turn spikes into currents', async () => {
    const r = await modulesAndComponents({ steps: 60 });
    expect(r.somaSpikes[0]).toBe(0); // no current, no spikes
    expect(r.somaSpikes[2]!).toBeGreaterThan(r.somaSpikes[1]!);
    expect(r.potential[1]![2]!).toBeGreaterThan(r.potential[0]![2]!); // integrating towards threshold
    expect(r.poissonSpikes[0]).toBe(0);
    expect(r.poissonSpikes[3]!).toBeGreaterThan(0);
    expect(r.kernelShape).toEqual([4, 4]);
    expect(r.currents.some((c) => c.some((x) => x > 0))).toBe(true);
  });
});

describe('tutorial 2: neurons', () => {
  it('an ALIF neuron controller fires, with −1 spikes from its inhibitory units only', async () => {
    const r = await neurons({ steps: 120 });
    expect(r.spikesPerUnit.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(r.inhibitoryUnits.length).toBeLessThanOrEqual(2); // 25 % of 8 units
  });
});

describe('tutorial 3: brains', () => {
  it('runs PoissonSpiker 64 → ALIF 256 → ALIF 128 → integrator 3 and records a raster', async () => {
    const r = await brains({ steps: 80 });
    expect(r.raster['spiker.spikes'].size).toBe(64);
    expect(r.raster['first_pool.out_spikes'].size).toBe(256);
    expect(r.raster['second_pool.out_spikes'].size).toBe(128);
    for (const p of RASTER_PORTS) expect(r.raster[p].data.some((v) => v !== 0)).toBe(true);
    expect(r.raster['first_pool.out_spikes'].data.some((v) => v < 0)).toBe(true); // inhibitory rate 0.3
    expect(r.lastStepMatches).toBe(true);
    const p = r.actionProbabilities;
    expect(p[p.length - 1]! + p[p.length - 2]! + p[p.length - 3]!).toBeCloseTo(1, 5);
  }, 60_000);
});

describe('tutorial 4: execution', () => {
  it('split → merge, checkpoints and reset replay the run exactly', async () => {
    const r = await execution();
    expect(r.stateLeaves).toBeGreaterThan(5);
    expect(r.replayAfterMerge).toBe(true);
    expect(r.replayAfterCheckpoint).toBe(true);
    expect(r.replayAfterReset).toBe(true);
    expect(r.spikes).toBeGreaterThan(0);
  });

  it('replays exactly with a window that is not a multiple of the delay ring length', async () => {
    const r = await execution({ steps: 16 });
    expect(r.replayAfterMerge).toBe(true);
    expect(r.replayAfterCheckpoint).toBe(true);
    expect(r.replayAfterReset).toBe(true);
  });
});

describe('tutorial 5: graph editor workflow', () => {
  it('loads Spark’s ab_brain.scfg (editor shapes, signal overridden to 4) and runs it', async () => {
    const bytes = new Uint8Array(readFileSync(AB_BRAIN));
    const r = await runScfg(bytes, { steps: 10, shapes: { signal: [4] } });
    expect(r.provenance).toBe('spark');
    expect(r.inputs).toMatchObject({ signal: [4], mod_a_ex: [1] });
    expect(r.outputs.action).toHaveLength(2);
    expect(r.spikes.spiker!).toBeGreaterThan(0);
  }, 60_000);

  it('reads the input shapes from the editor’s source nodes', () => {
    const registry = createRegistry();
    registerAlifModNeuron(registry);
    const read = readScfg(new Uint8Array(readFileSync(AB_BRAIN)), { registry });
    expect(read.ok).toBe(true);
    // Spark's file saves every source as shape [1] (the real signal has 4 values)
    if (read.ok)
      expect(editorInputShapes(read.document)).toEqual({
        signal: [1],
        mod_a_ex: [1],
        mod_b_ex: [1],
        mod_a_in: [1],
        mod_b_in: [1],
      });
  });

  it('a model exported as .scfg by spark-snn loads back and runs', async () => {
    const r = await runScfg(exportScfg(brainsTutorialConfig()), { steps: 20, shapes: { signal: [64] } });
    expect(r.provenance).toBe('spark-snn');
    expect(r.modules).toEqual(['spiker', 'first_pool', 'second_pool', 'integrator']);
    expect(r.outputs.my_awesome_signal).toHaveLength(3);
  });
});

describe('the tutorial command', () => {
  it('runs a tutorial by name', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'main.ts'), 'execution'], {
      encoding: 'utf8',
      cwd: join(here, '..', '..'),
      timeout: 60_000,
    });
    expect(out).toMatch(/merge\(state\) replays the next 45 steps exactly: true/);
  }, 90_000);
});
