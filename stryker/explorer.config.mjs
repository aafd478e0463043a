import { strykerConfig } from './base.mjs';

const config = strykerConfig('explorer');
config.mutate.push(
  // Type-only modules: nothing to mutate.
  '!explorer/system.ts', '!explorer/result.ts', '!explorer/visited-set.ts', '!explorer/index.ts', '!explorer/parallel/index.ts',
  // Code that runs only in a worker thread started from the compiled dist/explorer/parallel/worker.js
  // (threadsAvailable() is false under vitest, which runs the TypeScript sources, and Stryker does
  // not mutate dist/): the worker's message loop, the thread port and the job pool. The search
  // those threads run (LevelExpander, SharedFingerprintSet, parallelBfs) is mutated and tested
  // with its workers in the caller's thread; test/parallel/threads.test.ts checks the threads
  // against the single-threaded search in `npm test`.
  '!explorer/parallel/worker.ts', '!explorer/parallel/worker-port.ts', '!explorer/parallel/jobs.ts',
  // The level hand-off between the caller's thread and a worker thread: used only by
  // worker.ts and worker-port.ts, and tested (test/parallel/level-signal.test.ts) against the
  // compiled script in dist/, as threads.test.ts is.
  '!explorer/parallel/level-signal.ts',
  // checkParallel only chooses between those threads and check(): with no compiled worker
  // script every path is check(), so no test under vitest can tell its conditions apart.
  '!explorer/check-parallel.ts',
);
// A mutant that makes a search loop forever costs its whole timeout, and then a new test
// process: Stryker allows 1.5 x the covering tests' measured time, plus the initial run's
// overhead (loading all the test files, 3-4 s, where one mutant's run loads a few), plus
// timeoutMS. The engine tests take well under a second each, so 1 s more is ample.
config.timeoutMS = 1_000;
// Loop steps reversed (`i++` made `i--`, `j += 2` made `j -= 2`) are left out: in the last full
// run none of their 181 covered mutants survived (UpdateOperator 64 killed, 90 timed out; AssignmentOperator
// 15 killed, 12 timed out), and most ran a loop forever, each costing a whole timeout and a new
// test process: about a third of the run's timeouts for no information.
config.mutator = { excludedMutations: ['UpdateOperator', 'AssignmentOperator'] };
// Static mutants (module-level constants, evaluated once at import) would each rerun every
// engine test (perTest coverage cannot tell which tests use them): minutes apiece. They are
// left out of the run and reported as ignored; the constants they would change (chunk sizes,
// table sizes, file-format words) are covered by the behaviour tests that depend on them.
config.ignoreStatic = true;
// Reruns test only the mutants whose code or covering tests changed since the last run
// (reports/mutation/explorer.incremental.json); `--force` retests everything.
config.incremental = true;
// Survivors as they come (reports/mutation/explorer.live.txt), for a run that takes a while.
config.appendPlugins = ['./stryker/live-reporter.mjs'];
config.reporters = [...config.reporters, 'live'];
export default config;
