import { describe, expect, it } from 'vitest';
import { captureIo } from './io.ts';
import { createProgress, formatDuration, progressLine } from './progress.ts';

describe('progress', () => {
  it('formats durations', () => {
    expect(formatDuration(4.4)).toBe('4s');
    expect(formatDuration(184)).toBe('3m04s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatDuration(Number.NaN)).toBe('--');
  });

  it('shows percent, counts and ETA, then the total time', () => {
    expect(progressLine('steps', 250, 1000, 5, 80)).toMatch(
      /^\[#{10}\.{30}\] {2}25% 250\/1000 steps ETA 15s$/,
    );
    expect(progressLine('steps', 1000, 1000, 20, 80)).toMatch(/100% 1000\/1000 steps in 20s$/);
  });

  it('writes nothing when stdout is not a terminal', () => {
    const io = captureIo({ isTTY: false });
    const p = createProgress(io, 'steps', true);
    p.update(5, 10);
    p.finish();
    expect(io.err()).toBe('');
  });

  it('redraws one line on a terminal', () => {
    const io = captureIo({ isTTY: true });
    const p = createProgress(io, 'steps', true);
    p.update(10, 10);
    p.finish();
    const err = io.err();
    expect(err.startsWith('\r[')).toBe(true);
    expect(err.endsWith('] 100% 10/10 steps in 0s\u001b[K\n')).toBe(true);
  });
});
