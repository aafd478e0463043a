import { match } from 'ts-pattern';
import type { TransitionSystem } from './system.js';
import type { CheckResult } from './result.js';
import { resolveOptions, type EngineOptions } from './options.js';
import { Search } from './search.js';
import { bfs } from './bfs.js';
import { dfs } from './dfs.js';
import { simulate } from './simulate.js';

/**
 * Checks a transition system: every state invariant in every reachable state, every action
 * property and StepContext failure on every transition, deadlocks, and terminal properties.
 * A model fault (a field out of range, a nondeterministic model) throws a ModelError.
 */
export function check(system: TransitionSystem, options?: EngineOptions): CheckResult {
  const opts = resolveOptions(options);
  const search = new Search(system, opts);
  return match(opts.strategy)
    .with('bfs', () => bfs(search))
    .with('dfs', () => dfs(search))
    .with('simulate', () => simulate(search))
    .exhaustive();
}
