import { describe, expect, it } from 'vitest';
import { ExecutionOrderError, executionOrder } from './order.ts';

const neurons = new Set(['A_excitatory', 'A_inhibitory', 'B_excitatory', 'B_inhibitory', 'pool']);
const isNeuron = (n: string) => neurons.has(n);

describe('executionOrder (Spark §1.4.2)', () => {
  it('reproduces the ab_brain order [[spiker], [4 pools], [integrator]]', () => {
    const groups = executionOrder(
      [
        { name: 'integrator', origins: ['A_excitatory', 'B_excitatory'] },
        { name: 'A_excitatory', origins: ['spiker', 'A_excitatory', 'B_inhibitory', '__call__'] },
        { name: 'spiker', origins: ['__call__'] },
        { name: 'B_inhibitory', origins: ['B_excitatory', 'spiker'] },
        { name: 'A_inhibitory', origins: ['A_excitatory', 'spiker'] },
        { name: 'B_excitatory', origins: ['spiker', 'B_excitatory', 'A_inhibitory', '__call__'] },
      ],
      isNeuron,
    );
    expect(groups).toEqual([
      ['spiker'],
      ['A_excitatory', 'B_inhibitory', 'A_inhibitory', 'B_excitatory'],
      ['integrator'],
    ]);
  });

  it('orders a Neuron chain topologically regardless of declaration order', () => {
    const groups = executionOrder(
      [
        { name: 'plasticity', origins: ['__call__', 'delays', 'soma', 'synapses'] },
        { name: 'soma', origins: ['synapses', '__self__'] },
        { name: 'delays', origins: ['__call__'] },
        { name: 'synapses', origins: ['delays'] },
      ],
      () => false,
    );
    expect(groups).toEqual([['delays'], ['synapses'], ['soma'], ['plasticity']]);
  });

  it('lets a neuron whose inputs all come through contracts run once nothing else can', () => {
    expect(executionOrder([{ name: 'pool', origins: ['pool'] }], isNeuron)).toEqual([['pool']]);
  });

  it('rejects a cycle without a neuron, naming the modules', () => {
    const run = () =>
      executionOrder(
        [
          { name: 'a', origins: ['b'] },
          { name: 'b', origins: ['a'] },
        ],
        () => false,
      );
    expect(run).toThrow(ExecutionOrderError);
    expect(run).toThrow(/a, b form a cycle that passes through no neuron controller/);
  });

  it('names unknown origins', () => {
    expect(() => executionOrder([{ name: 'a', origins: ['ghost'] }], () => false)).toThrow(
      /unknown origin\(s\) ghost/,
    );
  });
});
