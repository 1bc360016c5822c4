import { describe, expect, it } from 'vitest';
import * as core from './index.ts';
import {
  CounterRng,
  createStateTree,
  deriveStream,
  getTensor,
  readSafetensors,
  setPath,
  Tensor,
  writeSafetensors,
} from './index.ts';

describe('@spark-snn/core public API', () => {
  it('exports every module', () => {
    for (const name of [
      'Tensor',
      'toFloat16Bits',
      'fromFloat16Bits',
      'roundToFloat16',
      'Payload',
      'isPortCompatible',
      'PAYLOAD_TYPES_INFO',
      'getPath',
      'setPath',
      'split',
      'merge',
      'writeSafetensors',
      'readSafetensors',
      'SafetensorsError',
      'philox4x32',
      'CounterRng',
      'deriveStream',
      'PHILOX_KNOWN_ANSWERS',
      'DTYPES',
      'shapeSize',
    ]) {
      expect(core, name).toHaveProperty(name);
    }
    expect(core.shapeSize([2, 3], 'x')).toBe(6);
  });

  it('runs the README example', () => {
    const state = createStateTree();
    setPath(state, 'A_excitatory/synapses/kernel', Tensor.fromArray('float32', [0.5, 1, 0, 2], [2, 2]));
    setPath(state, 'A_excitatory/soma/potential', Tensor.full('float16', [2], -65));

    const bytes = writeSafetensors(state, { metadata: { format: 'spark-snn' } });
    const { state: back, metadata } = readSafetensors(bytes);
    expect(getTensor(back, 'A_excitatory/synapses/kernel').get([1, 1])).toBe(2);
    expect(getTensor(back, 'A_excitatory/soma/potential').toNumbers()).toEqual([-65, -65]);
    expect(metadata?.format).toBe('spark-snn');

    const rng = new CounterRng(42);
    const stream = deriveStream('A_excitatory/soma');
    const noise = rng.fillNormal(new Float32Array(4), stream, 0);
    expect(noise[3]).toBe(rng.normal(stream, 0, 3));
    const u = rng.uniform(stream, 0, 3);
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThan(1);
    expect(new CounterRng(42).uniform(stream, 0, 3)).toBe(u);
  });
});
