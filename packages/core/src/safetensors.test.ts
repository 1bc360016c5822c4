import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  SafetensorsError,
  writeSafetensors,
} from './safetensors.ts';
import { createStateTree, getTensor, listPaths, setPath, stateEquals } from './state.ts';
import { Tensor } from './tensor.ts';

const enc = new TextEncoder();

function u64le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff, 0, 0, 0, 0];
}
function hexBytes(hex: string): number[] {
  return hex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? [];
}
/** Builds a file from a header string (padded by hand with the given number of spaces) and data bytes. */
function file(header: string, spaces: number, data: number[]): Uint8Array {
  const h = enc.encode(header + ' '.repeat(spaces));
  return new Uint8Array([...u64le(h.length), ...h, ...data]);
}
function expectError(bytes: Uint8Array, message: string | RegExp): void {
  expect(() => decodeSafetensors(bytes)).toThrow(SafetensorsError);
  expect(() => decodeSafetensors(bytes)).toThrow(message);
}

describe('safetensors writer: byte-for-byte the reference layout', () => {
  it('matches the reference implementation for one F32 tensor', () => {
    // safetensors (Rust) test_serialization: "attn.0" F32 [1,2,3] = 0..5
    const t = Tensor.fromArray('float32', [0, 1, 2, 3, 4, 5], [1, 2, 3]);
    const expected = file('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}', 0, [
      ...hexBytes('000000000000803f0000004000004040000080400000a040'),
    ]);
    expect(expected.slice(0, 8)).toEqual(new Uint8Array([64, 0, 0, 0, 0, 0, 0, 0]));
    expect(encodeSafetensors({ 'attn.0': t })).toEqual(expected);
    // test_serialization_forced_alignement: shorter name forces 7 spaces of padding
    const aligned = file('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}', 7, [
      ...hexBytes('000000000000803f0000004000004040000080400000a040'),
    ]);
    expect(aligned[0]).toBe(72);
    expect(encodeSafetensors({ attn0: t.reshape([1, 1, 2, 3]) })).toEqual(aligned);
  });

  it('matches the reference for empty files with and without metadata', () => {
    expect(encodeSafetensors({})).toEqual(
      new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]),
    );
    expect(encodeSafetensors({}, { metadata: { framework: 'pt' } })).toEqual(
      file('{"__metadata__":{"framework":"pt"}}', 5, []),
    );
  });

  it('orders tensors by dtype alignment then name, as safetensors.numpy.save does', () => {
    // Produced by safetensors 0.8.0 `save(d, metadata={"format": "np"})` for the same arrays.
    const header =
      '{"__metadata__":{"format":"np"},' +
      '"a/v":{"dtype":"F32","shape":[],"data_offsets":[0,4]},' +
      '"c":{"dtype":"F32","shape":[2,1],"data_offsets":[4,12]},' +
      '"u":{"dtype":"U32","shape":[1],"data_offsets":[12,16]},' +
      '"n":{"dtype":"I32","shape":[2],"data_offsets":[16,24]},' +
      '"a/w":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},' +
      '"z":{"dtype":"U8","shape":[0],"data_offsets":[28,28]},' +
      '"µ":{"dtype":"U8","shape":[1],"data_offsets":[28,29]},' +
      '"b/mask":{"dtype":"BOOL","shape":[3],"data_offsets":[29,32]}}';
    const data = hexBytes(
      '0000c03f' + '0000003f00004040' + 'ffffffff' + 'ffffffff07000000' + '003c00c0' + '09' + '010001',
    );
    const expected = file(header, 1, data);
    expect(expected.length).toBe(8 + 480 + 32);

    const state = createStateTree();
    setPath(state, 'b/mask', Tensor.fromArray('bool', [1, 0, 1]));
    setPath(state, 'a/w', Tensor.fromArray('float16', [1, -2]));
    setPath(state, 'c', Tensor.fromArray('float32', [0.5, 3], [2, 1]));
    setPath(state, 'a/v', Tensor.scalar('float32', 1.5));
    setPath(state, 'n', Tensor.fromArray('int32', [-1, 7]));
    setPath(state, 'u', Tensor.fromArray('uint32', [0xffffffff]));
    setPath(state, 'z', Tensor.zeros('uint8', [0]));
    setPath(state, 'µ', Tensor.fromArray('uint8', [9]));
    const bytes = writeSafetensors(state, { metadata: { format: 'np' } });
    expect(bytes).toEqual(expected);

    const back = readSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'np' });
    expect(stateEquals(back.state, state)).toBe(true);
    expect(getTensor(back.state, 'a/w').toNumbers()).toEqual([1, -2]);
    expect(getTensor(back.state, 'a/v').shape).toEqual([]);
    expect(listPaths(back.state).sort()).toEqual(listPaths(state).sort());
  });

  it('writes metadata keys sorted, views and slices with their own bytes only', () => {
    const base = Tensor.fromArray('float32', [1, 2, 3, 4, 5, 6], [3, 2]);
    const bytes = encodeSafetensors({ s: base.slice(1, 2) }, { metadata: { z: '1', a: '2' } });
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(Object.keys(metadata ?? {})).toEqual(['a', 'z']);
    expect(tensors.get('s')?.toNumbers()).toEqual([3, 4]);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + 25))).toBe('{"__metadata__":{"a":"2",');
    expect(decodeSafetensors(encodeSafetensors({ s: base })).metadata).toBeNull();
  });

  it('rejects invalid inputs on write', () => {
    const t = Tensor.zeros('float32', [1]);
    expect(() => encodeSafetensors({ __metadata__: t })).toThrow(
      "the tensor name '__metadata__' is reserved",
    );
    expect(() =>
      encodeSafetensors([
        ['a', t],
        ['a', t],
      ]),
    ).toThrow("tensor name 'a' is given twice");
    expect(() => encodeSafetensors({ a: t }, { metadata: { k: 1 as unknown as string } })).toThrow(
      "metadata 'k' must be a string",
    );
  });
});

describe('safetensors reader validation', () => {
  const good = () =>
    encodeSafetensors({ a: Tensor.fromArray('float32', [1, 2]), b: Tensor.fromArray('uint8', [3]) });
  const F32 = (name: string, b: number, e: number, shape = '[1]') =>
    `"${name}":{"dtype":"F32","shape":${shape},"data_offsets":[${b},${e}]}`;

  it('reads what it writes', () => {
    const { tensors } = decodeSafetensors(good().buffer as ArrayBuffer);
    expect([...tensors.keys()]).toEqual(['a', 'b']);
    expect(tensors.get('a')?.toNumbers()).toEqual([1, 2]);
  });

  it('rejects truncated files and bad header lengths', () => {
    expectError(new Uint8Array(5), 'file is 5 bytes, too short for the 8-byte header length');
    const g = good();
    expectError(
      g.subarray(0, 20),
      /header length \d+ goes beyond the end of the file \(20 bytes; truncated\?\)/,
    );
    expectError(g.subarray(0, g.length - 1), /go beyond the data/);
    const huge = new Uint8Array(16);
    huge[7] = 1; // 2^56
    expectError(huge, /exceeds the limit/);
  });

  it('rejects bad UTF-8, bad JSON and non-object headers', () => {
    expectError(
      new Uint8Array([...u64le(8), 0xff, 0xfe, 32, 32, 32, 32, 32, 32]),
      'header is not valid UTF-8',
    );
    expectError(file('{"a":', 3, []), /header is not valid JSON/);
    expectError(file('[1,2,3] ', 0, []), 'header must be a JSON object');
    expectError(file('{"__metadata__":{"k":1}}', 0, []), `"__metadata__" value of 'k' must be a string`);
    expectError(file('{"__metadata__":[]}     ', 0, []), '"__metadata__" must be an object of strings');
  });

  it('rejects bad entries: dtype, shape, offsets and size mismatch', () => {
    expectError(
      file('{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}', 0, [0, 0, 0, 0]),
      /unknown dtype "Q7"/,
    );
    expectError(
      file('{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}', 0, [0, 0, 0, 0, 0, 0, 0, 0]),
      /tensor 'a': unsupported dtype "F64" \(supported: F32, F16, I32, U32, U8, BOOL\)/,
    );
    expectError(
      file(`{${F32('a', 0, 4, '[-1]')}}`, 0, [0, 0, 0, 0]),
      /"shape" must be an array of non-negative/,
    );
    expectError(file(`{${F32('a', 0, 4, '"x"')}}`, 0, [0, 0, 0, 0]), /"shape" must be an array/);
    expectError(
      file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}', 0, [0, 0, 0, 0]),
      /"data_offsets" must be/,
    );
    expectError(file(`{${F32('a', 4, 0)}}`, 0, [0, 0, 0, 0]), 'data_offsets [4,0] end before they begin');
    expectError(
      file(`{${F32('a', 0, 8, '[3]')}}`, 0, [0, 0, 0, 0, 0, 0, 0, 0]),
      "tensor 'a': shape [3] of F32 needs 12 bytes but data_offsets [0,8] span 8",
    );
    expectError(file('{"a":7}', 1, []), "tensor 'a': header entry must be an object");
  });

  it('rejects overlapping, gapped, out-of-range and non-covering offsets', () => {
    const eight = [0, 0, 0, 0, 0, 0, 0, 0];
    expectError(
      file(`{${F32('a', 0, 4)},${F32('b', 0, 4)}}`, 0, eight),
      "tensors 'a' [0,4] and 'b' [0,4] overlap",
    );
    expectError(file(`{${F32('a', 4, 8)}}`, 0, eight), 'data bytes [0,4) are not covered by any tensor');
    expectError(file(`{${F32('a', 0, 4)}}`, 0, eight), 'data has 4 trailing bytes not covered by any tensor');
    expectError(
      file(`{${F32('a', 8, 12)}}`, 0, eight),
      "tensor 'a': data_offsets [8,12] go beyond the data (8 bytes",
    );
  });

  it('rejects BOOL bytes other than 0/1 and names that are not state paths', () => {
    expectError(
      file('{"m":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}', 0, [1, 2]),
      "tensor 'm': BOOL element 1 has byte value 2 (must be 0 or 1)",
    );
    const conflict = encodeSafetensors({ a: Tensor.zeros('uint8', [1]), 'a/b': Tensor.zeros('uint8', [1]) });
    expect(() => readSafetensors(conflict)).toThrow(SafetensorsError);
    expect(() => readSafetensors(conflict)).toThrow(/tensor name 'a\/b' is not a valid state path/);
    const proto = file('{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', 3, [1]);
    expect(decodeSafetensors(proto).tensors.get('__proto__')?.toNumbers()).toEqual([1]);
    expect(() => readSafetensors(proto)).toThrow(/'__proto__' is reserved/);
    expect(({} as Record<string, unknown>).dtype).toBeUndefined();
  });

  it('copies tensor data so unaligned inputs work and the file buffer is not retained', () => {
    const g = good();
    const shifted = new Uint8Array(g.length + 1);
    shifted.set(g, 1);
    const { tensors } = decodeSafetensors(shifted.subarray(1));
    expect(tensors.get('a')?.toNumbers()).toEqual([1, 2]);
    expect(tensors.get('a')?.data.buffer).not.toBe(shifted.buffer);
  });
});

describe('safetensors reader fuzzing', () => {
  const onlyOurErrors = (bytes: Uint8Array): boolean => {
    try {
      readSafetensors(bytes);
    } catch (e) {
      if (!(e instanceof SafetensorsError)) throw e;
    }
    return true;
  };

  it('never throws anything but SafetensorsError on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), onlyOurErrors), { numRuns: 2000 });
  });

  it('never throws anything but SafetensorsError on mutated valid files', () => {
    const base = encodeSafetensors(
      {
        'x/w': Tensor.fromArray('float32', [1, 2, 3, 4], [2, 2]),
        'x/m': Tensor.fromArray('bool', [1, 0]),
        y: Tensor.fromArray('float16', [0.5]),
      },
      { metadata: { k: 'v' } },
    );
    const mutation = fc.record({
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(
      fc.property(mutation, ({ flips, cut }) => {
        const b = base.slice();
        for (const [pos, v] of flips) b[pos % b.length] = v;
        return onlyOurErrors(cut === undefined ? b : b.subarray(0, cut % (b.length + 1)));
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws anything but SafetensorsError on random JSON headers', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const entry = fc.record({
      dtype: fc.oneof(fc.constantFrom('F32', 'F16', 'I32', 'U32', 'U8', 'BOOL', 'F64', 'bogus'), json),
      shape: fc.oneof(fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 3 }), json),
      data_offsets: fc.oneof(
        fc.tuple(fc.integer({ min: -1, max: 40 }), fc.integer({ min: -1, max: 40 })),
        json,
      ),
    });
    const header = fc.dictionary(
      fc.oneof(fc.string({ maxLength: 4 }), fc.constant('__metadata__')),
      fc.oneof(entry, json),
      {
        maxKeys: 4,
      },
    );
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 40 }), (h, data) => {
        const text = enc.encode(JSON.stringify(h));
        return onlyOurErrors(new Uint8Array([...u64le(text.length), ...text, ...data]));
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips random state trees', () => {
    const dtype = fc.constantFrom('float32', 'float16', 'int32', 'uint32', 'uint8', 'bool' as const);
    const tensor = fc
      .tuple(dtype, fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), fc.integer())
      .map(([d, shape, seed]) => {
        const t = Tensor.zeros(d, shape);
        for (let i = 0; i < t.size; i++) t.data[i] = d === 'bool' ? (seed >> i) & 1 : (seed * (i + 1)) & 0x7f;
        return t;
      });
    const name = fc.stringMatching(/^[a-z]{1,3}(\/[a-z]{1,3}){0,2}$/);
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, tensor), { selector: ([n]) => n, maxLength: 6 }), (pairs) => {
        const state = createStateTree();
        for (const [n, t] of pairs) {
          try {
            setPath(state, n, t);
          } catch {
            // conflicting prefix (a and a/b): skip
          }
        }
        const back = readSafetensors(writeSafetensors(state));
        expect(stateEquals(back.state, state)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
