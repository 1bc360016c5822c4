/**
 * Field-level validation: every field's type and Spark validators ({@link checkFieldValue}), then
 * the numeric limits a run depends on — seeds are unsigned 32-bit integers, integers fit int32,
 * values fit the module's dtype (float32, or float16 for Spark's default `dtype: float16`), and
 * time constants whose decay factor `exp(−dt/τ)` is exactly 0 or 1 in the precision the module runs
 * in are reported.
 *
 * @module
 */
import { FLOAT16_MAX, roundToFloat16 } from '@spark-snn/core';
import { suggest } from './codec.ts';
import { checkFieldValue, type FieldSpec, isSparkArray, isTypedConfig, numericElements } from './fields.ts';
import type { ModuleSpec, Registry } from './registry.ts';
import type { ConfigBody, ModuleSpecs } from './types.ts';
import { add, type Ctx, join, RESERVED } from './validate-context.ts';

/** Largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;
/** Largest seed: Spark's seeds are unsigned 32-bit integers (`jax.random.PRNGKey`). */
export const SEED_MAX = 2 ** 32 - 1;
/** Largest int32 (integer fields become array sizes and indices). */
export const INT32_MAX = 2 ** 31 - 1;

/** Precision a module's values are stored in. */
export type Precision = 'float32' | 'float16';

/** The precision of a module config: its `dtype` (Spark's default float16) when it has one. */
export function precisionOf(spec: ModuleSpec, body: ConfigBody, inherited: Precision): Precision {
  if (spec.kind === 'initializer' || !spec.field('dtype')) return inherited;
  const d = body.dtype ?? spec.field('dtype')?.default;
  return d === 'float16' ? 'float16' : 'float32';
}

/**
 * Validates a config body against its module spec: unknown keys, required fields, every field
 * value, nested initializer configs (`checkBody` validates nested controllers).
 */
export function validateFields(
  spec: ModuleSpec,
  body: ConfigBody,
  path: string,
  ctx: Ctx,
  precision: Precision,
): void {
  const names = spec.fields.map((f) => f.name);
  for (const key of Object.keys(body)) {
    if (RESERVED.has(key) || (key === '__type__' && spec.kind === 'initializer')) continue;
    if (!spec.field(key)) {
      add(
        ctx,
        join(path, key),
        'unknown_key',
        `unknown field "${key}" for ${spec.className}Config (Spark would silently ignore it)`,
        suggest(key, names),
      );
    }
  }
  for (const f of spec.fields) {
    const p = join(path, f.name);
    if (!Object.hasOwn(body, f.name) || body[f.name] === undefined) {
      if (f.required)
        add(ctx, p, 'required', `missing required field "${f.name}"`, `expected ${f.sparkType}`);
      continue;
    }
    validateField({ spec, f, v: body[f.name], body, p, ctx, precision });
  }
}

/** One field's value where it is checked: the module, the field, its value in `body` at path `p`. */
interface FieldSite {
  readonly spec: ModuleSpec;
  readonly f: FieldSpec;
  readonly v: unknown;
  readonly body: ConfigBody;
  readonly p: string;
  readonly ctx: Ctx;
  readonly precision: Precision;
}

function validateField(site: FieldSite): void {
  const { spec, f, v, body, p, ctx, precision } = site;
  if (f.kind === 'shape' && ctx.template && Array.isArray(v) && v.length === 0 && f.name === 'units') {
    return; // a neuron template's units are filled in by the brain that instantiates it
  }
  const msg = checkFieldValue(f, v);
  if (msg) {
    const wrongType = msg.startsWith('expected');
    add(
      ctx,
      p,
      wrongType ? 'invalid_type' : 'invalid_value',
      msg,
      wrongType ? `Spark type: ${f.sparkType}` : undefined,
    );
    return;
  }
  if (isTypedConfig(v)) {
    const inner = ctx.registry.getByConfigName(v.__type__);
    if (!inner) {
      add(
        ctx,
        p,
        'unknown_config_type',
        `unknown config type "${v.__type__}"`,
        suggest(
          v.__type__,
          ctx.registry.list('initializer').map((s) => s.configName),
        ),
      );
      return;
    }
    if (inner.kind !== 'initializer') {
      add(ctx, p, 'invalid_type', `"${f.name}" accepts an initializer config, not ${v.__type__}`);
      return;
    }
    // the using module's dtype overrides the initializer's (spark-reference §1.3.5)
    validateFields(inner, v, p, ctx, precision);
    return;
  }
  checkLimits(site);
  if (
    spec.kind === 'neuron' &&
    f.name === 'inhibition_mask' &&
    isSparkArray(v) &&
    Array.isArray(body.units)
  ) {
    const units = body.units as number[];
    if (v.shape.join(',') !== units.join(',')) {
      add(
        ctx,
        p,
        'shape_mismatch',
        `inhibition_mask has shape [${v.shape.join(', ')}] but the neuron has units [${units.join(', ')}]`,
      );
    }
  }
}

/** Fields whose value becomes a stored model parameter (rounded to the module's dtype on load). */
function isModelValue(spec: ModuleSpec, f: FieldSpec): boolean {
  if (spec.kind === 'brain' || spec.kind === 'neuron' || spec.kind === 'initializer') return false;
  if (f.kind === 'array') return true;
  if (f.kind !== 'float' || f.name === 'dt') return false;
  // per-unit parameters, and scalars that are not durations used to size buffers (max_delay, delay)
  return f.allowsArray === true || f.allowsInit === true || f.units !== 'ms';
}

/** A time constant whose trace decays by `exp(−dt/τ)` each step. */
function isTimeConstant(f: FieldSpec): boolean {
  return f.units === 'ms' && /tau/.test(f.name);
}

function checkLimits(site: FieldSite): void {
  const { spec, f, v, body, p, ctx, precision } = site;
  if (f.kind === 'int' && typeof v === 'number') {
    if (f.name === 'seed') {
      if (v < 0 || v > SEED_MAX)
        add(
          ctx,
          p,
          'invalid_value',
          `a seed must be an unsigned 32-bit integer (0 to ${SEED_MAX}), got ${v}`,
          "Spark's seeds are jax.random.PRNGKey seeds",
        );
    } else if (Math.abs(v) > INT32_MAX) {
      add(ctx, p, 'out_of_range', `${v} overflows int32 (largest ${INT32_MAX})`);
    }
    return;
  }
  if (f.kind !== 'float' && f.kind !== 'array' && f.kind !== 'float_tuple') return;
  const els = numericElements(v);
  if (!els) return;
  const model = isModelValue(spec, f);
  const half = precision === 'float16' && model;
  for (let i = 0; i < els.length; i++) {
    const x = els[i]!;
    const where = els.length > 1 ? ` (element ${i})` : '';
    if (!Number.isFinite(x)) {
      add(ctx, p, 'out_of_range', `must be a finite number${where}, got ${x}`);
      return;
    }
    if (Math.abs(x) > FLOAT32_MAX) {
      add(ctx, p, 'out_of_range', `${x}${where} overflows float32 (largest ${FLOAT32_MAX.toPrecision(5)})`);
      return;
    }
    if (half && Math.abs(x) >= 65520) {
      add(
        ctx,
        p,
        'out_of_range',
        `${x}${where} overflows float16 (largest ${FLOAT16_MAX}); this module runs in float16`,
        'set the module\'s dtype to "float32"',
      );
      return;
    }
    if (half && x !== 0 && roundToFloat16(x) === 0 && f.validators?.includes('positive')) {
      add(
        ctx,
        p,
        'out_of_range',
        `${x}${where} rounds to 0 in float16 but must be > 0; this module runs in float16`,
        'set the module\'s dtype to "float32"',
      );
      return;
    }
    if (half && x !== 0 && roundToFloat16(x) === 0) {
      add(
        ctx,
        p,
        'float16_underflow',
        `${x}${where} rounds to 0 in float16${spec.kind === 'plasticity' ? ': the rule never changes the kernel' : ''}`,
        'set the module\'s dtype to "float32"',
        'warning',
      );
      return;
    }
  }
  if (isTimeConstant(f) && !isTypedConfig(v)) checkDecay(f, els, body, p, ctx, half);
}

/** `exp(−dt/τ)` exactly 0 or 1 in the precision the trace is stored in. */
function checkDecay(
  f: FieldSpec,
  taus: readonly number[],
  body: ConfigBody,
  p: string,
  ctx: Ctx,
  half: boolean,
): void {
  const dt = typeof body.dt === 'number' ? body.dt : 1;
  for (const tau of taus) {
    if (!(tau > 0)) continue; // the positive validator reports it
    const decay = Math.exp(-dt / tau);
    const what = `the decay exp(-dt/${f.name}) = exp(-${dt}/${tau})`;
    const limit: [string, 'float16_noop' | 'decay_limit', string] | undefined =
      half && roundToFloat16(decay) === 1
        ? [
            `in float16 ${what} rounds to 1, so this trace never decays`,
            'float16_noop',
            'use dtype "float32" for this module or a smaller time constant',
          ]
        : Math.fround(decay) === 1
          ? [
              `${what} is exactly 1 in float32: the trace never decays`,
              'decay_limit',
              'a time constant this large integrates without leak; use a smaller one',
            ]
          : Math.fround(decay) === 0
            ? [
                `${what} is exactly 0 in float32: the trace keeps nothing from one step to the next`,
                'decay_limit',
                'a time constant this small (far below dt) is probably a unit mistake (ms)',
              ]
            : undefined;
    if (limit) {
      add(ctx, p, limit[1], limit[0], limit[2], 'warning');
      return;
    }
  }
}

/** The precision of every module of a controller: `name` (`A_excitatory/soma` inside a neuron). */
export function modulePrecisions(
  body: ConfigBody,
  registry: Registry,
  prefix = '',
): Array<{ name: string; module: string; precision: Precision }> {
  const out: Array<{ name: string; module: string; precision: Precision }> = [];
  const list = Array.isArray(body.modules_specs) ? (body.modules_specs as ModuleSpecs[]) : [];
  for (const m of list) {
    const spec = registry.get(m?.module_cls?.name);
    if (!spec || typeof m.config !== 'object' || m.config === null) continue;
    const name = `${prefix}${m.name}`;
    if (spec.kind === 'neuron') out.push(...modulePrecisions(m.config, registry, `${name}/`));
    else out.push({ name, module: spec.name, precision: precisionOf(spec, m.config, 'float16') });
  }
  return out;
}
