/**
 * One call from a hardware graph to a validated device configuration: what `spark map` runs.
 *
 * @module
 */
import type { Diagnostic } from '../../diagnostics.ts';
import type { HwGraph } from '../../hw/graph.ts';
import type { HardwareProfile } from '../profiles.ts';
import { toXyloConfig, type XyloConfig } from './config.ts';
import { type MapOptions, mapXylo } from './mapper.ts';
import { channelQuantize, globalQuantize, type QuantizeOptions } from './quantize.ts';
import type { XyloSpec } from './spec.ts';

/** Options of {@link mapToDevice}. */
export interface MapToDeviceOptions extends MapOptions, QuantizeOptions {
  /** Quantisation method (default `channel`). */
  quantize?: 'global' | 'channel';
}

/** Result of {@link mapToDevice}. */
export interface MapToDeviceResult {
  readonly ok: boolean;
  /** Float specification from the mapper. */
  readonly spec?: XyloSpec;
  /** Quantised specification. */
  readonly quantised?: XyloSpec;
  readonly config?: XyloConfig;
  /** DRC, mapper, quantiser and validator diagnostics, in that order. */
  readonly diagnostics: Diagnostic[];
}

/** DRC → map → quantise → configuration → validation. Never throws. */
export function mapToDevice(
  graph: HwGraph,
  profile: HardwareProfile,
  options: MapToDeviceOptions = {},
): MapToDeviceResult {
  const m = mapXylo(graph, profile, options);
  if (!m.ok || !m.spec) return { ok: false, diagnostics: m.diagnostics };
  const q =
    (options.quantize ?? 'channel') === 'global'
      ? globalQuantize(m.spec, { ...options, maxDash: profile.maxDash })
      : channelQuantize(m.spec, { ...options, maxDash: profile.maxDash });
  const c = toXyloConfig(q.spec, profile);
  const diagnostics = [...m.diagnostics, ...q.diagnostics, ...c.diagnostics];
  return {
    ok: c.config !== undefined && !diagnostics.some((d) => d.severity === 'error'),
    spec: m.spec,
    quantised: q.spec,
    ...(c.config ? { config: c.config } : {}),
    diagnostics,
  };
}
