// Every golden case on the webgpu backend (Dawn in Node; SwiftShader without a GPU): it must
// reproduce the golden data within the README's tolerances and agree with the cpu backend.
import type { Backend } from '@spark-snn/core';
import { afterAll, describe, expect, it } from 'vitest';
import { webgpuBackend } from '../../../src/backends/webgpu/index.ts';
import { runCpu, runOn } from './harness.ts';
import { type GoldenCase, INTERFACE_CASES } from './interfaces.cases.ts';
import { Comparison } from './load.ts';
import { CASES as PLASTICITY, trialOf as plasticityTrial } from './plasticity.cases.ts';
import { CASES as SOMAS, trialOf as somaTrial } from './somas.cases.ts';
import { CASES as SYNAPSES, trialOf as synapseTrial } from './synapses.cases.ts';

const ALL: GoldenCase[] = [
  ...SOMAS.map((c): GoldenCase => ({ id: `${c.def.name} (${c.file})`, make: () => somaTrial(c) })),
  ...SYNAPSES.map(
    (c): GoldenCase => ({ id: `${c.name} (${c.file})`, make: () => synapseTrial(c.file, c.name) }),
  ),
  ...PLASTICITY.map(
    (c): GoldenCase => ({ id: `${c.name} (${c.file})`, make: () => plasticityTrial(c.file, c.name) }),
  ),
  ...INTERFACE_CASES,
];

let backend: Backend | undefined;
let why = '';
try {
  backend = await webgpuBackend();
} catch (e) {
  why = (e as Error).message;
}

afterAll(() => backend?.destroy());

describe.skipIf(backend === undefined)(`golden cases on the webgpu backend ${why}`, () => {
  for (const c of ALL) {
    it(`${c.id}: golden data and agreement with cpu`, async () => {
      const { trial, check } = c.make();
      const gpu = await runOn(backend as Backend, trial);
      expect(check(gpu).mismatches).toEqual([]);
      const cpu = await runCpu(trial);
      const cmp = new Comparison();
      for (const name of trial.record) {
        for (let t = 0; t < trial.steps; t++)
          cmp.close(`${name} t=${t}`, gpu[name]?.[t] as Float64Array, cpu[name]?.[t] as Float64Array, 1e-5);
      }
      expect(cmp.mismatches).toEqual([]);
    });
  }
});
