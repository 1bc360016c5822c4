import { BackendError } from '@spark-snn/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWithInterpreter, definitionArb, testInputs } from '../../../test/common/conformance.ts';
import { compareFloat16Runs, runFloat16Plan } from '../../../test/common/float16.ts';
import { wasmSimdSupported } from '../../codegen/wasm-memory.ts';
import { poissonDrive } from '../../interfaces/poisson_drive.ts';
import { checkDefinition } from '../../lang/check.ts';
import { parseDefinition } from '../../lang/parser.ts';
import { instantiateModule } from '../../ops.ts';
import { cobaLif } from '../../somas/coba_lif.ts';
import { cubaLif } from '../../somas/cuba_lif.ts';
import { leakySoma } from '../../somas/leaky_soma.ts';
import { cpuBackend } from './index.ts';

/** A random definition (fast-check), its size and a seed. */
const randomCase = [
  definitionArb(true),
  fc.integer({ min: 1, max: 40 }),
  fc.integer({ min: 0, max: 2 ** 31 }),
] as const;

/** Parameters of a random definition: `a` per unit, `b` scalar. */
const randomParams = (size: number, seed: number) => ({
  a: Array.from({ length: size }, (_, i) => 0.5 + (i % 5) * 0.3),
  b: (seed % 100) / 50 - 1,
});

describe('cpu backend: module ops agree with the interpreter', () => {
  it.runIf(wasmSimdSupported())(
    'module ops compute the float32 semantics bit for bit in WebAssembly SIMD and in JavaScript (cuba_lif, coba_lif, the drive)',
    async () => {
      const size = 37;
      const cases = [
        { def: cubaLif, inputs: { exc: testInputs(300, size, 0, 3), inh: testInputs(300, size, 0, 2, 2) } },
        { def: cobaLif, inputs: { exc: testInputs(300, size, 0, 3), inh: testInputs(300, size, 0, 2, 2) } },
        { def: poissonDrive, inputs: {} },
      ];
      for (const k of cases) {
        const params = Object.fromEntries(
          checkDefinition(k.def).params.map((p) => [
            p.name,
            p.name === 'v_offset' ? Array.from({ length: size }, (_, i) => i / 7) : p.default,
          ]),
        );
        for (const simd of [true, false]) {
          const res = await compareWithInterpreter(cpuBackend({ simd }), {
            def: k.def,
            size,
            steps: 300,
            dt: 0.1,
            params,
            inputs: k.inputs,
            seed: 4,
            f32: true,
          });
          expect(res.mismatches, `${k.def.name}, simd ${simd}`).toEqual([]);
          expect(res.checked).toBe(
            300 * size * (checkDefinition(k.def).state.length + checkDefinition(k.def).outputs.length),
          );
        }
      }
    },
  );

  it('leaky_soma, per-unit parameters, 200 steps', async () => {
    const size = 16;
    const params = {
      potential_tau: Array.from({ length: size }, (_, i) => 5 + i * 2.5),
      resistance: Array.from({ length: size }, (_, i) => 0.05 + i * 0.01),
      threshold: -45,
    };
    const res = await compareWithInterpreter(cpuBackend(), {
      def: leakySoma,
      size,
      steps: 200,
      params,
      inputs: { current: testInputs(200, size, 0, 800) },
    });
    expect(res.mismatches).toEqual([]);
    expect(res.checked).toBeGreaterThan(size * 200);
  });

  /**
   * Random definitions, sizes and seeds (states from the seed on odd seeds), compared bit for bit with
   * the interpreter's float32 mode: the cpu computes the float32 semantics (against float64 at 1e-5,
   * an ill-conditioned random expression such as sin(exp(4) / a) exceeds any float32 tolerance; a
   * fast-check run of 3,000 found it).
   */
  const randomDefinitions = (o: {
    steps: number;
    dt?: (seed: number) => number;
    params: (size: number, seed: number) => Record<string, number | number[]>;
  }) =>
    fc.assert(
      fc.asyncProperty(...randomCase, async (def, size, seed) => {
        const res = await compareWithInterpreter(cpuBackend(), {
          def,
          size,
          steps: o.steps,
          seed,
          f32: true,
          ...(o.dt ? { dt: o.dt(seed) } : {}),
          ...(seed % 2 === 1 ? { randomState: seed % 1000 } : {}),
          streamBase: seed % 7,
          params: o.params(size, seed),
          inputs: { I: testInputs(o.steps, size, -3, 3, seed) },
        });
        expect(res.mismatches).toEqual([]);
        expect(res.checked).toBe(o.steps * size * 3);
      }),
      { numRuns: 150 },
    );

  it('random definitions and states (fast-check)', () =>
    randomDefinitions({ steps: 3, params: randomParams }));

  it.runIf(wasmSimdSupported())(
    'float16 storage: the WebAssembly SIMD loop stores the same half bits as the JavaScript loop (ties, subnormals, overflow)',
    async () => {
      const groups: unknown[] = [];
      const keep = (p: unknown) => groups.push(...(p as { groups: unknown[] }).groups);
      const js = await runFloat16Plan(cpuBackend({ simd: false }), keep);
      const wasm = await runFloat16Plan(cpuBackend(), keep);
      // the float16 module ran as JavaScript, then as WebAssembly
      expect(groups).toEqual([
        { ops: ['h'], engine: 'js' },
        { ops: ['h'], engine: 'wasm' },
      ]);
      expect(compareFloat16Runs(js, wasm)).toEqual([]);
    },
  );

  it.runIf(wasmSimdSupported())(
    'the JavaScript and the WebAssembly SIMD loop of a module give the same records, bit for bit (fast-check)',
    async () => {
      await fc.assert(
        fc.asyncProperty(...randomCase, async (def, size, seed) => {
          const { buffers, op } = instantiateModule(def, {
            prefix: 'm',
            size,
            dt: 0.5,
            streamBase: seed % 7,
            params: randomParams(size, seed),
          });
          const record = ['m.x', 'm.y', 'm.out'];
          const inputs = { 'm.I': testInputs(4, size, -3, 3, seed) };
          const run = async (simd: boolean) => {
            const p = await cpuBackend({ simd }).load({ buffers, ops: [op], dt: 0.5, seed });
            const r = await p.run({ steps: 4, inputs, record });
            p.destroy();
            return record.map((k) => Array.from(r.records[k] as Float32Array));
          };
          const [js, wasm] = [await run(false), await run(true)];
          for (const [k, a] of js.entries())
            for (const [i, v] of a.entries())
              if (!Object.is(v, wasm[k]?.[i]))
                expect(`${record[k]}[${i}] = ${wasm[k]?.[i]}`).toBe(`${record[k]}[${i}] = ${v}`);
        }),
        { numRuns: 100 },
      );
    },
  );

  it('computes in float32: random definitions equal the interpreter’s float32 mode bit for bit (fast-check)', () =>
    randomDefinitions({
      steps: 4,
      dt: (seed) => 0.1 + (seed % 7) / 10,
      params: (size, seed) => ({
        a: Array.from({ length: size }, (_, i) => 0.3 + (i % 5) * 0.31),
        b: (seed % 100) / 47 - 1,
      }),
    }));
});

describe('cpu backend: regressions', () => {
  it('a per-unit constant of −0 and +0 is not read as one uniform value (fast-check counterexample)', async () => {
    // x = 0 · tanh(log(a + 0.5)) is −0 where log < 0 (a = 0.3) and +0 elsewhere (a = 0.61).
    const def = parseDefinition(
      'module signed_zero\nparam a: f32 per unit = 1\nstate x: f32 = 0\nx = 0 * tanh(log(abs(a) + 0.5))',
    );
    const res = await compareWithInterpreter(cpuBackend(), {
      def,
      size: 2,
      steps: 1,
      f32: true,
      params: { a: [0.3, 0.61] },
      inputs: {},
    });
    expect(res.mismatches).toEqual([]);
  });
});

describe('cpu backend: bad input is rejected before any step', () => {
  const good = () => instantiateModule(leakySoma, { prefix: 's', size: 4, dt: 1 });
  it('shape mismatch between a binding and its buffer', async () => {
    const { buffers, op } = good();
    const bad = buffers.map((b) => (b.name === 's.current' ? { ...b, shape: [5] } : b));
    await expect(cpuBackend().load({ dt: 1, seed: 0, buffers: bad, ops: [op] })).rejects.toThrow(
      /ops\[0\].bindings.current: shape mismatch/,
    );
  });
  it('NaN parameters', async () => {
    const { buffers, op } = good();
    const attrs = { ...op.attrs, params: { potential_tau: Number.NaN } };
    const err = await cpuBackend()
      .load({ dt: 1, seed: 0, buffers, ops: [{ ...op, attrs }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).message).toMatch(/ops\[0\].attrs.params.potential_tau: is NaN/);
  });
  it('an invalid definition', async () => {
    const { buffers, op } = good();
    const definition = {
      ...leakySoma,
      body: [{ kind: 'assign', target: 'spikes', value: { kind: 'ref', name: 'nope' } }],
    };
    await expect(
      cpuBackend().load({ dt: 1, seed: 0, buffers, ops: [{ ...op, attrs: { ...op.attrs, definition } }] }),
    ).rejects.toThrow(/unknown symbol "nope"/);
  });
  it('unknown op kinds, wrong input lengths and NaN inputs', async () => {
    const { buffers, op } = good();
    await expect(
      cpuBackend().load({ dt: 1, seed: 0, buffers, ops: [{ ...op, op: 'fancy' }] }),
    ).rejects.toThrow(/unknown op kind "fancy"/);
    const p = await cpuBackend().load({ dt: 1, seed: 0, buffers, ops: [op] });
    await expect(p.run({ steps: 3, inputs: { 's.current': new Float32Array(5) } })).rejects.toThrow(
      /shape mismatch/,
    );
    await expect(
      p.run({ steps: 1, inputs: { 's.current': new Float32Array([0, Number.NaN, 0, 0]) } }),
    ).rejects.toThrow(/inputs.s.current\[1\]: is NaN/);
    expect(p.step).toBe(0);
  });
});
