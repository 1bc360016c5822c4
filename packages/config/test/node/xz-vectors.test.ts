import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFixture } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import { xzCompress, xzDecompress } from '../../src/index.ts';

const DIR = new URL('../fixtures/xz/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', DIR), 'utf8')) as Record<
  string,
  { size: number; sha256: string }
>;

describe('XZ decoder against files written by Python lzma', () => {
  for (const [file, exp] of Object.entries(manifest)) {
    it(file, () => {
      const out = xzDecompress(readFileSync(new URL(file, DIR)));
      expect(out.length).toBe(exp.size);
      expect(createHash('sha256').update(out).digest('hex')).toBe(exp.sha256);
    });
  }
});

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import lzma'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasPython())('XZ encoder read by Python lzma', () => {
  it('Python decodes what xzCompress writes (several sizes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spark-snn-xz-'));
    const text = readFixture('spark-golden/README.md');
    const cases: Array<[string, Uint8Array, 0 | 1]> = [];
    for (const n of [0, 1, 65535, 65536, 65537, 200_000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 7919) % 251);
      cases.push([`t${n}`, data, 1], [`s${n}`, data, 0]);
    }
    cases.push(['readme', text, 1], ['readme-x3', new Uint8Array([...text, ...text, ...text]), 1]);
    for (const [name, data, level] of cases) {
      const file = join(dir, `${name}.xz`);
      writeFileSync(file, xzCompress(data, { level }));
      const hex = execFileSync('python3', [
        '-c',
        `import lzma,hashlib,sys;print(hashlib.sha256(lzma.open(sys.argv[1]).read()).hexdigest())`,
        file,
      ])
        .toString()
        .trim();
      expect(hex).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
});
