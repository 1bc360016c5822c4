/**
 * Port glyphs: the shape encodes the payload type, the colour the role (spark-reference §4.3).
 *
 * @module
 */
import type { ReactNode } from 'react';
import type { PayloadType } from '../model/types.ts';

function polygon(n: number, r = 5, c = 6, rot = -Math.PI / 2): string {
  const pts: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = rot + (2 * Math.PI * i) / n;
    pts.push(`${(c + r * Math.cos(a)).toFixed(2)},${(c + r * Math.sin(a)).toFixed(2)}`);
  }
  return pts.join(' ');
}

function star(points = 5, outer = 5.6, inner = 2.4, c = 6): string {
  const pts: string[] = [];
  for (let i = 0; i < points * 2; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (Math.PI * i) / points;
    pts.push(`${(c + r * Math.cos(a)).toFixed(2)},${(c + r * Math.sin(a)).toFixed(2)}`);
  }
  return pts.join(' ');
}

/** Shape name per payload type (also used in tests and docs). */
export const PAYLOAD_SHAPES: Readonly<Record<PayloadType, string>> = {
  integer_array: 'triangle',
  integer_mask: 'triangle',
  float_array: 'square',
  potential_array: 'pentagon',
  current_array: 'hexagon',
  boolean_mask: 'heptagon',
  spike_array: 'star',
  any: 'circle',
};

/** Colour per payload type (edges and legends). */
export const PAYLOAD_COLOURS: Readonly<Record<PayloadType, string>> = {
  spike_array: '#f5c542',
  current_array: '#5fb3f9',
  potential_array: '#c58af9',
  boolean_mask: '#f28b82',
  integer_mask: '#a8dab5',
  float_array: '#81c995',
  integer_array: '#fdd663',
  any: '#bdc1c6',
};

/** Role colours as in Spark: required teal, optional orange, property purple; red outline when unconnected. */
export const ROLE_COLOURS = {
  required: 'rgb(3,199,186)',
  optional: 'rgb(236,164,52)',
  property: 'rgb(160,110,200)',
  missing: 'rgb(154,68,68)',
};

/** An SVG port glyph. */
export function PortGlyph(props: { payload: PayloadType | null; fill: string; stroke: string }): ReactNode {
  const shape = PAYLOAD_SHAPES[props.payload ?? 'any'];
  const common = { fill: props.fill, stroke: props.stroke, strokeWidth: 1.4 };
  let el: ReactNode;
  switch (shape) {
    case 'triangle':
      el = <polygon points={polygon(3, 5.5)} {...common} />;
      break;
    case 'square':
      el = <rect x={1.5} y={1.5} width={9} height={9} {...common} />;
      break;
    case 'pentagon':
      el = <polygon points={polygon(5)} {...common} />;
      break;
    case 'hexagon':
      el = <polygon points={polygon(6)} {...common} />;
      break;
    case 'heptagon':
      el = <polygon points={polygon(7)} {...common} />;
      break;
    case 'star':
      el = <polygon points={star()} {...common} />;
      break;
    default:
      el = <circle cx={6} cy={6} r={4.6} {...common} />;
  }
  return (
    <svg
      width={12}
      height={12}
      viewBox="0 0 12 12"
      aria-hidden="true"
      className="spark-port-glyph"
      data-shape={shape}
    >
      {el}
    </svg>
  );
}
