import { strykerConfig } from './base.mjs';

const config = strykerConfig('invariants');
// Type-only and re-export modules: nothing to mutate.
config.mutate.push('!invariants/zsmalloc/types.ts');
export default config;
