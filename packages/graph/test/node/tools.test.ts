/// <reference types="node" />
import { readFixture } from '@spark-snn/testing/fixtures';
import { describe, expect, it } from 'vitest';
import { diagnosticsByNode } from '../../src/diagnostics.ts';
import { mapNirBytes, readNir } from '../../src/index.ts';
import { convertNirBytes } from '../../src/tools.ts';

const fixture = (name: string): Uint8Array => readFixture(`nir/${name}`);

describe('CLI/editor entry points', () => {
  it('convert: NIR → JSON debug form → NIR keeps the graph', async () => {
    const json = await convertNirBytes(fixture('two_lif_neurons.nir'), 'nir', 'nir.json');
    expect(json.diagnostics).toEqual([]);
    expect(new TextDecoder().decode(json.output!)).toContain('NON-STANDARD');
    const back = await convertNirBytes(json.output!, 'nir.json', 'nir');
    const r = await readNir(back.output!);
    expect(r.ok).toBe(true);
    expect([...r.graph!.nodes.keys()].sort()).toEqual(['in', 'lif1', 'lif2', 'linear1', 'linear2', 'out']);
  });

  it('map: braille onto XyloAudio 2 gives a configuration and a Rockpool spec', async () => {
    const r = await mapNirBytes(fixture('braille_noDelay_bias_zero.nir'), 'nir', 'xylo-audio-2', {
      dt: 1e-4,
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.config!.hidden.threshold).toHaveLength(38);
  });

  it('map: the CNN cannot be mapped and says why, per node', async () => {
    const r = await mapNirBytes(fixture('cnn_sinabs.nir'), 'nir', 'xylo-audio-2');
    expect(r.ok).toBe(false);
    const byNode = diagnosticsByNode(r.diagnostics.filter((d) => d.code === 'nir-to-hw.unsupported'));
    expect([...byNode.keys()].sort()).toEqual(['0', '1', '10', '12', '2', '3', '4', '5', '6', '7', '8']);
    expect((await mapNirBytes(fixture('cnn_sinabs.nir'), 'nir', 'nope')).diagnostics[0]?.code).toBe(
      'map.unknown-device',
    );
  });
});
