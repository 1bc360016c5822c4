import { expect, it } from 'vitest';
import {
  hwToNir,
  lif,
  linear,
  mapToDevice,
  readNir,
  sequential,
  tensor,
  writeNir,
  XYLO_AUDIO2,
} from '../src/index.ts';

it('the README example runs', async () => {
  const net = sequential(
    linear(
      tensor([
        [0.5, -0.2, 0.1, 0.3],
        [0.4, 0.6, -0.5, 0.2],
      ]),
    ),
    lif({ n: 4, tauMem: 0.02, tauSyn: 0.004, threshold: 1, dt: 0.001, name: 'hidden' }),
    linear(
      tensor([
        [1, 0],
        [0, 1],
        [0.5, 0.5],
        [-1, 1],
      ]),
    ),
    lif({ n: 2, tauMem: 0.02, tauSyn: 0.004, threshold: 1, dt: 0.001, name: 'readout' }),
  );
  const mapped = mapToDevice(net, XYLO_AUDIO2, { quantize: 'channel' });
  expect(mapped.ok).toBe(true);
  expect(mapped.config?.hidden.threshold).toHaveLength(4);
  const bytes = await writeNir(hwToNir(net).graph);
  const { graph, diagnostics } = await readNir(bytes);
  expect(diagnostics).toEqual([]);
  expect([...graph!.nodes.keys()].sort()).toEqual([
    'hidden',
    'input',
    'linear',
    'linear_1',
    'output',
    'readout',
  ]);
});
