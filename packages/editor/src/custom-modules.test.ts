// Custom modules (issue 7) reach the editor through the registry alone: palette entry, ports, inspector schema.
import { defaultRegistry } from '@spark-snn/config';
import { defineModule } from '@spark-snn/nn';
import { describe, expect, it } from 'vitest';
import { createConfigRegistry } from './config-bridge.ts';

describe('custom modules in the editor', () => {
  it('appear in the palette with their ports, defaults and inspector schema once registered', () => {
    const registry = defaultRegistry.clone();
    defineModule(
      {
        name: 'quadratic_soma',
        kind: 'soma',
        definition: `
module quadratic_soma over unit
param tau: f32 = 10 [ms] positive
param v_rest: f32 = -65 [mV]
param v_peak: f32 = 30 [mV]
param v_reset: f32 = -70 [mV]
param resistance: f32 = 1 [GOhm]
state potential: f32 = v_rest [mV]
input current: CurrentArray f32 [pA]
output spikes: SpikeArray f32
potential = potential + dt / tau * (v_rest - potential + resistance * current)
let fired = potential > v_peak
spikes = f32(fired)
potential = fired ? v_reset : potential
`,
      },
      { registry },
    );
    const editor = createConfigRegistry(registry);
    const d = editor.get('quadratic_soma');
    expect(d).toBeDefined();
    expect(d!.path).toEqual(['Custom', 'Soma']);
    expect(d!.inputs.map((p) => p.name)).toEqual(['current', 'inhibition_mask']);
    expect(d!.outputs.map((p) => p.name)).toEqual(['spikes']);
    expect(d!.defaults()).toMatchObject({ tau: 10, v_rest: -65, v_peak: 30, v_reset: -70 });
    expect(d!.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['tau', 'v_rest', 'v_peak', 'v_reset', 'seed', 'dt']),
    );
  });
});
