// gpujs backend (gpu.js 2.24.1): webasm mode in Node (CPU), WebGL2 in the browser project.
import type { Backend } from '@spark-snn/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpujsBackend } from '../src/backends/gpujs/index.ts';
import type { ModuleDefinition } from '../src/lang/ast.ts';
import { parseDefinition } from '../src/lang/parser.ts';
import { leakySoma } from '../src/somas/leaky_soma.ts';
import {
  checkRandomStreams,
  compareWithInterpreter,
  definitionArb,
  testInputs,
} from './common/conformance.ts';

let gj: Backend;
beforeAll(async () => {
  gj = await gpujsBackend();
  console.info(`[gpujs] ${gj.description}`);
});
afterAll(() => gj?.destroy());

describe('gpujs backend', () => {
  it('leaky_soma agrees with the interpreter', async () => {
    const size = 16;
    const params = { potential_tau: Array.from({ length: size }, (_, i) => 5 + i * 2.5), resistance: 0.08 };
    const res = await compareWithInterpreter(gj, {
      def: leakySoma,
      size,
      steps: 60,
      params,
      inputs: { current: testInputs(60, size, 0, 800) },
    });
    expect(res.mismatches).toEqual([]);
  });

  it('random draws: the host draw buffers follow core (4 elements per block)', async () => {
    expect(await checkRandomStreams(gj, 1021)).toBeLessThan(1e-5);
  });

  it('types integral literals as floats in WebGL (regression: a fast-check counterexample)', async () => {
    // select(0 > 0, a, select(select(uniform() > a, 2 * f32(bernoulli(0.3)), uniform()) > a, 0, uniform()))
    // failed to compile on WebGL2: gpu.js typed `c ? 1.0 : 0.0` as int.
    const def = {
      name: 'random_def',
      params: [
        { name: 'a', type: 'f32', extent: 'unit', default: 1, validators: ['positive'] },
        { name: 'b', type: 'f32', default: 0.5 },
      ],
      state: [
        { name: 'x', type: 'f32', init: { kind: 'ref', name: 'b' } },
        { name: 'y', type: 'f32' },
      ],
      inputs: [{ name: 'I', payload: 'FloatArray', type: 'f32' }],
      outputs: [{ name: 'out', payload: 'FloatArray', type: 'f32' }],
      body: [
        {
          kind: 'assign',
          target: 'x',
          value: {
            kind: 'call',
            fn: 'clamp',
            args: [
              {
                kind: 'select',
                cond: {
                  kind: 'binary',
                  op: '>',
                  left: { kind: 'num', value: 0 },
                  right: { kind: 'num', value: 0 },
                },
                then: { kind: 'ref', name: 'a' },
                else: {
                  kind: 'select',
                  cond: {
                    kind: 'binary',
                    op: '>',
                    left: {
                      kind: 'select',
                      cond: {
                        kind: 'binary',
                        op: '>',
                        left: { kind: 'call', fn: 'uniform', args: [] },
                        right: { kind: 'ref', name: 'a' },
                      },
                      then: {
                        kind: 'binary',
                        op: '*',
                        left: { kind: 'num', value: 2 },
                        right: {
                          kind: 'call',
                          fn: 'f32',
                          args: [{ kind: 'call', fn: 'bernoulli', args: [{ kind: 'num', value: 0.3 }] }],
                        },
                      },
                      else: { kind: 'call', fn: 'uniform', args: [] },
                    },
                    right: { kind: 'ref', name: 'a' },
                  },
                  then: { kind: 'num', value: 0 },
                  else: { kind: 'call', fn: 'uniform', args: [] },
                },
              },
              { kind: 'num', value: -10 },
              { kind: 'num', value: 10 },
            ],
          },
        },
        {
          kind: 'assign',
          target: 'y',
          value: {
            kind: 'call',
            fn: 'clamp',
            args: [
              { kind: 'ref', name: 'a' },
              { kind: 'num', value: -10 },
              { kind: 'num', value: 10 },
            ],
          },
        },
        { kind: 'assign', target: 'out', value: { kind: 'num', value: 0 } },
      ],
    } as unknown as ModuleDefinition;
    const size = 1;
    const res = await compareWithInterpreter(gj, {
      def,
      size,
      steps: 2,
      seed: 0,
      params: { a: [0.5], b: -1 },
      inputs: { I: testInputs(2, size, -3, 3, 0) },
    });
    expect(res.mismatches).toEqual([]);
  });

  it('random definitions agree with the interpreter (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        definitionArb(true),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        async (def, size, seed) => {
          const res = await compareWithInterpreter(gj, {
            def,
            size,
            steps: 2,
            seed,
            ...(seed % 2 === 1 ? { randomState: seed % 1000 } : {}),
            params: {
              a: Array.from({ length: size }, (_, i) => 0.5 + (i % 5) * 0.3),
              b: (seed % 100) / 50 - 1,
            },
            inputs: { I: testInputs(2, size, -3, 3, seed) },
          });
          expect(res.mismatches).toEqual([]);
        },
      ),
      // Each definition compiles new kernels (slow in WebGL): fewer runs in the browser.
      { numRuns: typeof window === 'undefined' ? 25 : 6 },
    );
  });

  it('integer state and float16 storage run through float mirrors and agree with the interpreter', async () => {
    const def = parseDefinition(
      'module counter\nparam c: u32 = 3\nstate k: u32 = c\nstate h: f32 = 0.3 as float16\ninput s: SpikeArray f32\noutput o: FloatArray f32\n' +
        'let ready = k > c\nlet fire = ready && s > 0.5\nk = fire ? 0 : k + 1\nh = h * 0.9 + f32(fire)\no = f32(i32(k) % 2) + h',
    );
    const size = 6;
    const res = await compareWithInterpreter(gj, {
      def,
      size,
      steps: 30,
      inputs: { s: testInputs(30, size, 0, 1, 8).map((x) => (x < 0.5 ? 1 : 0)) },
    });
    expect(res.mismatches).toEqual([]);
    expect(res.checked).toBeGreaterThan(0);
  });
});
