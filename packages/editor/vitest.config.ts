import { sparkVitestConfig } from '../../vitest.shared.ts';

export default sparkVitestConfig({
  shared: ['src/**/*.test.ts'],
  node: ['test/node/**/*.test.ts'],
  browser: ['src/**/*.browser.test.tsx', 'test/browser/**/*.test.tsx'],
});
