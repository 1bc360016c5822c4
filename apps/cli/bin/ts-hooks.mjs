// Node module hooks that let Node 20 run the workspace's TypeScript sources (every @spark-snn
// package exports `src/index.ts` inside the monorepo). Each `.ts` file is transpiled with
// TypeScript's `transpileModule` (types erased, nothing else changes: the sources use only erasable
// syntax) and cached on disk by path, size and mtime, so later runs skip the compiler entirely.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cacheDir = process.env.SPARK_CLI_CACHE ?? join(tmpdir(), 'spark-cli-ts-cache');
let ts;

async function transpile(path) {
  const st = statSync(path);
  const key = createHash('sha1').update(`${path}\0${st.size}\0${st.mtimeMs}\0v1`).digest('hex');
  const cached = join(cacheDir, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  ts ??= (await import('typescript')).default;
  const out = ts.transpileModule(readFileSync(path, 'utf8'), {
    fileName: path,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      verbatimModuleSyntax: true,
      sourceMap: false,
      inlineSourceMap: true,
      inlineSources: false,
    },
  }).outputText;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(`${cached}.${process.pid}`, out);
    const { renameSync } = await import('node:fs');
    renameSync(`${cached}.${process.pid}`, cached);
  } catch {
    // a read-only cache is fine
  }
  return out;
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && /\.(ts|mts)$/.test(url) && !url.endsWith('.d.ts')) {
    return { format: 'module', source: await transpile(fileURLToPath(url)), shortCircuit: true };
  }
  return nextLoad(url, context);
}
