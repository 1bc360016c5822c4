import { sparkVitestConfig } from '../../vitest.shared.ts';

// Node only: the fixture loader reads files; the comparison and the matrix runner are exercised by
// every package's browser tests that use them.
export default sparkVitestConfig({ shared: [], node: ['test/node/**/*.test.ts'], withBrowser: false });
