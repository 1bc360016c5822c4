/**
 * A registry of type-directed rewrite rules between module kinds (replaces Rockpool's
 * `_convert_from` class methods). Converting never mutates the caller's graph.
 *
 * @module
 */
import { type Diagnostic, diag } from '../diagnostics.ts';
import {
  getModule,
  type HwGraph,
  type HwModule,
  type HwModuleSpec,
  isKindOf,
  type ModuleId,
  replaceModule,
} from './graph.ts';

/** Converts module `m` into a spec of the target kind, or explains why it cannot. */
export type Converter = (
  m: HwModule,
  context: Readonly<Record<string, unknown>>,
) => HwModuleSpec | Diagnostic;

/** Result of {@link ConversionRegistry.convert}. */
export interface ConversionResult {
  readonly graph: HwGraph;
  readonly diagnostics: Diagnostic[];
  /** True when the module now has the target kind. */
  readonly ok: boolean;
}

/** Conversion rules keyed by `(fromKind, toKind)`; `fromKind` matches subkinds (a rule from `neurons` applies to `lif`). */
export class ConversionRegistry {
  readonly #rules = new Map<string, Map<string, Converter>>();

  /** Registers (or replaces) the rule converting `fromKind` modules into `toKind`. */
  register(fromKind: string, toKind: string, fn: Converter): this {
    let m = this.#rules.get(toKind);
    if (!m) {
      m = new Map();
      this.#rules.set(toKind, m);
    }
    m.set(fromKind, fn);
    return this;
  }

  /** The most specific rule for a module kind, walking up the kind hierarchy. */
  find(fromKind: string, toKind: string): { from: string; fn: Converter } | undefined {
    const rules = this.#rules.get(toKind);
    if (!rules) return undefined;
    const exact = rules.get(fromKind);
    if (exact) return { from: fromKind, fn: exact };
    for (const [from, fn] of rules) if (isKindOf(fromKind, from)) return { from, fn };
    return undefined;
  }

  /**
   * Converts module `id` of `g` into `toKind`: unchanged if it already has that kind; otherwise
   * the matching rule builds the replacement, which takes over the module's channels.
   */
  convert(
    g: HwGraph,
    id: ModuleId,
    toKind: string,
    context: Readonly<Record<string, unknown>> = {},
  ): ConversionResult {
    const m = getModule(g, id);
    if (m.kind === toKind) return { graph: g, diagnostics: [], ok: true };
    const rule = this.find(m.kind, toKind);
    if (!rule) {
      return {
        graph: g,
        ok: false,
        diagnostics: [
          diag(
            'error',
            'convert.no-rule',
            m.name,
            `Graph module of type ${m.kind} cannot be converted to a ${toKind}`,
          ),
        ],
      };
    }
    const diagnostics: Diagnostic[] = [];
    if (rule.from !== m.kind) {
      diagnostics.push(
        diag(
          'warning',
          'convert.generic-rule',
          m.name,
          `No explicit conversion rule from ${m.kind} to ${toKind}; used the rule for ${rule.from}`,
        ),
      );
    }
    const out = rule.fn(m, context);
    if ('severity' in out) return { graph: g, ok: false, diagnostics: [...diagnostics, out] };
    try {
      return {
        graph: replaceModule(g, id, {
          ...out,
          name: m.name,
          ...(m.origin !== undefined ? { origin: m.origin } : {}),
        } as HwModuleSpec),
        diagnostics,
        ok: true,
      };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return {
        graph: g,
        ok: false,
        diagnostics: [...diagnostics, diag('error', 'convert.failed', m.name, message)],
      };
    }
  }
}

/** The default registry; device modules (Xylo) register their rules here. */
export const conversions = new ConversionRegistry();
