/**
 * The Canvas 2D raster's pixels: the spikes of the held steps painted into an RGBA buffer, which
 * `RasterPlot` puts on uPlot's canvas in one call.
 *
 * @module
 */
import { RASTER_COLOURS, RASTER_HISTORY } from '../../sim/webgpu-raster.ts';

/** A colour as an ImageData pixel read through a little-endian Uint32Array (RGBA bytes). */
const pixel = (c: readonly number[]) =>
  (0xff000000 |
    (Math.round((c[2] ?? 0) * 255) << 16) |
    (Math.round((c[1] ?? 0) * 255) << 8) |
    Math.round((c[0] ?? 0) * 255)) >>>
  0;
export const PIXEL_COLOURS = [pixel(RASTER_COLOURS.even), pixel(RASTER_COLOURS.odd)] as const;
export const PIXEL_BACKGROUND = pixel(RASTER_COLOURS.background);

/** Where each neuron's row is drawn: top pixel, height in pixels and colour, indexed by neuron. */
export interface RasterRows {
  top: Int32Array;
  height: Int32Array;
  colour: Uint32Array;
}

/**
 * Paints the Canvas 2D raster's plot area (`width` × `height` pixels, RGBA as little-endian
 * Uint32): the background, then one column per held step — the newest at the right edge, each
 * {@link RASTER_HISTORY}-th of the width (at least a pixel) — with every fired neuron's row in its
 * band's colour.
 */
export function paintSpikes(
  pixels: Uint32Array,
  width: number,
  height: number,
  steps: readonly Uint32Array[],
  rows: RasterRows,
): void {
  pixels.fill(PIXEL_BACKGROUND);
  const n = steps.length;
  const colW = Math.ceil(Math.max(1, width / RASTER_HISTORY));
  for (let c = 0; c < n; c++) {
    const x0 = Math.floor(width - (n - c) * (width / RASTER_HISTORY));
    const xs = Math.max(0, x0);
    const xe = Math.min(width, x0 + colW);
    if (xe <= xs) continue;
    const fired = steps[c] ?? [];
    for (let i = 0; i < fired.length; i++) {
      const r = fired[i] ?? 0;
      const top = rows.top[r] ?? 0;
      const ys = Math.max(0, top);
      const ye = Math.min(height, top + (rows.height[r] ?? 1));
      const colour = rows.colour[r] ?? 0;
      for (let y = ys; y < ye; y++) pixels.fill(colour, y * width + xs, y * width + xe);
    }
  }
}
