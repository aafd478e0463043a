/**
 * Running a command line's runs on several cores (`check --workers N`), one search split into
 * shards (`--shard i/N`), and swarms of randomized searches (`--swarm K`). The search itself is
 * the engine's (explorer/parallel); this module only decides which runs go where and turns
 * the results into FinishedRuns like `executeRun`'s.
 */
import { check, checkParallel, type CheckOptions, type CheckResult, type Stats } from '../explorer/index.js';
import { parallelBfs, runJobs, threadsAvailable, type ShardSpec } from '../explorer/parallel/index.js';
import { expectationMet, runOptions, type FinishedRun, type PlannedRun } from './runs.js';
import type { ScenarioSource } from './source.js';

/**
 * Runs `runs` with `workers` threads: several runs go to a pool of threads, one scenario each
 * at a time; a single run becomes one parallel breadth-first search. Without `systemRef` (a
 * source whose systems cannot be rebuilt in a thread) or with one worker, runs go one after
 * another in this thread. `onFinished` sees the runs in order, each as soon as it and every
 * run before it are done.
 *
 * The pool takes the runs in plan order, without reordering by expected size: on the default
 * suite (229 runs) its two threads were measured to finish within 0.1 s of each other, the
 * largest runs sitting mid-plan and the last hundred runs taking milliseconds each. What keeps
 * 2 workers near 1.2x on the suite instead of 2x is the CPU, not the hand-out: with 1 worker,
 * V8's compiler threads (optimising each run's freshly built code) already use about a third
 * of the CPU on the other core, and a second searching thread compiles the engine again
 * (`npm run bench`, its default-suite line, prints both figures).
 */
export async function executeRuns(
  source: ScenarioSource,
  runs: readonly PlannedRun[],
  cli: CheckOptions,
  workers: number,
  onFinished: (f: FinishedRun) => void,
  progressFor?: (run: PlannedRun) => { update: NonNullable<CheckOptions['onProgress']>; clear(): void } | undefined,
  /** Wraps each search run in this thread (the CLI makes it interruptible by Ctrl-C). */
  inThisThread: <T>(search: () => T) => T = (search) => search(),
): Promise<FinishedRun[]> {
  // From TypeScript sources (tests) there is no compiled worker script: search in this thread.
  const systemRef = threadsAvailable() ? source.systemRef?.bind(source) : undefined;
  const build = (run: PlannedRun) => source.buildSystem({ scenario: run.scenario, design: run.design, mutations: run.mutations });
  const finish = (run: PlannedRun, options: CheckOptions, result: CheckResult): FinishedRun =>
    ({ run, system: build(run), options, result, met: expectationMet(run.expected, result) });

  if (workers > 1 && systemRef !== undefined && runs.length > 1) {
    const finished: FinishedRun[] = new Array(runs.length);
    let shown = 0;
    const options = runs.map((run) => runOptions(source, run, cli));
    await runJobs(
      runs.map((run, i) => ({ ref: systemRef({ scenario: run.scenario, design: run.design, mutations: run.mutations }), options: options[i] })),
      workers,
      (i, result) => {
        finished[i] = finish(runs[i], options[i], result);
        while (shown < runs.length && finished[shown] !== undefined) onFinished(finished[shown++]);
      },
    );
    return finished;
  }

  const out: FinishedRun[] = [];
  for (const run of runs) {
    const progress = progressFor?.(run);
    const options = runOptions(source, run, progress ? { ...cli, onProgress: progress.update } : cli);
    const system = build(run);
    const result = workers > 1 && systemRef !== undefined
      ? await checkParallel(system, systemRef({ scenario: run.scenario, design: run.design, mutations: run.mutations }), { ...options, workers })
      : inThisThread(() => check(system, options));
    progress?.clear();
    const f: FinishedRun = { run, system, options, result, met: expectationMet(run.expected, result) };
    out.push(f);
    onFinished(f);
  }
  return out;
}

export interface ShardRun {
  readonly finished: FinishedRun;
  /** The depth whose states were split (null: the search ended before reaching it). */
  readonly depth: number | null;
  readonly fingerprints: Uint32Array;
}

/** One shard of one run: a breadth-first search that, from the split depth on, expands only
 *  the states whose fingerprint falls to this shard. */
export async function executeShard(source: ScenarioSource, run: PlannedRun, cli: CheckOptions, shard: ShardSpec, workers: number): Promise<ShardRun> {
  const system = source.buildSystem({ scenario: run.scenario, design: run.design, mutations: run.mutations });
  const options = runOptions(source, run, cli);
  const ref = workers > 1 ? source.systemRef?.({ scenario: run.scenario, design: run.design, mutations: run.mutations }) ?? null : null;
  const r = await parallelBfs(system, ref, { ...options, strategy: 'bfs', workers: ref === null ? 1 : workers, shard });
  return {
    finished: { run, system, options, result: r.result, met: expectationMet(run.expected, r.result) },
    depth: r.shardDepth,
    fingerprints: r.fingerprints(),
  };
}

/**
 * A swarm: `count` seeded random simulations (seeds `seed` … `seed + count - 1`) of one run,
 * on the worker threads when there are several. A violation any of them finds is real (the
 * shortest such trace is kept); otherwise the verdict is `incomplete`: random searches never
 * exhaust the space, however many.
 */
export async function executeSwarm(source: ScenarioSource, run: PlannedRun, cli: CheckOptions, count: number, seed: number, workers: number): Promise<FinishedRun> {
  const spec = { scenario: run.scenario, design: run.design, mutations: run.mutations };
  const system = source.buildSystem(spec);
  const base = runOptions(source, run, cli);
  const options = Array.from({ length: count }, (_, i): CheckOptions => ({ ...base, strategy: 'simulate', seed: seed + i }));
  const start = performance.now();
  const ref = source.systemRef?.(spec);
  const results = workers > 1 && ref !== undefined && count > 1
    ? await runJobs(options.map((o) => ({ ref, options: o })), workers)
    : options.map((o) => check(system, o));
  const { result, index } = swarmResult(results, seed, performance.now() - start);
  return { run, system, options: options[index], result, met: expectationMet(run.expected, result) };
}

/** The swarm's verdict and figures: the shortest violation if any (and which search found
 *  it), else `incomplete`. */
export function swarmResult(results: readonly CheckResult[], seed: number, elapsedMs: number): { result: CheckResult; index: number } {
  const violated = results
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.verdict === 'violated')
    .sort((a, b) => a.r.violation!.trace.steps.length - b.r.violation!.trace.steps.length)[0];
  const distinctStates = Math.max(...results.map((r) => r.stats.distinctStates));
  const stats: Stats = {
    distinctStates,
    transitions: results.reduce((a, r) => a + r.stats.transitions, 0),
    maxDepth: Math.max(...results.map((r) => r.stats.maxDepth)),
    elapsedMs,
    statesPerSecond: elapsedMs > 0 ? (distinctStates * 1000) / elapsedMs : 0,
    visitedBytes: Math.max(...results.map((r) => r.stats.visitedBytes)),
  };
  const coverage = results[0].coverage.map((_, i) => results.reduce((a, r) => a + (r.coverage[i] ?? 0), 0));
  if (violated !== undefined) {
    return { result: { verdict: 'violated', violation: violated.r.violation, stats, coverage }, index: violated.i };
  }
  return { index: 0, result: {
    verdict: 'incomplete',
    incompleteReason: `swarm: ${results.length} randomized searches (seeds ${seed}-${seed + results.length - 1}) found no violation; a swarm is not exhaustive (distinct states: the largest single search)`,
    stats,
    coverage,
  } };
}
