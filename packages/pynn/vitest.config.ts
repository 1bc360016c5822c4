import { sparkVitestConfig } from '../../vitest.shared.ts';

export default sparkVitestConfig();
