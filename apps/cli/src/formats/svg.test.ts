import { describe, expect, it } from 'vitest';
import { rasterSvg, tracesSvg } from './svg.ts';

describe('rasterSvg', () => {
  it('draws one tick per spike, the rate panel and a legend', () => {
    const data = new Float32Array(10 * 2);
    data[0] = 1; // step 0, neuron 0
    data[2 * 5 + 1] = 1; // step 5, neuron 1
    const svg = rasterSvg([{ name: 'pool.spikes', steps: 10, size: 2, data }], { dt: 1, title: 'a <b> & c' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('<title>a &lt;b&gt; &amp; c</title>');
    const path = /<path d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(path.match(/M/g)).toHaveLength(2);
    expect(svg).toContain('rate (Hz)');
    expect(svg).toContain('pool.spikes (2)');
  });

  it('thins very large rasters and says so', () => {
    const steps = 2000;
    const size = 200;
    const svg = rasterSvg([{ name: 'p', steps, size, data: new Float32Array(steps * size).fill(1) }], {
      dt: 1,
    });
    expect(svg).toContain('showing every 2th of 400000 spikes');
  });
});

describe('rasterSvg with spike events', () => {
  it('draws exactly what the dense recording of the same spikes draws', () => {
    const steps = 40;
    const size = 7;
    const data = new Float32Array(steps * size);
    const ev = { steps: [] as number[], units: [] as number[] };
    for (let t = 0; t < steps; t++)
      for (let i = 0; i < size; i++)
        if ((t * 31 + i * 17) % 5 === 0) {
          data[t * size + i] = 1;
          ev.steps.push(t);
          ev.units.push(i);
        }
    expect(ev.steps.length).toBeGreaterThan(20);
    const dense = rasterSvg(
      [
        { name: 'e', steps, size, data },
        { name: 'i', steps, size: 2, data: new Float32Array(steps * 2) },
      ],
      { dt: 0.1 },
    );
    const events = rasterSvg(
      [
        { name: 'e', steps, size, events: ev },
        { name: 'i', steps, size: 2, events: { steps: [], units: [] } },
      ],
      { dt: 0.1 },
    );
    expect(events).toBe(dense);
  });
});

describe('tracesSvg', () => {
  it('draws the first lines of each series', () => {
    const data = Float32Array.from({ length: 30 }, (_, k) => Math.sin(k));
    const svg = tracesSvg([{ name: 'pool/soma/potential', steps: 10, size: 3, data }], {
      dt: 0.5,
      maxLines: 2,
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('first 2 of 3');
  });
});
