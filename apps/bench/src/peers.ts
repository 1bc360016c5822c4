/**
 * Peers measured in the same run on the same machine: the naive JS loop (always) and Brian2 (when
 * `python3 -c "import brian2"` works; the harness installs nothing — see the README).
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type NaiveResult, naiveBrunel, naiveCoba, naiveCuba } from './naive.ts';

/** A benchmark network name. */
export type NetworkName = 'cuba' | 'coba' | 'brunel';

/** One timed run of a peer or backend. */
export interface RunSample {
  readonly seconds: number;
  readonly buildSeconds: number;
  readonly rateE: number;
  readonly rateI: number;
}

/** Runs the naive JS loop. */
export function runNaive(name: NetworkName, n: number, steps: number, seed: number): RunSample {
  const f = name === 'cuba' ? naiveCuba : name === 'coba' ? naiveCoba : naiveBrunel;
  const r: NaiveResult = f(n, steps, seed);
  return { seconds: r.seconds, buildSeconds: r.buildSeconds, rateE: r.rateE, rateI: r.rateI };
}

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

/** Runs the Brian2 peer script (exact parameters of benchmarks.md §1). */
export function runBrian2(
  info: Brian2Info,
  name: NetworkName,
  n: number,
  seconds: number,
  seed: number,
): RunSample {
  const r = spawnSync(info.python, [SCRIPT, name, String(n), String(seconds), String(seed), info.mode], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`Brian2 (${info.mode}) failed on ${name} N=${n}: ${(r.stderr || r.stdout).slice(-800)}`);
  const j = JSON.parse(line) as { seconds: number; build_seconds: number; rate_e: number; rate_i: number };
  return { seconds: j.seconds, buildSeconds: j.build_seconds, rateE: j.rate_e, rateI: j.rate_i };
}
