/**
 * Rendering of equation definitions as text (from the AST): parameters with units and defaults,
 * state, ports and the body, in the language's own infix syntax. Used by the generated
 * `docs/module-equations.md`.
 *
 * @module
 */

import type { Expr, ModuleDefinition, Stmt } from '../lang/ast.ts';

const PREC: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(9)));
}

/** Renders an expression with the minimal parentheses. */
export function renderExpr(e: Expr, parent = 0): string {
  switch (e.kind) {
    case 'num':
      return e.value < 0 && parent > 0 ? `(${num(e.value)})` : num(e.value);
    case 'bool':
      return String(e.value);
    case 'ref':
      return e.name;
    case 'unary': {
      const s = `${e.op}${renderExpr(e.arg, 7)}`;
      return parent > 6 ? `(${s})` : s;
    }
    case 'binary': {
      const p = PREC[e.op] ?? 0;
      const right = renderExpr(e.right, e.op === '-' || e.op === '/' || e.op === '%' ? p + 1 : p);
      const s = `${renderExpr(e.left, p)} ${e.op} ${right}`;
      return p < parent ? `(${s})` : s;
    }
    case 'call':
      return `${e.fn}(${e.args.map((a) => renderExpr(a)).join(', ')})`;
    case 'select': {
      const s = `${renderExpr(e.cond, 1)} ? ${renderExpr(e.then, 1)} : ${renderExpr(e.else, 1)}`;
      return parent > 0 ? `(${s})` : s;
    }
  }
}

/** Renders one statement. */
export function renderStmt(s: Stmt): string {
  return s.kind === 'let' ? `let ${s.name} = ${renderExpr(s.value)}` : `${s.target} = ${renderExpr(s.value)}`;
}

/** Renders a whole definition in the text form of the language. */
export function renderDefinition(d: ModuleDefinition): string {
  const lines: string[] = [`module ${d.name} over ${d.domain ?? 'unit'}`];
  for (const p of d.params) {
    const ext = p.extent !== undefined && p.extent !== 'scalar' ? ` per ${p.extent}` : '';
    const unit = p.unit !== undefined ? ` [${p.unit}]` : '';
    const val = p.validators !== undefined && p.validators.length > 0 ? ` ${p.validators.join(' ')}` : '';
    const dflt = p.default !== undefined ? ` = ${num(p.default)}` : '';
    lines.push(
      `param ${p.name}: ${p.type}${ext}${dflt}${unit}${val}${p.internal === true ? ' internal' : ''}`,
    );
  }
  for (const s of d.state) {
    const unit = s.unit !== undefined ? ` [${s.unit}]` : '';
    lines.push(`state ${s.name}: ${s.type} = ${s.init === undefined ? '0' : renderExpr(s.init)}${unit}`);
  }
  for (const p of d.inputs) {
    const ext = p.extent !== undefined ? ` per ${p.extent}` : '';
    lines.push(`input ${p.name}: ${p.payload} ${p.type}${ext}${p.unit !== undefined ? ` [${p.unit}]` : ''}`);
  }
  for (const p of d.outputs)
    lines.push(`output ${p.name}: ${p.payload} ${p.type}${p.unit !== undefined ? ` [${p.unit}]` : ''}`);
  lines.push('');
  for (const s of d.body) lines.push(renderStmt(s));
  return lines.join('\n');
}
