// The generated documentation is up to date (regenerate with UPDATE_DOCS=1), and every rendered
// definition parses back to the same text.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../../src/lang/parser.ts';
import { CORRECTED, SPARK_COMPAT } from '../../../src/library/compat.ts';
import { moduleEquationsMarkdown, sparkCompatibilityMarkdown } from '../../../src/library/docs.ts';
import { LIBRARY } from '../../../src/library/registry.ts';
import { renderDefinition } from '../../../src/library/render.ts';

const DOCS = new URL('../../../../../docs/', import.meta.url);

function checkDoc(file: string, content: string): void {
  const url = new URL(file, DOCS);
  if (process.env.UPDATE_DOCS === '1' || !existsSync(url)) writeFileSync(url, content);
  expect(readFileSync(url, 'utf8')).toBe(content);
}

describe('generated documentation', () => {
  it('docs/module-equations.md', () => checkDoc('module-equations.md', moduleEquationsMarkdown()));
  it('docs/spark-compatibility.md', () => checkDoc('spark-compatibility.md', sparkCompatibilityMarkdown()));
  it('every definition renders to text that parses back to the same definition', () => {
    let n = 0;
    for (const e of Object.values(LIBRARY)) {
      for (const compat of [CORRECTED, SPARK_COMPAT]) {
        for (const async of [false, true]) {
          for (const d of e.definitions(compat, async)) {
            const text = renderDefinition(d);
            expect(renderDefinition(parseDefinition(text)), d.name).toBe(text);
            n++;
          }
        }
      }
    }
    expect(n).toBeGreaterThan(60);
  });
  it('the library holds every Spark module of the issue and the benchmark modules', () => {
    expect(Object.keys(LIBRARY).sort()).toEqual(
      [
        'leaky_soma',
        'refractory_leaky_soma',
        'strict_refractory_leaky_soma',
        'adaptive_leaky_soma',
        'exponential_soma',
        'refractory_exponential_soma',
        'adaptive_exponential_soma',
        'simplified_adaptive_exponential_soma',
        'izhikevich_soma',
        'cuba_lif',
        'coba_lif',
        'brunel_lif',
        'linear_synapses',
        'traced_synapses',
        'rd_traced_synapses',
        'rfs_traced_synapses',
        'n_delays',
        'n2n_delays',
        'hebbian_rule',
        'oja_rule',
        'three_factor_hebbian_rule',
        'quadruplet_rule',
        'quadruplet_rule_tensor',
        'zenke_rule',
        'poisson_spiker',
        'poisson_drive',
        'linear_spiker',
        'topological_poisson_spiker',
        'topological_linear_spiker',
        'exponential_integrator',
        'concat',
        'concat_reshape',
        'sampler',
        'constant_initializer',
        'uniform_initializer',
        'sparse_uniform_initializer',
        'normalized_sparse_uniform_initializer',
      ].sort(),
    );
  });
});
