import { describe, expect, it } from 'vitest';
import { RASTER_HISTORY } from '../../sim/webgpu-raster.ts';
import { PIXEL_BACKGROUND, PIXEL_COLOURS, paintSpikes, type RasterRows } from './raster-pixels.ts';

const [EVEN, ODD] = PIXEL_COLOURS;

/** Three neurons: 0 and 1 in the first band (rows 0–1 and 2–3), 2 in the second (rows 6–9). */
const ROWS: RasterRows = {
  top: Int32Array.from([0, 2, 6]),
  height: Int32Array.from([2, 2, 4]),
  colour: Uint32Array.from([EVEN, EVEN, ODD]),
};

function paint(width: number, steps: number[][]) {
  const height = 10;
  const px = new Uint32Array(width * height);
  paintSpikes(
    px,
    width,
    height,
    steps.map((s) => Uint32Array.from(s)),
    ROWS,
  );
  const at = (x: number, y: number) => px[y * width + x];
  return { px, at };
}

describe('paintSpikes (the Canvas 2D raster)', () => {
  it('the colours are RGBA bytes of the WebGPU raster colours', () => {
    const bytes = new Uint8Array(Uint32Array.from([EVEN ?? 0, ODD ?? 0, PIXEL_BACKGROUND]).buffer);
    expect([...bytes]).toEqual([0xf5, 0xc5, 0x42, 255, 0x8a, 0xb4, 0xf8, 255, 0x11, 0x11, 0x11, 255]);
  });

  it('one pixel column per step at full width: the newest step at the right edge, each row in its band colour', () => {
    // Two steps: neuron 0 fired at the older one, neurons 1 and 2 at the newest.
    const { px, at } = paint(RASTER_HISTORY, [[0], [1, 2]]);
    const w = RASTER_HISTORY;
    expect(at(w - 2, 0)).toBe(EVEN);
    expect(at(w - 2, 1)).toBe(EVEN);
    expect(at(w - 2, 2)).toBe(PIXEL_BACKGROUND);
    expect(at(w - 1, 2)).toBe(EVEN);
    expect(at(w - 1, 3)).toBe(EVEN);
    for (let y = 6; y < 10; y++) expect(at(w - 1, y)).toBe(ODD);
    expect(at(w - 1, 5)).toBe(PIXEL_BACKGROUND);
    // Nothing else is lit: 2 + 2 + 4 pixels.
    expect(px.filter((p) => p !== PIXEL_BACKGROUND).length).toBe(8);
  });

  it('a narrow plot keeps one pixel per step, and a full history fills the width from the left edge', () => {
    const steps = Array.from({ length: RASTER_HISTORY }, (_, i) => (i % 2 ? [2] : []));
    const { at } = paint(300, steps);
    // 600 steps on 300 pixels: the odd (firing) steps land on every pixel column.
    for (let x = 0; x < 300; x++) expect(at(x, 7), `x=${x}`).toBe(ODD);
    expect(at(0, 0)).toBe(PIXEL_BACKGROUND);
  });

  it('rows outside the plot are clipped, not wrapped', () => {
    const rows: RasterRows = {
      top: Int32Array.from([-1, 9]),
      height: Int32Array.from([2, 3]),
      colour: Uint32Array.from([EVEN, ODD]),
    };
    const px = new Uint32Array(4 * 10);
    paintSpikes(px, 4, 10, [Uint32Array.from([0, 1])], rows);
    expect(px[3]).toBe(EVEN); // row 0 of the last column (the row starting at -1 shows its second pixel)
    expect(px[9 * 4 + 3]).toBe(ODD);
    expect(px.filter((p) => p !== PIXEL_BACKGROUND).length).toBe(2);
  });
});
