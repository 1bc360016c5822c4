import { describe, expect, it } from 'vitest';
import { CartPole, defaultInput, inputValues, unavailableSimulator } from './simulator.ts';

describe('simulation inputs', () => {
  it('constant, sine, noise and file sources give k × size values, deterministically', () => {
    const c = inputValues({ ...defaultInput(), kind: 'constant', amplitude: 0.25 }, 3, 0, 2, 1);
    expect(Array.from(c)).toEqual([0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
    const sine = inputValues(
      { ...defaultInput(), kind: 'sine', amplitude: 1, frequency: 250, offset: 0 },
      1,
      0,
      4,
      1,
    );
    expect(Array.from(sine).map((x) => Math.round(x * 1000) / 1000)).toEqual([0, 1, 0, -1]);
    const n1 = inputValues({ ...defaultInput(), kind: 'noise', amplitude: 1, seed: 7 }, 4, 10, 3, 1);
    const n2 = inputValues({ ...defaultInput(), kind: 'noise', amplitude: 1, seed: 7 }, 4, 10, 3, 1);
    expect(n1).toEqual(n2);
    expect(n1.every((x) => x >= 0 && x < 1)).toBe(true);
    const file = inputValues({ ...defaultInput(), kind: 'file', data: Float32Array.of(1, 2, 3) }, 2, 0, 2, 1);
    expect(Array.from(file)).toEqual([1, 2, 3, 1]);
  });

  it('CartPole falls without control and resets', () => {
    const env = new CartPole(3);
    let ended = false;
    for (let i = 0; i < 500 && !ended; i++) ended = env.act(1);
    expect(ended).toBe(true);
    expect(env.steps).toBe(0);
    expect(env.observation()).toHaveLength(4);
  });

  it('the placeholder engine is honest', async () => {
    const sim = unavailableSimulator('no engine here');
    expect(sim.available).toBe(false);
    await expect(sim.load({}, { backend: 'auto' })).rejects.toThrow('no engine here');
  });
});
