/**
 * The Brian2 peer, measured in the same run on the same machine (when `python3 -c "import brian2"`
 * works; the harness installs nothing — see the README). The naive JS loop runs as a job of this
 * checkout (`jobs.ts`).
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NetworkName, NetworkSample } from './jobs.ts';

/** Brian2 availability. */
export interface Brian2Info {
  readonly available: boolean;
  readonly version?: string;
  /** `cpp_standalone` when a C++ compiler is found, else Brian2's runtime (`cython` or `numpy`). */
  readonly mode: 'cpp_standalone' | 'cython' | 'numpy';
  readonly hint: string;
  /** The interpreter that imports brian2. */
  readonly python: string;
}

const SCRIPT = fileURLToPath(new URL('../peers/brian2_peer.py', import.meta.url));

/** How to install Brian2 (printed when it is missing). */
export const BRIAN2_INSTALL = 'apt-get install -y python3-brian   (Debian/Ubuntu; or: pip install brian2)';

/** Detects Brian2 (and a C++ compiler for its standalone mode). */
export function detectBrian2(prefer?: 'cpp_standalone' | 'cython' | 'numpy'): Brian2Info {
  // $BRIAN2_PYTHON, then python3 on PATH, then the system interpreter (Debian's python3-brian
  // installs into /usr/bin/python3, which a pyenv/venv python3 on PATH does not see).
  const candidates = [process.env.BRIAN2_PYTHON, 'python3', '/usr/bin/python3'].filter(
    (x): x is string => typeof x === 'string' && x !== '',
  );
  for (const python of candidates) {
    const py = spawnSync(python, ['-c', 'import brian2; print(brian2.__version__)'], { encoding: 'utf8' });
    if (py.status !== 0) continue;
    const version = py.stdout.trim();
    const cxx = spawnSync('g++', ['--version'], { encoding: 'utf8' }).status === 0;
    const cython = spawnSync(python, ['-c', 'import Cython'], { encoding: 'utf8' }).status === 0;
    const mode = prefer ?? (cxx ? 'cpp_standalone' : cython ? 'cython' : 'numpy');
    return { available: true, version, mode, hint: '', python };
  }
  return {
    available: false,
    mode: 'numpy',
    hint: `Brian2 not found; install it with: ${BRIAN2_INSTALL}`,
    python: 'python3',
  };
}

/**
 * Runs the Brian2 peer script (exact parameters of benchmarks.md §1) with `threads` simulation
 * threads; `buildDir` (C++ standalone) is reused across the seeds of one network so that only what
 * a seed changes is recompiled.
 */
export function runBrian2(
  info: Brian2Info,
  name: NetworkName,
  n: number,
  seconds: number,
  seed: number,
  threads = 1,
  buildDir?: string,
): NetworkSample {
  const args = [SCRIPT, name, String(n), String(seconds), String(seed), info.mode, String(threads)];
  const r = spawnSync(info.python, buildDir ? [...args, buildDir] : args, {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`Brian2 (${info.mode}) failed on ${name} N=${n}: ${(r.stderr || r.stdout).slice(-800)}`);
  const j = JSON.parse(line) as {
    wall: number;
    cpu: number;
    peak_rss_mib: number;
    build_wall: number;
    build_cpu: number;
    rate_e: number;
    rate_i: number;
  };
  return {
    loop: { wall: j.wall, cpu: j.cpu },
    cold: { wall: j.build_wall, cpu: j.build_cpu },
    steps: Math.round(seconds * 1e4),
    rateE: j.rate_e,
    rateI: j.rate_i,
    peakRssMiB: j.peak_rss_mib,
    startRssMiB: Number.NaN,
  };
}
