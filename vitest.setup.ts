/**
 * Setup shared by every Vitest project. Under CI (`CI=true`) fast-check property tests use one
 * fixed seed, so a run of `.ci/run` is reproducible; locally every run explores new cases (print
 * the seed fast-check reports to replay a failure).
 */
import fc from 'fast-check';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    sparkCi: boolean;
  }
}

if (inject('sparkCi')) fc.configureGlobal({ seed: 20261121 });
