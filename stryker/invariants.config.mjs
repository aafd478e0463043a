import { strykerConfig } from './base.mjs';

const config = strykerConfig('invariants');
// Type-only and re-export modules: nothing to mutate.
config.mutate.push('!invariants/zsmalloc/types.ts');
// The catalogue entries' prose, names and kinds are not mutated (see catalogue-text-ignorer.mjs).
config.plugins = ['@stryker-mutator/*', './stryker/catalogue-text-ignorer.mjs'];
config.ignorers = ['catalogue-text'];
export default config;
// Survivors and timeouts as they come (reports/mutation/invariants.live.txt).
config.appendPlugins = ['./stryker/live-reporter.mjs'];
config.reporters = [...config.reporters, 'live'];
// A mutant that makes a check loop forever (a loop counter stepped the wrong way) costs its
// whole timeout, 1.5 x the covering tests' time + timeoutMS: the unit tests that cover an
// invariant take well under a second, so 2 s over that is ample.
config.timeoutMS = 2_000;
// Reruns test only the mutants whose code or covering tests changed since the last run
// (reports/mutation/invariants.incremental.json); `--force` retests everything.
config.incremental = true;
