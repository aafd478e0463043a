import { strykerConfig } from './base.mjs';

const config = strykerConfig('explorer');
// Type-only modules: nothing to mutate.
config.mutate.push('!explorer/system.ts', '!explorer/result.ts', '!explorer/visited-set.ts', '!explorer/index.ts');
export default config;
