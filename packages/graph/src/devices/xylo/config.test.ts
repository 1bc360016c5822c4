import { describe, expect, it } from 'vitest';
import { lif, linear, sequential } from '../../hw/builders.ts';
import { full } from '../../tensor.ts';
import { type HardwareProfile, XYLO_AUDIO2, XYLO_AUDIO3 } from '../profiles.ts';
import { toXyloConfig, validateXyloConfig } from './config.ts';
import { mapXylo } from './mapper.ts';
import { mapToDevice } from './pipeline.ts';
import { globalQuantize } from './quantize.ts';

const net = (hidden = 4) =>
  sequential(
    linear(full([2, hidden], 0.5)),
    lif({ n: hidden, tauMem: 0.02, tauSyn: 0.004, threshold: 1, bias: 0.1, dt: 0.001 }),
    linear(full([hidden, 2], 0.25)),
    lif({ n: 2, tauMem: 0.02, tauSyn: 0.004, threshold: 1, dt: 0.001 }),
  );

describe('device configuration', () => {
  it('map → quantise → config round trip is valid and keeps hidden biases', () => {
    const r = mapToDevice(net(), XYLO_AUDIO2, { quantize: 'global' });
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
    const c = r.config!;
    expect(c.format).toBe('spark-snn/xylo-config');
    expect(c.input.weights).toHaveLength(2);
    expect(c.hidden.bias.every((b) => b !== 0)).toBe(true);
    expect(c.hidden.dashMem).toEqual([4, 4, 4, 4]);
    expect(c.hidden.dashSyn).toEqual([2, 2, 2, 2]);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(validateXyloConfig(c, XYLO_AUDIO2)).toEqual([]);
  });

  it('refuses an unquantised spec', () => {
    const m = mapXylo(net(), XYLO_AUDIO2);
    expect(toXyloConfig(m.spec!, XYLO_AUDIO2).diagnostics[0]?.code).toBe('config.not-quantised');
  });

  it('reports fan-out, range and alias violations', () => {
    const tiny: HardwareProfile = { ...XYLO_AUDIO2, id: 'tiny', maxFanout: 1 };
    const m = mapXylo(net(), tiny);
    const q = globalQuantize(m.spec!).spec;
    const { diagnostics } = toXyloConfig({ ...q, aliases: [[1, 2], [], [], []] }, tiny);
    const codes = diagnostics.map((d) => d.code);
    expect(codes).toContain('config.fanout');
    expect(codes).toContain('config.alias-targets');
    const bad = toXyloConfig(q, XYLO_AUDIO2).config!;
    const broken = { ...bad, hidden: { ...bad.hidden, threshold: [40000, 1, 1, 1], dashMem: [16, 4, 4, 4] } };
    const v = validateXyloConfig(broken, XYLO_AUDIO2).map((d) => `${d.code}@${d.path}`);
    expect(v).toEqual(['config.range@hidden.threshold[0]', 'config.range@hidden.dashMem[0]']);
  });

  it('A3 keeps both synapses', () => {
    const g = sequential(
      linear(full([2, 8], 0.5)),
      lif({ n: 4, synapses: 2, tauMem: 0.02, tauSyn: [0.002, 0.004], dt: 0.001 }),
      linear(full([4, 2], 0.5)),
      lif({ n: 2, tauMem: 0.02, tauSyn: 0.004, dt: 0.001 }),
    );
    const r = mapToDevice(g, XYLO_AUDIO3);
    expect(r.ok).toBe(true);
    expect(r.config!.synapses).toBe(2);
    expect(r.config!.input.weights[0]![0]).toEqual([127, 127]);
  });
});
