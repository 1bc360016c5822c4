// Every golden case on the webgpu backend (Dawn in Node; SwiftShader without a GPU) and the gpujs
// backend: each must reproduce the golden data within the README's tolerances and agree with cpu.
import type { Backend } from '@spark-snn/core';
import { TraceComparison } from '@spark-snn/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { gpujsBackend } from '../../../src/backends/gpujs/index.ts';
import { webgpuBackend } from '../../../src/backends/webgpu/index.ts';
import { runCpu, runOn } from './harness.ts';
import { type GoldenCase, INTERFACE_CASES } from './interfaces.cases.ts';
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

async function start(make: () => Promise<Backend>): Promise<{ backend?: Backend; why: string }> {
  try {
    return { backend: await make(), why: '' };
  } catch (e) {
    return { why: `(unavailable: ${(e as Error).message})` };
  }
}

const BACKENDS = [
  { kind: 'webgpu', ...(await start(() => webgpuBackend())) },
  { kind: 'gpujs', ...(await start(() => gpujsBackend())) },
];

afterAll(() => {
  for (const b of BACKENDS) b.backend?.destroy();
});

for (const { kind, backend, why } of BACKENDS) {
  describe.skipIf(backend === undefined)(`golden cases on the ${kind} backend ${why}`, () => {
    for (const c of ALL) {
      it(`${c.id}: golden data and agreement with cpu`, async () => {
        const { trial, check } = c.make();
        const got = await runOn(backend as Backend, trial);
        expect(check(got).mismatches).toEqual([]);
        const cpu = await runCpu(trial);
        const cmp = new TraceComparison();
        for (const name of trial.record) cmp.trace(name, got[name] ?? [], cpu[name] ?? [], 'float32');
        expect(cmp.mismatches).toEqual([]);
      });
    }
  });
}
