// The backend case table (test/common/backend-cases.ts) on every backend, in Node and in headless
// Chromium: one test per case and backend; a pair a backend excludes is reported as skipped with the
// reason in its name. Deno runs the same table (test/deno/backends_test.ts).
import { BACKEND_KINDS, type Backend } from '@spark-snn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_CASES, backendMatrix, TABLE_BACKENDS } from './common/backend-cases.ts';

const MATRIX = backendMatrix();
const runtime = typeof window !== 'undefined' ? 'browser' : 'node';
const backends = new Map<string, Backend>();
beforeAll(async () => {
  for (const b of TABLE_BACKENDS) backends.set(b.name, await b.create());
});
afterAll(() => {
  for (const b of backends.values()) b.destroy();
});

it('the table runs on every backend kind, and every pair of it is a test', () => {
  expect(TABLE_BACKENDS.map((b) => b.kind).sort()).toEqual([...BACKEND_KINDS].sort());
  expect(MATRIX.length).toBe(BACKEND_CASES.length * TABLE_BACKENDS.length);
  expect(BACKEND_CASES.length).toBeGreaterThanOrEqual(65);
});

describe.each(BACKEND_CASES.map((c) => [c.name, c] as const))('%s', (name) => {
  for (const cell of MATRIX.filter((m) => m.case.name === name)) {
    const { backend, excluded } = cell;
    if (excluded !== undefined) it.skip(`${backend.name} — excluded (${excluded})`, () => {});
    else
      it(backend.name, async () => {
        await cell.case.run(backends.get(backend.name) as Backend, { kind: backend.kind, runtime });
      });
  }
});
