/**
 * Generators of `docs/module-equations.md` (every module's equations rendered from the AST,
 * parameters with units and defaults, ports, structural ops and compatibility notes) and
 * `docs/spark-compatibility.md` (every compatibility switch).
 *
 * @module
 */

import { COMPAT_NOTES, CORRECTED, SPARK_COMPAT } from './compat.ts';
import { LIBRARY, type LibraryEntry } from './registry.ts';
import { renderDefinition } from './render.ts';

const CATEGORY_TITLES: Record<LibraryEntry['category'], string> = {
  soma: 'Somas',
  synapses: 'Synapses',
  delays: 'Delays',
  plasticity: 'Plasticity rules',
  interface: 'Interfaces',
  initializer: 'Initializers',
};

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function entryMarkdown(e: LibraryEntry): string {
  const out: string[] = [`### \`${e.name}\``, '', e.summary, ''];
  const defs = e.definitions(CORRECTED, false);
  const params = new Map<string, { unit: string; dflt: string; extent: string; doc: string }>();
  for (const d of defs)
    for (const p of d.params)
      if (!params.has(p.name))
        params.set(p.name, {
          unit: p.unit ?? '',
          dflt: String(p.default),
          extent: p.extent ?? 'scalar',
          doc: p.doc ?? '',
        });
  if (params.size > 0) {
    out.push('| parameter | default | unit | per | meaning |', '| --- | --- | --- | --- | --- |');
    for (const [n, p] of params)
      out.push(`| \`${n}\` | ${p.dflt} | ${p.unit} | ${p.extent} | ${cell(p.doc)} |`);
    out.push('');
  }
  out.push('Ports:', '');
  for (const p of e.inputs) out.push(`- input \`${p.name}\`: ${p.payload} ${p.shape}`);
  for (const p of e.outputs) out.push(`- output \`${p.name}\`: ${p.payload} ${p.shape}`);
  out.push('');
  for (const d of defs) out.push('```text', renderDefinition(d), '```', '');
  if (e.compat.length > 0) {
    const spark = e.definitions(SPARK_COMPAT, false).map(renderDefinition);
    const differs = spark.some((s, i) => s !== renderDefinition(defs[i] as (typeof defs)[number]));
    if (differs) {
      out.push('Spark-compatibility variant (every switch on):', '');
      for (const s of spark) out.push('```text', s, '```', '');
    }
  }
  if (e.structural.length > 0) {
    out.push('Structural ops:', '');
    for (const s of e.structural) out.push(`- ${s}`);
    out.push('');
  }
  if (e.compat.length > 0) {
    out.push('Compatibility switches (see spark-compatibility.md):', '');
    for (const c of e.compat) {
      const n = COMPAT_NOTES.find((x) => x.switch === c);
      out.push(`- \`${c}\`: ${n?.spark ?? ''}`);
    }
    out.push('');
  }
  for (const n of e.notes) out.push(`Note: ${n}`, '');
  return out.join('\n');
}

/** The content of `docs/module-equations.md`. */
export function moduleEquationsMarkdown(): string {
  const out: string[] = [
    '# Module equations',
    '',
    '<!-- Generated from the equation definitions of @spark-snn/kernels (src/library/docs.ts). Do not edit. -->',
    '',
    'Every Spark module of spark-snn, by registry name: its equations as written in the equation language',
    '(rendered from the definitions, default = corrected behaviour), parameters with defaults and units,',
    'ports, the structural ops it uses, and its Spark-compatibility switches. Potentials of somas are',
    'rebased (`V − potential_rest`) as Spark stores them. `dt` is in ms.',
    '',
  ];
  for (const cat of Object.keys(CATEGORY_TITLES) as LibraryEntry['category'][]) {
    out.push(`## ${CATEGORY_TITLES[cat]}`, '');
    for (const e of Object.values(LIBRARY)) if (e.category === cat) out.push(entryMarkdown(e));
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** The content of `docs/spark-compatibility.md`. */
export function sparkCompatibilityMarkdown(): string {
  const out: string[] = [
    '# Spark compatibility',
    '',
    '<!-- Generated from src/library/compat.ts of @spark-snn/kernels (src/library/docs.ts). Do not edit. -->',
    '',
    'spark-snn fixes the upstream Spark bugs listed in spark-reference §7. Spark’s models were tuned on',
    'Spark’s actual behaviour, so every fix has a switch (`SparkCompat` in `@spark-snn/kernels`) that',
    'reproduces the upstream behaviour exactly. Models made with spark-snn use `CORRECTED` (every switch',
    'off); models loaded from Spark files run with `SPARK_COMPAT` (every switch on) — the provenance marker',
    'of the config decides. The golden fixtures are reproduced in compatibility mode; the corrected',
    'behaviour has its own tests.',
    '',
    '| switch | modules | reference | Spark (switch on) | spark-snn default (switch off) |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const n of COMPAT_NOTES) {
    out.push(
      `| \`${n.switch}\` | ${n.modules.map((m) => `\`${m}\``).join(', ')} | ${cell(n.reference)} | ${cell(n.spark)} | ${cell(n.corrected)} |`,
    );
  }
  out.push(
    '',
    '## Fixed without a switch',
    '',
    'These upstream behaviours are failures (the model cannot be built or crashes), so no Spark model depends',
    'on them and there is nothing to reproduce:',
    '',
    '- `n_delays` flags its output async without expanding the shape, which breaks every synapse after it',
    '  (§7.3): the output is an ordinary presynaptic spike vector.',
    '- `quadruplet_rule` cannot be built (`gamma` vs `eta`, `.init` on plain floats; §7.4): the intended rule',
    '  is implemented, with `gamma` as the learning rate.',
    '- `three_factor_hebbian_rule` fails with sync pre spikes (§7.4): it builds with both.',
    '- `concat` / `concat_reshape` inputs are rejected on Python ≥ 3.11 (§2.6): they work.',
    '- Refractory counters of the exponential somas change dtype on `reset()` (§7.7): every counter holds whole',
    '  steps in an f32 state (exact below 2^24); in compatibility mode the exponential somas’ counters grow without wrapping, as Spark’s float counter does.',
    '',
    '## Kept as Spark defines them',
    '',
    '- Topological spikers: σ multiplies D² directly (`a = exp(−(0.5/σ)·D²)`), the meaning of the field.',
    '- Spikes use a strict `>` after the state update; adaptive thresholds compare with θ of the previous step.',
    '- `exponential_integrator` counts unsigned spikes; synapses use the signed spikes (±1).',
    '',
    '## float16 (Spark’s default dtype, §7.9)',
    '',
    'A module whose config says `dtype: float16` (every module of a Spark file written with Spark’s defaults,',
    'such as `ab_brain.scfg`) stores its state in float16 through `Brain.fromConfig` on every backend: each',
    'stored value is rounded to the nearest float16 (ties to even), arithmetic is float32 (native `shader-f16`',
    'where the adapter has it, exact emulation elsewhere, the cpu rounding as the emulation does). spark-snn’s',
    'own default dtype is float32; Spark files carry their dtype explicitly. `spark validate` lists the',
    'float16 modules. Spark’s float16 quirks, one by one:',
    '',
    '- Parameters are rounded to float16 on load, as Spark’s `Constant(…, dtype=float16)` does (`resistance',
    '  0.1` is 0.0999755859375) — followed. Constants derived from them (decays `exp(−dt/τ)`, scales `1/τ`) are',
    '  computed in float32, where Spark computes them in float16.',
    '- Trace decays that round to 1 in float16 (`exp(−1/20000)` → 1.0): Spark’s trace never decays. A',
    '  float16-stored trace multiplied by a float32 decay within half a float16 step of 1 rounds back to itself,',
    '  so it does not decay either — followed; `validate` warns (`float16_noop`), since the model silently',
    '  loses its time constant.',
    '- Subnormal `1/target_tau` (Zenke, `5e-5` is a float16 subnormal, 5.0068e-5): not reproduced — the scale',
    '  is a derived constant, computed in float32; the 0.14 % offset is an artefact of float16, not of the model.',
    '- A learning rate (or any parameter) that rounds to 0 in float16 makes the rule never change the kernel,',
    '  in Spark and here: `validate` warns (`float16_underflow`); a positive parameter that rounds to 0 (a time',
    '  constant) is an error, and a value beyond 65504 (float16 overflow to infinity) is an error.',
    '- Kernels promoted to float32 after build: in Spark the kernel’s dtype after a plasticity step follows',
    '  JAX’s type promotion of `kernel + dt·dK`, so a float32 value entering the update (a float32 input)',
    '  turns a float16 kernel into float32. spark-snn keeps the module’s declared dtype: the kernel stays in',
    '  float16 storage whatever the inputs’ dtypes (brain inputs are float32 streams).',
    '- Buffers that a structural op reads (dense propagation sums the per-synapse current trace, delay rings,',
    '  the Brain’s one-step cache, spike reductions) keep float32 storage, with float16 initial values;',
    '  spikes are exact in float16 anyway. Refractory counters stored in float16 stop counting at 2048, as',
    '  Spark’s float16 timers do.',
    '',
    '## Not reproduced',
    '',
    '- float16 arithmetic (§7.9): spark-snn stores float16 but computes in float32 (above), except the',
    '  quadruplet tensor rule’s float16 parameter rounding, which the golden data depend on.',
    '- JAX’s random streams (Poisson draws, shuffles, initializers): draws come from the counter-based',
    '  Philox RNG; statistics match, bits do not.',
    '- Topological spikers’ axis transpose for inputs with more than one dimension (§7.6): the output is',
    '  always element-major (`d·R + k`).',
    '',
    '## Event-driven execution (cpu, webgpu)',
    '',
    'On cpu and webgpu a brain runs its synapse-domain modules event-driven (`Brain` option',
    '`eventDriven`, default true; docs/decisions.md, “Event-driven synapse domain”; gpujs runs the dense',
    'step). Two things differ from Spark’s dense step:',
    '',
    '- **Initial weights are clipped once, at load**, into the range of the plasticity rule that updates',
    '  them (`[0, max_clip]` for the quadruplet tensor rule, `≥ 0` for the Hebbian rules; −0 becomes +0);',
    '  so are weights written later (`merge`, checkpoints). Spark clips a weight at its first update, so',
    '  only the synaptic input of step 0 can differ, and only for weights outside the range (none in',
    '  ab_brain). With weights in range the rule leaves every synapse without an event unchanged, which',
    '  is what lets it update only the synapses of spiking units — bit for bit the dense result.',
    '- **A decaying synaptic trace summed per postsynaptic unit** (`traced_synapses`, the RD/RFS',
    '  synapses, base 0) is kept as that sum, `I ← λ·I + Σ_events κ·W·s`, instead of per synapse and',
    '  re-summed every step: the same quantity in exact arithmetic, different float32 rounding (within',
    '  the goldens’ 1e-5; ab_brain’s 400 golden steps keep every spike). Its per-synapse values are then',
    '  not available (`eventDriven: false` keeps them).',
    '',
    '## The CartPole tutorial (`apps/examples/src/cartpole`)',
    '',
    'The training loop is the notebook’s (`tutorials/cartpole.ipynb` at `f4d7304`), down to the float16',
    'rounding of its inputs and of the decaying punishment (`m ← f16(f16(e^{−2})·m)` per brain step) and',
    'Gymnasium’s operation order in the environment. What differs, on purpose:',
    '',
    '- `--network file` (the default) draws ab_brain’s kernels, delays and masks from the file’s seeds',
    '  with the Philox streams above, not JAX’s, and the starting states from spark-snn’s RNG: a',
    '  different network and different episodes than the notebook’s. `--network spark` trains Spark’s own',
    '  network (the frozen float32 ab_brain of the Spark golden) on Gymnasium’s seed-42 starts, the run',
    '  upstream Spark makes in float32; its first three episodes take Spark’s actions with action values',
    '  within 5.2e-7 (test), after which rounding-level spike flips let the chaotic closed loop diverge.',
    '- The notebook computes ab_brain in float16 (every module’s `dtype`). `--network file` keeps the',
    '  file’s float16 storage with float32 arithmetic (see float16 above); `--network spark` is float32',
    '  throughout, as Spark’s float32 run. The notebook does not re-seed the brain (`with_new_seeds(42)` is',
    '  commented out), so its network is the one `--network spark` trains, drawn by JAX in float16.',
    '',
  );
  return out.join('\n');
}
