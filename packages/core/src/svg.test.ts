import { describe, expect, it } from 'vitest';
import { axis, escapeXml, formatTick, legendEntry, niceTicks, polylinePoints, svgDocument } from './svg.ts';

describe('niceTicks', () => {
  it('picks round steps', () => {
    expect(niceTicks(0, 1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0, 3, 4)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(-0.3, 0.3, 3)).toEqual([-0.2, 0, 0.2]);
    expect(niceTicks(5, 5)).toEqual([5]);
  });
});

describe('text', () => {
  it('escapes markup and formats tick labels', () => {
    expect(escapeXml('a <b> & "c"')).toBe('a &lt;b&gt; &amp; &quot;c&quot;');
    expect([0, 20, 0.5, 1.25, 1 / 3].map(formatTick)).toEqual(['0', '20', '0.5', '1.25', '0.33']);
    expect(
      polylinePoints([
        [1, 2.25],
        [3.04, 4],
      ]),
    ).toBe('1.0,2.3 3.0,4.0');
  });
});

describe('svgDocument', () => {
  it('writes the title, the defs and the body on a white background', () => {
    const svg = svgDocument({ width: 30, height: 20, title: 'a & b', defs: ['<path id="m"/>'] }, ['<g/>']);
    expect(svg).toBe(
      [
        '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20" viewBox="0 0 30 20" font-family="sans-serif" font-size="11" role="img">',
        '<title>a &amp; b</title>',
        '<defs>',
        '<path id="m"/>',
        '</defs>',
        '<rect width="30" height="20" fill="#fff"/>',
        '<g/>',
        '</svg>\n',
      ].join('\n'),
    );
  });
});

describe('axis', () => {
  it('draws a bottom axis: line, one tick and label per value, the title centred under it', () => {
    const a = axis({
      side: 'bottom',
      at: 100,
      line: [10, 110],
      ticks: [0, 5, 10],
      position: (v) => 10 + 10 * v,
      label: 'x',
    });
    expect(a.match(/<line /g)).toHaveLength(4);
    expect(
      [...a.matchAll(/<text x="([\d.]+)" y="116" text-anchor="middle">(\d+)<\/text>/g)].map((m) => [
        m[1],
        m[2],
      ]),
    ).toEqual([
      ['10.0', '0'],
      ['60.0', '5'],
      ['110.0', '10'],
    ]);
    expect(a).toContain('<text x="60.0" y="132" text-anchor="middle">x</text>');
  });

  it('draws a left axis with grid lines across the plot and its own label format', () => {
    const a = axis({
      side: 'left',
      at: 50,
      ticks: [1, 2],
      position: (e) => 200 - 50 * e,
      format: (e) => `1e${e}`,
      tickLength: 0,
      grid: 300,
      label: 'y',
    });
    expect(a).toContain('<line x1="50" y1="150.0" x2="300" y2="150.0" stroke="#ddd"/>');
    expect(a).toContain('<text x="47" y="104.0" text-anchor="end">1e2</text>');
    expect(a).toContain('<text transform="translate(16 125.0) rotate(-90)" text-anchor="middle">y</text>');
    expect(a).not.toContain('stroke="#333"');
  });
});

describe('legendEntry', () => {
  it('puts the label after a square swatch or after a drawn one', () => {
    expect(legendEntry(5, 20, 'e <1>', { colour: '#f00' })).toBe(
      '<rect x="5" y="11" width="10" height="10" fill="#f00"/><text x="19" y="20">e &lt;1&gt;</text>',
    );
    expect(legendEntry(5, 20, 'ema', { svg: (x, y) => `<line x1="${x}" y1="${y}"/>`, width: 21 })).toBe(
      '<line x1="5" y1="16"/><text x="30" y="20">ema</text>',
    );
  });
});
