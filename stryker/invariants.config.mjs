import { strykerConfig } from './base.mjs';

const config = strykerConfig('invariants');
// Type-only and re-export modules: nothing to mutate.
config.mutate.push('!invariants/zsmalloc/types.ts');
// The catalogue entries' prose, names and kinds are not mutated (see catalogue-text-ignorer.mjs).
config.plugins = ['@stryker-mutator/*', './stryker/catalogue-text-ignorer.mjs'];
config.ignorers = ['catalogue-text'];
export default config;
