/**
 * Signed spikes: a soma's spikes take the sign of its neuron's inhibition mask (−1 for inhibitory
 * units), which is how Spark carries inhibition downstream (spark-reference §1.4.5).
 *
 * @module
 */
import { instantiateModule } from '@spark-snn/kernels';
import { parseDefinition } from '@spark-snn/kernels/lang';
import type { PortValue } from '../compile/builder.ts';
import { CompileError, type LowerContext } from '../compile/lowering.ts';

const SPIKE_SIGN = parseDefinition(`
module spike_sign over unit
param polarity: f32 per unit = 1
input spikes: SpikeArray f32
output signed: SpikeArray f32
signed = polarity * spikes
`);

/** Returns `spikes` signed by `mask` (a new buffer when any unit is inhibitory). */
export function signSpikes(
  ctx: LowerContext,
  path: string,
  section: string,
  spikes: PortValue,
  mask: Uint8Array,
): PortValue {
  const size = mask.length;
  if (!mask.some((x) => x !== 0)) return { ...spikes, inhibitionMask: mask };
  const n = spikes.shape.reduce((a, b) => a * b, 1);
  if (n !== size)
    throw new CompileError(`${path}.inputs.inhibition_mask`, `has ${size} units; the soma has ${n}`);
  const sign = new Float64Array(size);
  for (let i = 0; i < size; i++) sign[i] = mask[i] ? -1 : 1;
  const { buffers, op } = instantiateModule(SPIKE_SIGN, {
    prefix: `${path}/@sign`,
    size,
    dt: ctx.dt,
    params: { polarity: sign },
    bind: { spikes: spikes.buffer },
  });
  for (const b of buffers) ctx.builder.addBuffer(b);
  ctx.builder.addOps(section, op);
  return { buffer: op.bindings.signed!, shape: spikes.shape, payload: spikes.payload, inhibitionMask: mask };
}
