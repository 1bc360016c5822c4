// Conformance of every equation definition in the package (the module library, both the corrected
// and the Spark-compatible variants, sync and async) on every backend against the float64
// interpreter, with random inputs. Runs in Node and in headless Chromium (Deno: test/deno).
import type { Backend } from '@spark-snn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backends/cpu/index.ts';
import { gpujsBackend } from '../src/backends/gpujs/index.ts';
import { webgpuBackend } from '../src/backends/webgpu/index.ts';
import { allDefinitions, checkLibraryDefinition } from './common/library-cases.ts';

const DEFS = allDefinitions();

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
      const mismatches = await checkLibraryDefinition(def, k, {
        cpu: cpuBackend(),
        webgpu: gpu as Backend,
        gpujs: gj as Backend,
      });
      expect(mismatches).toEqual([]);
    });
  });
});
