// The WGSL generated for every definition of the module library, as files under
// test/__snapshots__/wgsl/<registry name>/<definition>.<dtype>.wgsl, so that a change to generated code
// shows in review as a diff of these files. Per definition: `float32` (f32 storage), `float16` (every
// f32 state and output stored as native f16, `shader-f16`) and `float16-emulated` (the same stored as
// f32 rounded to half precision, for adapters without `shader-f16`). The preambles every kernel shares
// (the math helpers, Philox) are written once under _shared/ and replaced by a marker line in the
// module files. Update after an intended change with `pnpm --filter @spark-snn/kernels exec vitest run
// --project node test/node/wgsl-snapshots.test.ts -u` (CONTRIBUTING.md, "Testing").
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateWgsl } from '../../src/codegen/wgsl.ts';
import { WGSL_MATH } from '../../src/codegen/wgsl-math.ts';
import type { ModuleDefinition } from '../../src/lang/ast.ts';
import { compileDefinition } from '../../src/lang/compile.ts';
import { PHILOX_WGSL } from '../../src/rng/philox.wgsl.ts';
import { libraryVariants } from '../common/library-cases.ts';

const DIR = fileURLToPath(new URL('../__snapshots__/wgsl/', import.meta.url));

/** Shared preambles: file under _shared/ → text. */
const SHARED: Readonly<Record<string, string>> = { 'wgsl-math.wgsl': WGSL_MATH, 'philox.wgsl': PHILOX_WGSL };

/** The code with each shared preamble replaced by a line naming its file. */
function withMarkers(code: string): string {
  let out = code;
  for (const [file, text] of Object.entries(SHARED)) out = out.split(text).join(`// <_shared/${file}>`);
  return out;
}

/** The definition with every f32 state and output stored as float16 (what `dtype: float16` does). */
function float16(def: ModuleDefinition): ModuleDefinition {
  const half = <T extends { readonly type: string }>(xs: readonly T[]): T[] =>
    xs.map((x) => (x.type === 'f32' ? { ...x, storage: 'float16' } : x));
  return { ...def, state: half(def.state), outputs: half(def.outputs) };
}

const DTYPES = [
  ['float32', (d: ModuleDefinition) => generateWgsl(compileDefinition(d)).code],
  ['float16', (d: ModuleDefinition) => generateWgsl(compileDefinition(float16(d)), { f16: true }).code],
  ['float16-emulated', (d: ModuleDefinition) => generateWgsl(compileDefinition(float16(d))).code],
] as const;

const VARIANTS = libraryVariants();
/** Every snapshot file this test writes, relative to DIR. */
const FILES = [
  ...Object.keys(SHARED).map((f) => `_shared/${f}`),
  ...VARIANTS.flatMap((v) => DTYPES.map(([dtype]) => `${v.entry}/${v.id}.${dtype}.wgsl`)),
];

describe('generated WGSL of every library definition (file snapshots)', () => {
  it('covers the library', () => {
    expect(VARIANTS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(FILES).size).toBe(FILES.length);
  });

  it.each(Object.entries(SHARED))('_shared/%s', async (file, text) => {
    await expect(text).toMatchFileSnapshot(join(DIR, '_shared', file));
  });

  describe.each(VARIANTS.map((v) => [`${v.entry}/${v.id}`, v] as const))('%s', (_name, v) => {
    it.each(DTYPES)('%s', async (dtype, generate) => {
      const code = generate(v.def);
      expect(code).toMatch(/@compute @workgroup_size/);
      // Deterministic: generating again gives the same text.
      expect(generate(v.def)).toBe(code);
      if (dtype === 'float16') expect(code).toMatch(/array<f16>/);
      else expect(code).not.toMatch(/\bf16\b/);
      await expect(withMarkers(code)).toMatchFileSnapshot(join(DIR, v.entry, `${v.id}.${dtype}.wgsl`));
    });
  });

  it('has no snapshot file that no definition writes (a removed or renamed module takes its files along)', () => {
    let present: string[] = [];
    try {
      present = readdirSync(DIR, { recursive: true, encoding: 'utf8' })
        .filter((p) => p.endsWith('.wgsl'))
        .map((p) => relative(DIR, join(DIR, p)).split(sep).join('/'));
    } catch {
      // first run: nothing written yet
    }
    const expected = new Set(FILES);
    expect(present.filter((p) => !expected.has(p)).sort()).toEqual([]);
  });
});
