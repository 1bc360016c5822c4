// Conformance of every equation definition in the package (the module library, both the corrected
// and the Spark-compatible variants, sync and async) on every backend against the float64
// interpreter, with random inputs. Runs in Node and in headless Chromium.
import type { Backend } from '@spark-snn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { gpujsBackend } from '../src/backends/gpujs/index.ts';
import { webgpuBackend } from '../src/backends/webgpu/index.ts';
import { gpujsUnsupported } from '../src/codegen/gpujs.ts';
import type { ModuleDefinition } from '../src/lang/ast.ts';
import { checkDefinition } from '../src/lang/check.ts';
import { compileDefinition } from '../src/lang/compile.ts';
import { CORRECTED, SPARK_COMPAT } from '../src/library/compat.ts';
import { LIBRARY } from '../src/library/registry.ts';
import { compareWithInterpreter, testInputs } from './shared/conformance.ts';

function allDefinitions(): ModuleDefinition[] {
  const seen = new Set<string>();
  const out: ModuleDefinition[] = [];
  for (const entry of Object.values(LIBRARY)) {
    for (const compat of [CORRECTED, SPARK_COMPAT]) {
      for (const async of [false, true]) {
        let defs: readonly ModuleDefinition[] = [];
        try {
          defs = entry.definitions(compat, async);
        } catch {
          continue; // a variant that does not exist (e.g. sync-only rules)
        }
        for (const d of defs) {
          const key = JSON.stringify(d);
          if (!seen.has(key)) {
            seen.add(key);
            out.push(d);
          }
        }
      }
    }
  }
  return out;
}

const DEFS = allDefinitions();
const STEPS = 6;
const N_UNITS = 4;
const N_PRE = 3;

function caseFor(def: ModuleDefinition, salt: number) {
  const c = checkDefinition(def);
  const synapse = c.domain === 'synapse';
  const size = synapse ? N_UNITS * N_PRE : N_UNITS;
  const inputs: Record<string, Float32Array> = {};
  c.inputs.forEach((p, k) => {
    const len = p.extent === 'scalar' ? 1 : p.extent === 'unit' ? N_UNITS : p.extent === 'pre' ? N_PRE : size;
    const spikes = p.payload === 'SpikeArray' || p.payload === 'BooleanMask' || p.payload === 'IntegerMask';
    const raw = testInputs(STEPS, len, spikes ? 0 : -1, spikes ? 1 : 4, salt * 31 + k);
    if (p.type !== 'f32' || spikes)
      for (let i = 0; i < raw.length; i++) raw[i] = (raw[i] as number) < 0.4 ? 1 : 0;
    inputs[p.name] = raw;
  });
  return { size, ...(synapse ? { nPre: N_PRE } : {}), inputs };
}

let gpu: Backend | undefined;
let gj: Backend | undefined;
beforeAll(async () => {
  gpu = await webgpuBackend();
  gj = await gpujsBackend();
});
afterAll(() => {
  gpu?.destroy();
  gj?.destroy();
});

describe('every definition of the package agrees with the interpreter on every backend', () => {
  it('the library has definitions to check', () => {
    expect(DEFS.length).toBeGreaterThanOrEqual(10);
  });
  DEFS.forEach((def, k) => {
    it(`${def.name} #${k}`, async () => {
      const cs = caseFor(def, k + 1);
      const opts = { def, ...cs, steps: STEPS, seed: 1000 + k, streamBase: 7 };
      const cpu = await compareWithInterpreter(cpuBackend(), opts);
      expect(cpu.mismatches, 'cpu').toEqual([]);
      const g = await compareWithInterpreter(gpu as Backend, opts);
      expect(g.mismatches, 'webgpu').toEqual([]);
      if (gpujsUnsupported(compileDefinition(def)) === undefined) {
        const j = await compareWithInterpreter(gj as Backend, opts);
        expect(j.mismatches, 'gpujs').toEqual([]);
      }
    });
  });
});
