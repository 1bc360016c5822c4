/** The generated scripts checked by Python itself: they compile, and refuse what a simulator cannot run. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModuleSpecs } from '@spark-snn/config';
import { describe, expect, it } from 'vitest';
import { exportPyNN } from '../../src/index.ts';
import { brunelBody, cubaBody, pm, spec } from '../networks.ts';

const PYTHON = '/usr/bin/python3';
const reason = spawnSync(PYTHON, ['--version']).status === 0 ? undefined : `${PYTHON} not found`;
const skipped = reason ? ` — skipped: ${reason}` : '';

function write(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'spark-pynn-script-'));
  const file = join(dir, 'model.py');
  writeFileSync(file, script);
  return file;
}

describe('generated scripts under Python', () => {
  it.skipIf(reason !== undefined)(`compile (CUBA, Brunel, a partial export)${skipped}`, () => {
    const partial = cubaBody(100);
    (partial.modules_specs as ModuleSpecs[]).push(
      spec('x', 'leaky_soma', { units: [4] }, { current: [pm('exc', 'currents')] }),
    );
    for (const r of [
      exportPyNN(cubaBody(400)),
      exportPyNN(brunelBody(500)),
      exportPyNN(partial, { allowPartial: true }),
    ]) {
      expect(r.ok).toBe(true);
      const c = spawnSync(PYTHON, ['-m', 'py_compile', write(r.script)], { encoding: 'utf8' });
      expect(c.stderr).toBe('');
      expect(c.status).toBe(0);
    }
  });

  it.skipIf(reason !== undefined)(
    `exit 3 before importing PyNN where the simulator cannot run a model exactly${skipped}`,
    () => {
      const file = write(exportPyNN(brunelBody(500)).script);
      const neuron = spawnSync(PYTHON, [file, '--simulator', 'neuron', '--allow-approximate'], {
        encoding: 'utf8',
      });
      expect(neuron.status).toBe(3);
      expect(neuron.stderr).toContain(
        'neurons: unavailable on neuron: pyNN.neuron has no IF_curr_delta (ModelNotAvailable)',
      );
      const brian2 = spawnSync(PYTHON, [file, '--simulator', 'brian2'], { encoding: 'utf8' });
      expect(brian2.status).toBe(3);
      expect(brian2.stderr).toContain('neurons: approximate on brian2: pyNN.brian2 adds delta inputs');
      expect(brian2.stderr).toContain("drive: approximate on brian2: pyNN.brian2's SpikeSourcePoisson");
      expect(brian2.stderr).toContain('not run: --allow-approximate runs the approximate models anyway');
      const help = spawnSync(PYTHON, [file, '--help'], { encoding: 'utf8' });
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('--simulator {nest,brian2,neuron,spiNNaker}');
    },
  );
});
