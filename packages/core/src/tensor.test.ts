import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatShape, shapeSize, Tensor } from './tensor.ts';

describe('Tensor construction', () => {
  it('zeros, full and scalar allocate the right storage', () => {
    const z = Tensor.zeros('int32', [2, 3]);
    expect(z.size).toBe(6);
    expect(z.data).toBeInstanceOf(Int32Array);
    expect(z.toNumbers()).toEqual([0, 0, 0, 0, 0, 0]);
    const f = Tensor.full('float16', [3], 0.1);
    expect(Array.from(f.data)).toEqual([0x2e66, 0x2e66, 0x2e66]);
    expect(f.toNumbers()).toEqual([0.0999755859375, 0.0999755859375, 0.0999755859375]);
    const s = Tensor.scalar('uint32', 7);
    expect(s.shape).toEqual([]);
    expect(s.size).toBe(1);
    expect(s.get([])).toBe(7);
    expect(Tensor.zeros('float32', [0, 4]).size).toBe(0);
    expect(String(z)).toBe('Tensor<int32>[2,3]');
  });

  it('fromArray validates the shape and names the problem', () => {
    expect(() => Tensor.fromArray('float32', [1, 2, 3, 4, 5, 6], [2, 4])).toThrow(
      'Tensor.fromArray: data has 6 elements but shape [2,4] needs 8',
    );
    expect(() => Tensor.fromArray('float32', [1, 2], [2, -1])).toThrow(/invalid dimension -1 at axis 1/);
    expect(() => Tensor.fromArray('float32', [1, 2], [2.5])).toThrow(/invalid dimension 2.5 at axis 0/);
    expect(() => Tensor.fromArray('float64' as 'float32', [1])).toThrow(/unknown dtype "float64"/);
  });

  it('fromArray infers nested shapes and rejects ragged input', () => {
    const t = Tensor.fromArray('float32', [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.get([1, 0])).toBe(4);
    expect(() => Tensor.fromArray('float32', [[1, 2], [3]])).toThrow(/ragged nested array at data\[1\]/);
    expect(Tensor.fromArray('float32', new Float32Array([1, 2])).shape).toEqual([2]);
  });

  it('fromArray rejects values the dtype cannot hold', () => {
    expect(() => Tensor.fromArray('int32', [1, 1.5])).toThrow(
      'element 1 is 1.5, which is not a valid int32 value',
    );
    expect(() => Tensor.fromArray('uint8', [256])).toThrow(/element 0 is 256/);
    expect(() => Tensor.fromArray('bool', [0, 2])).toThrow(/not a valid bool value/);
    expect(Tensor.fromArray('bool', [true, false, true] as unknown as number[]).toNumbers()).toEqual([
      1, 0, 1,
    ]);
    expect(Tensor.fromArray('uint32', [0xffffffff]).get([0])).toBe(0xffffffff);
  });

  it('the constructor checks the storage type and length', () => {
    expect(() => new Tensor('float32', [2], new Float32Array(3))).toThrow(
      'Tensor: data has 3 elements but shape [2] needs 2',
    );
    expect(() => new Tensor('float32', [2], new Int32Array(2) as unknown as Float32Array)).toThrow(
      /float32 data must be a Float32Array, got Int32Array/,
    );
    expect(Object.isFrozen(new Tensor('float32', [2], new Float32Array(2)).shape)).toBe(true);
  });
});

describe('Tensor views and access', () => {
  const base = () => Tensor.fromArray('float32', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [4, 3]);

  it('reshape shares storage, infers one -1 and names both shapes on error', () => {
    const t = base();
    const r = t.reshape([2, -1]);
    expect(r.shape).toEqual([2, 6]);
    r.data[0] = 42;
    expect(t.get([0, 0])).toBe(42);
    expect(() => t.reshape([5, 2])).toThrow(
      'Tensor.reshape: cannot reshape [4,3] (12 elements) into [5,2] (10 elements)',
    );
    expect(() => t.reshape([5, -1])).toThrow('cannot reshape [4,3] (12 elements) into [5,-1]');
    expect(() => t.reshape([-1, -1])).toThrow(/only one dimension may be -1/);
  });

  it('slice along axis 0 is a view', () => {
    const t = base();
    const s = t.slice(1, 3);
    expect(s.shape).toEqual([2, 3]);
    expect(s.toNumbers()).toEqual([3, 4, 5, 6, 7, 8]);
    s.set([0, 0], -1);
    expect(t.get([1, 0])).toBe(-1);
    expect(s.data.buffer).toBe(t.data.buffer);
    expect(t.slice(-1).toNumbers()).toEqual([9, 10, 11]);
    expect(t.slice(3, 1).shape).toEqual([0, 3]);
    expect(t.row(2).toNumbers()).toEqual([6, 7, 8]);
    expect(t.row(2).shape).toEqual([3]);
    expect(() => t.row(4)).toThrow('Tensor.row: index 4 is out of range for axis 0 of size 4');
  });

  it('get/set address any element and reject bad indices', () => {
    const t = base();
    expect(t.get([3, 2])).toBe(11);
    expect(t.get([-1, -1])).toBe(11);
    expect(() => t.get([4, 0])).toThrow('Tensor: index 4 is out of range for axis 0 of size 4 (shape [4,3])');
    expect(() => t.get([1])).toThrow(/has 1 components but the shape \[4,3\] has 2/);
    const h = Tensor.zeros('float16', [2]);
    h.set([1], 1 / 3);
    expect(h.data[1]).toBe(0x3555);
    expect(h.get([1])).toBe(0.333251953125);
    const i = Tensor.zeros('int32', [1]);
    expect(() => i.set([0], 0.5)).toThrow(/not a valid int32 value/);
  });

  it('toNested follows the shape', () => {
    expect(base().reshape([2, 2, 3]).toNested()).toEqual([
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
      [
        [6, 7, 8],
        [9, 10, 11],
      ],
    ]);
    expect(Tensor.scalar('float32', 2).toNested()).toBe(2);
  });

  it('clone copies and astype converts', () => {
    const t = base();
    const c = t.clone();
    c.data[0] = 99;
    expect(t.get([0, 0])).toBe(0);
    const h = Tensor.fromArray('float32', [0.1, 65520]).astype('float16');
    expect(h.dtype).toBe('float16');
    expect(Array.from(h.data)).toEqual([0x2e66, 0x7c00]);
    expect(() => Tensor.fromArray('float32', [0.5]).astype('int32')).toThrow(/element 0 is 0.5/);
  });
});

describe('Tensor.equals', () => {
  it('compares dtype, shape and values with tolerances', () => {
    const a = Tensor.fromArray('float32', [1, 2, 3]);
    expect(a.equals(Tensor.fromArray('float32', [1, 2, 3]))).toBe(true);
    expect(a.equals(Tensor.fromArray('float32', [1, 2, 3.001]))).toBe(false);
    expect(a.equals(Tensor.fromArray('float32', [1, 2, 3.001]), { atol: 0.01 })).toBe(true);
    expect(a.equals(Tensor.fromArray('float32', [1, 2, 3.001]), { rtol: 1e-3 })).toBe(true);
    expect(a.equals(Tensor.fromArray('float32', [1, 2, 3.01]), { rtol: 1e-3 })).toBe(false);
    expect(a.equals(Tensor.fromArray('int32', [1, 2, 3]))).toBe(false);
    expect(a.equals(Tensor.fromArray('float32', [1, 2, 3], [3, 1]))).toBe(false);
  });

  it('handles NaN and infinities', () => {
    const n = Tensor.fromArray('float32', [Number.NaN, Number.POSITIVE_INFINITY]);
    expect(n.equals(Tensor.fromArray('float32', [Number.NaN, Number.POSITIVE_INFINITY]))).toBe(true);
    expect(
      n.equals(Tensor.fromArray('float32', [Number.NaN, Number.POSITIVE_INFINITY]), { equalNan: false }),
    ).toBe(false);
    expect(n.equals(Tensor.fromArray('float32', [0, Number.POSITIVE_INFINITY]), { atol: 1e9 })).toBe(false);
    expect(
      n.equals(Tensor.fromArray('float32', [Number.NaN, 1e30]), { atol: Number.POSITIVE_INFINITY }),
    ).toBe(false);
  });
});

describe('shape helpers', () => {
  it('shapeSize and formatShape', () => {
    expect(shapeSize([2, 3, 4])).toBe(24);
    expect(shapeSize([])).toBe(1);
    expect(formatShape([2, 4])).toBe('[2,4]');
  });
});

describe('Tensor properties', () => {
  it('slices along axis 0 partition the tensor and reshape keeps row-major order', () => {
    const shape = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(shape, fc.integer({ min: 0, max: 5 }), (dims, cut) => {
        const size = dims.reduce((a, b) => a * b, 1);
        const t = Tensor.fromArray(
          'int32',
          Array.from({ length: size }, (_, i) => i * 3 - 7),
          dims,
        );
        const k = Math.min(cut, dims[0]!);
        const joined = [...t.slice(0, k).toNumbers(), ...t.slice(k).toNumbers()];
        expect(joined).toEqual(t.toNumbers());
        expect(t.reshape([-1]).toNumbers()).toEqual(t.toNumbers());
        if (size > 0) {
          const last = dims.map((d) => d - 1);
          expect(t.get(last)).toBe((size - 1) * 3 - 7);
        }
      }),
      { numRuns: 300 },
    );
  });
});
