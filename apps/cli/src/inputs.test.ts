import { describe, expect, it } from 'vitest';
import { parseInputs } from './inputs.ts';
import { captureIo } from './io.ts';

const io = captureIo();
const opts = { steps: 100, dt: 1, seed: 3 };

describe('input generators', () => {
  it('const repeats the values; the list gives the size', async () => {
    const [s] = await parseInputs(io, ['drive=const:1,2,3'], ['drive'], opts);
    expect(s!.size).toBe(3);
    expect(Array.from(s!.chunk(0, 2))).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('poisson gives 0/1 at about rate·dt, reproducibly and independent of chunking', async () => {
    const [s] = await parseInputs(io, ['poisson:100:50'], ['x'], opts);
    const all = s!.chunk(0, 100);
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    expect(mean).toBeGreaterThan(0.07);
    expect(mean).toBeLessThan(0.13);
    expect(all.every((v) => v === 0 || v === 1)).toBe(true);
    const parts = new Float32Array(100 * 50);
    parts.set(s!.chunk(0, 30), 0);
    parts.set(s!.chunk(30, 70), 30 * 50);
    expect(parts).toEqual(all);
    const [again] = await parseInputs(io, ['poisson:100:50'], ['x'], opts);
    expect(again!.chunk(0, 100)).toEqual(all);
  });

  it('uniform and sine have the requested ranges', async () => {
    const [u, w] = await parseInputs(io, ['a=uniform:-2:2:4', 'b=sine:3:10:2:1'], ['a', 'b'], opts);
    const ud = u!.chunk(0, 100);
    expect(Math.min(...ud)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...ud)).toBeLessThan(2);
    const wd = w!.chunk(0, 10);
    expect(wd[0]).toBeCloseTo(1);
    expect(wd[2 * 2]).toBeCloseTo(1 + 3 * Math.sin((2 * Math.PI * 2) / 10), 5);
  });

  it('rejects malformed generators and unnamed inputs of multi-input brains', async () => {
    await expect(parseInputs(io, ['x=poisson:fast:3'], ['x'], opts)).rejects.toThrow(
      'RATE_HZ must be a number, got "fast"',
    );
    await expect(parseInputs(io, ['x=const:1', 'x=const:2'], ['x'], opts)).rejects.toThrow(
      'input "x" given twice',
    );
    await expect(parseInputs(io, ['const:1'], ['a', 'b'], opts)).rejects.toThrow(
      'name the input (NAME=SOURCE)',
    );
    await expect(parseInputs(io, ['x=wave:1'], ['x'], opts)).rejects.toThrow('unknown generator "wave"');
    await expect(parseInputs(io, ['x=stimulus.txt'], ['x'], opts)).rejects.toThrow('no such file');
  });
});
