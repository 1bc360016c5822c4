// Deno: the NIR writer (h5wasm) and reader (jsfive) round trip, and reading an upstream fixture file.
import { readFixture } from '@spark-snn/testing/fixtures';
import { readNir, writeNir } from '../../src/index.ts';
import { toDict } from '../../src/nir/dict.ts';
import { exampleGraph } from '../common/nir-examples.ts';

declare const Deno: {
  test(name: string, fn: () => Promise<void>): void;
};

Deno.test('NIR written by writeNir reads back identically in Deno', async () => {
  const g = exampleGraph({ some: 'metadata', with: 2, data: [1, 2, 3] });
  const bytes = await writeNir(g);
  const r = await readNir(bytes, { typeCheck: 'off' });
  if (!r.ok || !r.graph) throw new Error(JSON.stringify(r.diagnostics));
  const canon = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    if (Array.isArray(v)) return v.map(canon);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  const a = JSON.stringify(canon(toDict(g)));
  const b = JSON.stringify(canon(toDict(r.graph)));
  if (a !== b) throw new Error(`round trip differs:\n${a}\n${b}`);
});

Deno.test('reads cnn_sinabs.nir from the repository fixtures in Deno', async () => {
  const r = await readNir(readFixture('nir/cnn_sinabs.nir'));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const out = r.types.get('8')?.output;
  if (JSON.stringify(out) !== '[128]') throw new Error(`Flatten output ${JSON.stringify(out)}`);
});
