/**
 * The generated script's Brian2 fast path (one `Synapses.connect` per projection) against
 * pyNN.brian2's own one-synapse-at-a-time path (`--brian2-unbatched`): the same connections with the
 * same weights and delays. Skipped, with the reason in its name, without PyNN and Brian2.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initializerDefault, type ModuleSpecs } from '@spark-snn/config';
import { describe, expect, it } from 'vitest';
import { exportPyNN } from '../../src/index.ts';
import { brunelBody, cubaBody, pm, spec } from '../networks.ts';

const PYTHON = '/usr/bin/python3';
const ok = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import pyNN, brian2']).status === 0;
const reason = ok ? undefined : `${PYTHON} cannot import pyNN and brian2`;

const DUMP = `
import sys, json, numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
out = {}
for k in sorted(a.files):
    if not k.endswith("_pre"):
        continue
    p = k[:-4]
    rows = lambda d: sorted(zip(*(np.round(d[p + "_" + c], 12).tolist() for c in ("pre", "post", "weight", "delay"))))
    out[p] = [len(a[k]), rows(a) == rows(b)]
print(json.dumps(out))
`;

describe('the Brian2 fast path of the generated script', () => {
  it.skipIf(!ok)(
    `creates the same connections, weights and delays as pyNN.brian2's own path${reason ? ` — skipped: ${reason}` : ''}`,
    () => {
      // CUBA (Bernoulli, explicit edges), Brunel (in-degree with replacement: multapses, delays,
      // one-to-one drive) and a dense kernel with per-edge weights, in one network
      const cuba = cubaBody(40);
      for (const m of cuba.modules_specs as ModuleSpecs[]) if (m.name !== 'neurons') m.config.p = 0.2;
      const brunel = brunelBody(100);
      const modules = [
        ...(cuba.modules_specs as ModuleSpecs[]),
        ...(brunel.modules_specs as ModuleSpecs[]).map((m) => ({
          ...m,
          name: `b_${m.name}`,
          outputs: Object.fromEntries(Object.entries(m.outputs).map(([k, v]) => [`b_${k}`, v])),
          inputs: Object.fromEntries(
            Object.entries(m.inputs).map(([k, v]) => [k, v.map((x) => ({ ...x, origin: `b_${x.origin}` }))]),
          ),
        })),
        spec(
          'dense',
          'linear_synapses',
          { units: [100], kernel: initializerDefault('uniform_initializer', { scale: 0.5 }) },
          {
            spikes: [pm('neurons', 'spikes')],
          },
        ),
      ];
      (modules.find((m) => m.name === 'b_neurons')!.inputs.current as unknown[]).push(
        pm('dense', 'currents'),
      );
      // the Brain's edges (FromListConnector) and PyNN's own connectors (drawn before the batching
      // collects them, so both paths see the same draws)
      for (const connectivity of ['explicit', 'connectors'] as const) {
        const r = exportPyNN(
          { seed: 3, dt: 0.1, modules_specs: modules },
          { connectivity, npzName: 'm.npz' },
        );
        expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
        const dir = mkdtempSync(join(tmpdir(), 'spark-pynn-batch-'));
        writeFileSync(join(dir, 'm.py'), r.script);
        writeFileSync(join(dir, 'm.npz'), r.npz!);
        const base = ['m.py', '--simulator', 'brian2', '--duration', '0.2', '--allow-approximate'];
        for (const [extra, file] of [
          [[], 'batched.npz'],
          [['--brian2-unbatched'], 'pynn.npz'],
        ] as const) {
          const run = spawnSync(PYTHON, [...base, ...extra, '--save-connections', file], {
            cwd: dir,
            encoding: 'utf8',
          });
          if (run.status !== 0) throw new Error(run.stderr.slice(-3000));
        }
        const cmp = spawnSync(PYTHON, ['-c', DUMP, 'batched.npz', 'pynn.npz'], {
          cwd: dir,
          encoding: 'utf8',
        });
        const result = JSON.parse(cmp.stdout) as Record<string, [number, boolean]>;
        expect(Object.keys(result).sort()).toEqual([
          'b_drive_to_b_neurons',
          'b_exc',
          'b_inh',
          'dense',
          'exc',
          'inh',
        ]);
        for (const [name, [count, same]] of Object.entries(result)) {
          expect(count, `${connectivity} ${name}`).toBeGreaterThan(0);
          expect(same, `${connectivity} ${name}`).toBe(true);
        }
      }
    },
    900_000,
  );
});
