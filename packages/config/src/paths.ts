/**
 * Spark's keyword folding (spark-reference §1.3.5): `a__b__c` nested targeting (the first segment
 * may name a module spec inside a controller), `_s_field` shared fields applied at every level,
 * and dict values passed to nested configs.
 *
 * @module
 */
import { decodeField, fillDefaults, suggest } from './codec.ts';
import { isTypedConfig } from './fields.ts';
import type { ModuleSpec, Registry } from './registry.ts';
import type { ConfigBody, ConfigIssue, ModuleSpecs } from './types.ts';

/** Spark's nested-config delimiter. */
export const CONFIG_DELIMITER = '__';
/** Spark's shared-field prefix. */
export const SHARED_PREFIX = '_s_';

/** Result of {@link applyOverrides}: the new config (input untouched) and any problems. */
export interface OverrideResult {
  config: ConfigBody;
  issues: ConfigIssue[];
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Applies Spark-style keyword overrides to a config body of module `spec`, e.g.
 * `{ synapses__kernel__scale: 200, _s_units: [256] }` on an `alif_neuron` config or
 * `{ A_excitatory__soma__potential_tau: 15 }` on a brain. Returns a new body; problems (unknown
 * targets, with "did you mean") are returned as issues, never thrown.
 */
export function applyOverrides(
  spec: ModuleSpec | undefined,
  body: ConfigBody,
  overrides: Record<string, unknown>,
  registry: Registry,
): OverrideResult {
  const issues: ConfigIssue[] = [];
  const config = structuredClone(body);
  apply(spec, config, overrides, '', registry, issues);
  return { config, issues };
}

function children(body: ConfigBody): ModuleSpecs[] {
  if (!Array.isArray(body.modules_specs)) return [];
  return (body.modules_specs as ModuleSpecs[]).filter(
    (m) => isObj(m) && isObj(m.module_cls) && isObj(m.config),
  );
}

function applyShared(
  spec: ModuleSpec | undefined,
  body: ConfigBody,
  field: string,
  value: unknown,
  registry: Registry,
): boolean {
  let hit = false;
  const f = spec?.field(field);
  if (f) {
    body[field] = decodeField(f, structuredClone(value), field, { registry, issues: [] });
    hit = true;
  }
  for (const [k, v] of Object.entries(body)) {
    if (isTypedConfig(v)) {
      const { __type__, ...rest } = v;
      const child = rest as ConfigBody;
      if (applyShared(registry.getByConfigName(__type__), child, field, value, registry)) {
        body[k] = { __type__, ...child };
        hit = true;
      }
    }
  }
  for (const m of children(body))
    if (applyShared(registry.get(m.module_cls.name), m.config, field, value, registry)) hit = true;
  return hit;
}

function apply(
  spec: ModuleSpec | undefined,
  body: ConfigBody,
  kwargs: Record<string, unknown>,
  path: string,
  registry: Registry,
  issues: ConfigIssue[],
): void {
  const at = (k: string) => (path ? `${path}.${k}` : k);
  const candidates = (): string[] => [
    ...(spec?.fields.map((f) => f.name) ?? []),
    ...children(body).map((m) => m.name),
  ];
  // shared first, so explicit keys win (Spark: explicit kwargs > shared)
  const entries = Object.entries(kwargs).sort(
    ([a], [b]) => Number(!a.startsWith(SHARED_PREFIX)) - Number(!b.startsWith(SHARED_PREFIX)),
  );
  for (const [key, value] of entries) {
    if (UNSAFE.has(key)) {
      issues.push({
        path: at(key),
        message: `refusing the unsafe key "${key}"`,
        severity: 'error',
        code: 'unsafe_key',
      });
      continue;
    }
    if (key.startsWith(SHARED_PREFIX)) {
      const field = key.slice(SHARED_PREFIX.length);
      if (!applyShared(spec, body, field, value, registry)) {
        issues.push({
          path: at(key),
          message: `no config here or below has a field "${field}"`,
          severity: 'error',
          code: 'unknown_key',
        });
      }
      continue;
    }
    const [head, ...rest] = key.split(CONFIG_DELIMITER);
    const tail = rest.join(CONFIG_DELIMITER);
    if (!head) {
      issues.push({
        path: at(key),
        message: `invalid override key "${key}"`,
        severity: 'error',
        code: 'unknown_key',
      });
      continue;
    }
    const f = spec?.field(head);
    const child = f ? undefined : children(body).find((m) => m.name === head);
    if (!tail) {
      if (f) {
        const current = body[head];
        if (isObj(value) && isTypedConfig(current) && !('__type__' in value)) {
          // child={...}: kwargs for the nested config
          const { __type__, ...restBody } = current;
          const nested = restBody as ConfigBody;
          apply(registry.getByConfigName(__type__), nested, value, at(head), registry, issues);
          body[head] = { __type__, ...nested };
        } else {
          const decoded = decodeField(f, structuredClone(value), at(head), { registry, issues });
          body[head] = isTypedConfig(decoded)
            ? {
                __type__: decoded.__type__,
                ...fillDefaults(registry.getByConfigName(decoded.__type__), decoded, registry),
              }
            : decoded;
        }
      } else if (child && isObj(value)) {
        apply(registry.get(child.module_cls.name), child.config, value, at(head), registry, issues);
      } else {
        const hint = suggest(head, candidates());
        issues.push({
          path: at(head),
          message: `unknown field "${head}"`,
          ...(hint ? { hint } : {}),
          severity: 'error',
          code: 'unknown_key',
        });
      }
      continue;
    }
    if (f) {
      const current = body[head];
      if (!isTypedConfig(current)) {
        issues.push({
          path: at(head),
          message: `"${head}" does not hold a nested config, so "${tail}" cannot be set inside it`,
          severity: 'error',
          code: 'invalid_type',
        });
        continue;
      }
      const { __type__, ...restBody } = current;
      const nested = restBody as ConfigBody;
      apply(registry.getByConfigName(__type__), nested, { [tail]: value }, at(head), registry, issues);
      body[head] = { __type__, ...nested };
    } else if (child) {
      apply(registry.get(child.module_cls.name), child.config, { [tail]: value }, at(head), registry, issues);
    } else {
      const hint = suggest(head, candidates());
      issues.push({
        path: at(head),
        message: `"${head}" is neither a field nor a module of this config`,
        ...(hint ? { hint } : {}),
        severity: 'error',
        code: 'unknown_key',
      });
    }
  }
}
