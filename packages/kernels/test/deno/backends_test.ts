// Deno: the backend case table (test/common/backend-cases.ts) on every backend — webgpu is wgpu on
// Mesa lavapipe here, gpujs its CPU mode. One test per backend (it makes and destroys the backend, as
// Deno's sanitizers want), one step per case; an excluded case is an ignored step with the reason in
// its name.
import { backendMatrix, TABLE_BACKENDS } from '../common/backend-cases.ts';

interface Step {
  name: string;
  ignore?: boolean;
  fn: () => Promise<void>;
}
declare const Deno: {
  test(name: string, fn: (t: { step(s: Step): Promise<boolean> }) => Promise<void>): void;
};

const MATRIX = backendMatrix();

for (const b of TABLE_BACKENDS) {
  Deno.test(`backend case table on ${b.name}`, async (t) => {
    const backend = await b.create();
    try {
      for (const cell of MATRIX.filter((m) => m.backend === b)) {
        const { excluded } = cell;
        await t.step({
          name: excluded === undefined ? cell.case.name : `${cell.case.name} — excluded (${excluded})`,
          ignore: excluded !== undefined,
          fn: () => cell.case.run(backend, { kind: b.kind, runtime: 'deno' }),
        });
      }
    } finally {
      backend.destroy();
    }
  });
}
