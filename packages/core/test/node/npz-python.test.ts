/** core's `.npz` writer checked by numpy itself (skipped, with the reason, where numpy is missing). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpz } from '../../src/index.ts';

const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
const reason = probe.status === 0 ? undefined : `${PYTHON} cannot import numpy`;

describe('encodeNpz', () => {
  it.skipIf(reason !== undefined)(
    `numpy.load reads every member with its dtype and values${reason ? ` — skipped: ${reason}` : ''}`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'spark-npz-'));
      const file = join(dir, 'a.npz');
      const bytes = encodeNpz({
        exc_pre: { data: Uint32Array.from([0, 3, 4_000_000_000]), shape: [3] },
        exc_post: { data: new Uint32Array(0), shape: [0] },
        neurons__v: { data: Float64Array.from([-60.5, -50.25, 1e-300, 0.1]), shape: [4] },
        raster: { data: Float32Array.from([0, 1, 1, 0, 0.5, -1]), shape: [2, 3] },
      });
      writeFileSync(file, bytes);
      const r = spawnSync(
        PYTHON,
        [
          '-c',
          'import json, sys, numpy as np; d = np.load(sys.argv[1]); print(json.dumps({k: [str(d[k].dtype), d[k].tolist()] for k in sorted(d.files)}))',
          file,
        ],
        { encoding: 'utf8' },
      );
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({
        exc_post: ['uint32', []],
        exc_pre: ['uint32', [0, 3, 4_000_000_000]],
        neurons__v: ['float64', [-60.5, -50.25, 1e-300, 0.1]],
        raster: [
          'float32',
          [
            [0, 1, 1],
            [0, 0.5, -1],
          ],
        ],
      });
    },
  );
});
