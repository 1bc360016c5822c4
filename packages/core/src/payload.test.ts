import { describe, expect, it } from 'vitest';
import {
  assertPortCompatible,
  decodeSpikeCodes,
  encodeSpikeCodes,
  isPayloadType,
  isPortCompatible,
  PAYLOAD_TYPES,
  PAYLOAD_TYPES_INFO,
  Payload,
  PayloadError,
  payloadTypeFromSpark,
  spikeArray,
  validatePayload,
} from './payload.ts';
import { Tensor } from './tensor.ts';

describe('payload types', () => {
  it('has one metadata row per type with Spark names', () => {
    expect(PAYLOAD_TYPES).toHaveLength(8);
    for (const t of PAYLOAD_TYPES) {
      const info = PAYLOAD_TYPES_INFO[t];
      expect(info.type).toBe(t);
      expect(info.description.length).toBeGreaterThan(10);
      if (info.defaultDtype) expect(info.dtypes).toContain(info.defaultDtype);
    }
    expect(PAYLOAD_TYPES_INFO.SpikeArray.registryName).toBe('spike_array');
    expect(PAYLOAD_TYPES_INFO.IntegerArray.registryName).toBe('integer_array');
    expect(PAYLOAD_TYPES_INFO.AnyPayload.sparkClass).toBe('SparkPayload');
    expect(PAYLOAD_TYPES_INFO.AnyPayload.registryName).toBeNull();
    expect(PAYLOAD_TYPES_INFO.BooleanMask.defaultDtype).toBe('bool');
  });

  it('resolves Spark class and registry names', () => {
    expect(payloadTypeFromSpark('current_array')).toBe('CurrentArray');
    expect(payloadTypeFromSpark('SparkPayload')).toBe('AnyPayload');
    expect(payloadTypeFromSpark('PotentialArray')).toBe('PotentialArray');
    expect(() => payloadTypeFromSpark('spike_arr')).toThrow(
      /unknown payload type "spike_arr"; expected one of SpikeArray/,
    );
    expect(isPayloadType('FloatArray')).toBe(true);
    expect(isPayloadType('float_array')).toBe(false);
  });

  it('port compatibility is exact-type, except AnyPayload targets', () => {
    for (const s of PAYLOAD_TYPES) {
      for (const t of PAYLOAD_TYPES) {
        expect(isPortCompatible(s, t), `${s} -> ${t}`).toBe(s === t || t === 'AnyPayload');
      }
    }
    expect(isPortCompatible('CurrentArray', 'FloatArray')).toBe(false);
    expect(isPortCompatible('AnyPayload', 'SpikeArray')).toBe(false);
    expect(() => assertPortCompatible('SpikeArray', 'CurrentArray', 'A.out_spikes -> B.in')).toThrow(
      'A.out_spikes -> B.in: a SpikeArray output cannot feed a CurrentArray input (payload types must match)',
    );
    expect(() => assertPortCompatible('SpikeArray', 'AnyPayload')).not.toThrow();
  });
});

describe('Payload values', () => {
  it('validates spike values and dtypes', () => {
    const p = new Payload('SpikeArray', Tensor.fromArray('float32', [1, 0, -1]));
    expect(p.shape).toEqual([3]);
    expect(String(p)).toBe('SpikeArray<float32>[3]');
    expect(() => new Payload('SpikeArray', Tensor.fromArray('float32', [0, 2]))).toThrow(
      'Payload: SpikeArray element 1 is 2; values must be -1, 0 or +1',
    );
    expect(() => new Payload('SpikeArray', Tensor.fromArray('float16', [0.5]))).toThrow(/element 0 is 0.5/);
    expect(() => new Payload('SpikeArray', Tensor.fromArray('uint8', [1]))).toThrow(
      'SpikeArray cannot have dtype uint8 (allowed: float32, float16, int32)',
    );
    expect(() => new Payload('CurrentArray', Tensor.fromArray('int32', [1]))).toThrow(
      /cannot have dtype int32/,
    );
    expect(() => new Payload('BooleanMask', Tensor.fromArray('uint8', [0, 1, 3]))).toThrow(
      'BooleanMask element 2 is 3; values must be 0 or 1',
    );
    expect(() => new Payload('BooleanMask', Tensor.fromArray('bool', [0, 1]))).not.toThrow();
    expect(() => new Payload('Nope' as 'FloatArray', Tensor.zeros('float32', [1]))).toThrow(
      /unknown payload type/,
    );
    expect(validatePayload('AnyPayload', Tensor.fromArray('uint32', [7]))).toBeNull();
    expect(validatePayload('PotentialArray', Tensor.fromArray('float32', [Number.NaN]))).toBeNull();
  });

  it('zeros uses the default dtype', () => {
    expect(Payload.zeros('BooleanMask', [2, 2]).dtype).toBe('bool');
    expect(Payload.zeros('IntegerArray', [3]).dtype).toBe('int32');
    expect(Payload.zeros('AnyPayload', [1]).dtype).toBe('float32');
    expect(Payload.zeros('CurrentArray', [2], 'float16').dtype).toBe('float16');
  });

  it('spikeArray signs spikes by the inhibition mask', () => {
    const p = spikeArray([1, 0, 1, 1], [0, 1, 1, 0]);
    expect(p.tensor.toNumbers()).toEqual([1, 0, -1, 1]);
    expect(spikeArray([true, false], undefined, [1, 2], 'float16').tensor.toNumbers()).toEqual([1, 0]);
    expect(() => spikeArray([1, 2])).toThrow('spikeArray: spike 1 is 2; must be 0 or 1');
    expect(() => spikeArray([1], [1, 0])).toThrow(/inhibition mask has 2 elements but there are 1 spikes/);
  });

  it("round-trips Spark's 2-bit spike codes", () => {
    const codes = new Uint8Array([0, 1, 2, 3]);
    const { values, spikes, inhibitionMask } = decodeSpikeCodes(codes);
    expect(values.tensor.toNumbers()).toEqual([0, 1, 0, -1]);
    expect(Array.from(spikes)).toEqual([0, 1, 0, 1]);
    expect(Array.from(inhibitionMask)).toEqual([0, 0, 1, 1]);
    expect(Array.from(encodeSpikeCodes(values, inhibitionMask))).toEqual([0, 1, 2, 3]);
    // without the mask a silent inhibitory unit loses bit 1
    expect(Array.from(encodeSpikeCodes(values))).toEqual([0, 1, 0, 3]);
    expect(() => decodeSpikeCodes(new Uint8Array([4]))).toThrow(PayloadError);
  });
});
