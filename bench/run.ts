import { availableParallelism, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { check, exactSetFactory } from '../explorer/index.js';
import { isDesign } from '../model/zsmalloc/designs.js';
import { loadRegistry } from '../cli/registry.js';
import { executeRun, planRuns, runOptions, type FinishedRun } from '../cli/runs.js';
import type { ScenarioSource } from '../cli/source.js';
import { coupledCounters } from './coupled-counters.js';
import type { CountersSearch } from './counters-search.js';
import type { SuiteRun } from './suite-run.js';
import type { ScenarioSearch } from './scenario-search.js';
import { densityBench } from './density.js';
import { naiveExplore } from './naive-explorer.js';
import { suiteReductions } from './reductions.js';
import { layoutScaling } from './layout-scaling.js';

/**
 * `npm run bench`: engine throughput and memory on a model with millions of states, and the
 * ratio against a naive Map<string> explorer on a smaller instance measured in the same run.
 * Figures are printed, never asserted: timing depends on the machine.
 */
const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits });

/** The counters space of about 8,000,000 states (8,022,969; depth 320) that the engine was first
 *  compared with Rumur and SPIN on. A smaller space measures the 2-worker speed-up short: the
 *  worker thread's start and its second compilation of the hot path are fixed costs (measured
 *  on the shared 2-core machine minutes apart: 1.61x here, 1.01x and 1.43x on the
 *  5.5-million-state k=4 n=64 space). */
const BIG: [number, number, number] = [4, 80, 24];
/** Searches of each kind, alternating single-threaded and 2 workers; the best of each counts
 *  (on a shared machine the noise only ever adds time). */
const PAIRS = 3;

function cpuMsSince(before: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(before);
  return (c.user + c.system) / 1000;
}

/** One search of the counters space in a fresh node process (see counters-search.ts). */
function countersSearch(workers: number): CountersSearch {
  const script = fileURLToPath(new URL('./counters-search.js', import.meta.url));
  const out = execFileSync(process.execPath, [script, String(workers), ...BIG.map(String)], { encoding: 'utf8' });
  return JSON.parse(out) as CountersSearch;
}

function best(runs: readonly CountersSearch[]): { wallMs: number; cpuMs: number; run: CountersSearch } {
  return {
    wallMs: Math.min(...runs.map((r) => r.wallMs)),
    cpuMs: Math.min(...runs.map((r) => r.cpuMs)),
    // The fastest run, whose timing account the bench prints.
    run: runs.reduce((a, r) => (r.wallMs < a.wallMs ? r : a)),
  };
}

/**
 * The engine on a space of millions of states, single-threaded and with 2 workers (the
 * caller's thread and one worker thread, level-synchronous BFS over a shared fingerprint
 * table), each search in a fresh process, alternating. The wall-clock ratio is the speed-up; on
 * a machine whose cores other processes also use, it measures the share of the cores the
 * search got as much as the engine, so the CPU-time ratio is printed too: single-threaded CPU /
 * parallel CPU is the parallel efficiency, and 2 x efficiency the speed-up that two otherwise
 * idle cores would give if neither thread ever waited for the other (a ceiling); printTiming
 * accounts for the waiting.
 */
function engineRuns(): void {
  const singles: CountersSearch[] = [];
  const pairs: CountersSearch[] = [];
  const loadBefore = loadavg()[0];
  for (let i = 0; i < PAIRS; i++) {
    singles.push(countersSearch(1));
    pairs.push(countersSearch(2));
  }
  const single = best(singles), par = best(pairs);
  const s = single.run.result.stats;
  console.log(`engine, coupled counters k=${BIG[0]} n=${BIG[1]} lead=${BIG[2]} (bfs, fingerprint set), best of ${PAIRS} fresh-process runs each, alternating:`);
  console.log(`  verdict ${single.run.result.verdict}, ${fmt(s.distinctStates)} distinct states, ${fmt(s.transitions)} transitions, depth ${s.maxDepth}`);
  console.log(`  ${fmt(single.wallMs)} ms, ${fmt((s.distinctStates * 1000) / single.wallMs)} distinct states/s single-threaded`);
  // On a shared machine wall-clock rates swing with the load; CPU time does much less.
  console.log(`  ${fmt(single.cpuMs)} ms of CPU, ${fmt((s.distinctStates * 1000) / single.cpuMs)} distinct states per CPU-second; ${fmt(single.run.cpuMs / single.run.wallMs, 2)} cores in use on average (CPU / wall of the fastest run)`);
  console.log(`  visited structure ${fmt(s.visitedBytes / 2 ** 20, 1)} MiB = ${fmt(s.visitedBytes / s.distinctStates, 2)} bytes per stored state`);
  console.log(`  fingerprint collision probability (birthday bound) ${s.collisionProbability?.toExponential(2)}`);

  const p = par.run.result.stats;
  const same = pairs.every((r) => r.result.stats.distinctStates === s.distinctStates && r.result.stats.transitions === s.transitions && r.result.stats.maxDepth === s.maxDepth);
  const speedup = single.wallMs / par.wallMs;
  const efficiency = single.cpuMs / par.cpuMs;
  console.log(`engine, same space with 2 workers (this thread + 1 worker thread; level-synchronous bfs, shared fingerprint table):`);
  console.log(`  verdict ${par.run.result.verdict}, ${fmt(p.distinctStates)} distinct states, ${fmt(p.transitions)} transitions, depth ${p.maxDepth}` +
    (same ? ' (= single-threaded)' : ' MISMATCH with single-threaded'));
  console.log(`  ${fmt(par.wallMs)} ms wall (worker start included), ${fmt((p.distinctStates * 1000) / par.wallMs)} distinct states/s; ${fmt(par.run.cpuMs / par.run.wallMs, 2)} cores in use on average (CPU / wall of the fastest run: 2 only where both threads always had a core)`);
  console.log(`  speed-up over 1 worker (wall clock, this run): ${fmt(speedup, 2)}x`);
  console.log(`  ${fmt(par.cpuMs)} ms of CPU over all threads: CPU ratio ${fmt(1 / efficiency, 3)} (parallel CPU / single CPU, best of each), parallel efficiency ${fmt(efficiency, 2)}: ${fmt(2 * efficiency, 2)}x on two idle cores if neither thread were ever idle (a ceiling, not a measurement)`);
  // Threads that seldom run at the same moment (other jobs on the cores) do not compete for the
  // memory system; on idle cores they do, and the CPU ratio is higher there.
  console.log(`  (the CPU ratio holds for this run's share of the cores: where both threads run at once they also compete for caches and memory, which raises it)`);
  printTiming(par.run, par.cpuMs / single.cpuMs);
  printThreadCpu(single.run, par.run);
  console.log(`  load average while measuring: ${loadBefore.toFixed(1)} before, ${loadavg().map((x) => x.toFixed(1)).join(' ')} after, on ${availableParallelism()} cores`);
  if (!same) process.exitCode = 1;
}

/**
 * Where the fastest 2-worker run's wall clock went: each thread's time expanding, and the rest,
 * idle at the level barriers or (the driver) serial work between levels. Idle fractions are of
 * the whole search's wall clock (the worker thread's includes its start, while the driver
 * searched alone). With CPU ratio c (2-worker CPU / 1-worker CPU) and idle fraction i (both
 * threads' idle time / twice the wall clock), two idle cores would give about 2(1 - i)/c: the
 * 2-worker CPU time spread over two threads each busy a (1 - i) share of the wall clock. On a
 * machine whose cores other jobs use, a thread's time includes waiting for a core: inside a
 * round it counts as expanding, outside as idle, where a woken thread waits longest (the
 * hand-off latencies); the second estimate takes every hand-off at this run's 10th-percentile
 * latency instead (a thread that found a core at once), which is an assumption, said so.
 */
function printTiming(run: CountersSearch, cpuRatio: number): void {
  const t = run.timing;
  if (t === undefined) return;
  const pct = (ms: number): string => `${fmt((100 * ms) / run.wallMs, 1)}%`;
  const d = t.driver;
  const idleMs = [d.waitMs + d.serialMs, ...t.threadBusyMs.map((b) => run.wallMs - b)];
  const { wakeMs, replyMs } = t.handoffs;
  const sum = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0);
  const quantile = (xs: readonly number[], q: number): number => {
    if (xs.length === 0) return 0;
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  };
  const us = (ms: number): string => `${fmt(ms * 1000)} us`;
  console.log(`  where the fastest run's ${fmt(run.wallMs)} ms went: ${fmt(t.soloMs)} ms in this thread alone while the worker started, then ${t.levels} levels with it in ${fmt(t.threadedMs)} ms`);
  console.log(`  this thread: expanding (or rehashing) ${pct(d.busyMs + t.soloMs)} (${pct(t.soloMs)} alone), parent links ${pct(d.linksMs)}, idle at barriers ${pct(d.waitMs)}` +
    ` (${pct(sum(replyMs))} of the wall clock of that waiting for replies already sent), serial between levels ${pct(d.serialMs)} (of which growing the table ${pct(t.growMs)})`);
  t.threadBusyMs.forEach((b, i) => console.log(`  worker thread ${i + 1}: expanding (or rehashing) ${pct(b)}, idle ${pct(idleMs[i + 1])}: starting ${pct(t.soloMs)},` +
    ` woken for its ${wakeMs.length} rounds ${pct(sum(wakeMs))}, the rest at barriers and during serial steps ${pct(idleMs[i + 1] - t.soloMs - sum(wakeMs))}`));
  console.log(`  hand-off latency per round: request to round start median ${us(quantile(wakeMs, 0.5))}, 10th percentile ${us(quantile(wakeMs, 0.1))}, 90th ${us(quantile(wakeMs, 0.9))};` +
    ` both rounds done to reply read median ${us(quantile(replyMs, 0.5))}, 10th percentile ${us(quantile(replyMs, 0.1))}, 90th ${us(quantile(replyMs, 0.9))}`);
  const threads = idleMs.length;
  const totalIdle = sum(idleMs);
  const i = totalIdle / threads / run.wallMs;
  console.log(`  estimate for two idle cores: 2 x (1 - idle ${fmt(i, 3)}) / CPU ratio ${fmt(cpuRatio, 3)} = ${fmt((2 * (1 - i)) / cpuRatio, 2)}x` +
    ` (idle = both threads' idle / 2 x wall clock, as measured in this run; an estimate, not a measurement)`);
  // Hand-offs at the 10th-percentile latency: the idle beyond it is taken out, and the wall
  // clock with it (busy time stays as measured).
  const excess = sum(wakeMs.map((w) => w - quantile(wakeMs, 0.1))) + sum(replyMs.map((r) => r - quantile(replyMs, 0.1)));
  const i2 = (totalIdle - excess) / (threads * run.wallMs - excess);
  console.log(`  estimate with every hand-off at this run's 10th-percentile latency: idle ${fmt(i2, 3)}, 2 x (1 - ${fmt(i2, 3)}) / ${fmt(cpuRatio, 3)} = ${fmt((2 * (1 - i2)) / cpuRatio, 2)}x` +
    ` (${fmt(excess)} ms of latency above it taken out; still an estimate)`);
}

/**
 * The fastest runs' CPU time by thread (Linux: /proc, in 10 ms steps): whether the 2-worker
 * search's extra CPU time is in the two threads that expand states (per-state work: the shared
 * table, caches shared between two cores) or in the process's other threads (compiling the
 * worker's copy of the hot path, collecting garbage).
 */
function printThreadCpu(single: CountersSearch, par: CountersSearch): void {
  const driver = par.timing?.driverCpuMs ?? null;
  const threads = par.timing?.threadCpuMs ?? [];
  const main = single.mainCpuMs ?? null;
  if (main === null || driver === null || threads.some((t) => t === null)) return;
  const workers = threads.reduce<number>((a, t) => a + (t ?? 0), 0);
  console.log(`  CPU by thread (fastest runs; /proc, 10 ms steps): single-threaded: the searching thread ${fmt(main)} ms, the process's other threads ${fmt(single.cpuMs - main)} ms;` +
    ` 2 workers: this thread ${fmt(driver)} ms + worker thread ${fmt(workers)} ms (its start included) = ${fmt(driver + workers)} ms, ${fmt((driver + workers) / main, 3)}x the single-threaded searching thread;` +
    ` the process's other threads ${fmt(par.cpuMs - driver - workers)} ms`);
}

/** One run of the default suite as `check --workers 1` runs it: its result and the time it took. */
interface TimedRun {
  readonly run: FinishedRun;
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * Every run of the default suite (what `memdesc-mc check` runs: the registry, the saved
 * regressions and the other allocator systems), one after another in this thread as
 * `check --workers 1` runs them: the scenario's bounds, safety search and progress pass.
 */
async function defaultSuite(): Promise<{ source: ScenarioSource; runs: TimedRun[] }> {
  const source = await loadRegistry();
  const runs: TimedRun[] = [];
  for (const planned of planRuns(source, { scenarios: [] })) {
    const start = performance.now();
    const before = process.cpuUsage();
    const run = executeRun(source, planned, {});
    runs.push({ run, cpuMs: cpuMsSince(before), wallMs: performance.now() - start });
  }
  return { source, runs };
}

const perSecond = (states: number, ms: number): string => fmt((states * 1000) / ms);

/** One run's safety search in a fresh node process, best of `repeats` (see scenario-search.ts). */
function scenarioSearch(id: string, design: string, mutations: readonly string[], repeats: number): ScenarioSearch {
  const script = fileURLToPath(new URL('./scenario-search.js', import.meta.url));
  return JSON.parse(execFileSync(process.execPath, [script, id, design, mutations.join('+'), String(repeats)], { encoding: 'utf8' })) as ScenarioSearch;
}

/** The default suite as `check --workers N` runs it, in a fresh node process (see suite-run.ts). */
function suiteRun(workers: number): SuiteRun {
  const script = fileURLToPath(new URL('./suite-run.js', import.meta.url));
  return JSON.parse(execFileSync(process.execPath, [script, String(workers)], { encoding: 'utf8' })) as SuiteRun;
}

/**
 * The whole default suite with 1 and with 2 workers (`check` hands the runs to a pool of worker
 * threads, one run each at a time), fresh processes, alternating, best of each. Why 2 workers
 * gain less than 2x: with 1 worker the searching thread is not the process's only busy thread;
 * V8's compiler threads optimise each run's freshly built code (its generated packers, its
 * steps) beside it, on the second core (measured on the shared 2-core machine: 11.0 s of
 * searching thread and 5.8 s of other threads). With 2 workers both cores carry the searches
 * and those compilations, plus the second isolate's own compilation of the engine, so two idle
 * cores give about (1-worker searching-thread CPU) / (2-worker process CPU / 2), printed as the
 * ceiling.
 */
function suiteWorkers(): void {
  const loadBefore = loadavg()[0];
  const singles: SuiteRun[] = [];
  const pairs: SuiteRun[] = [];
  for (let i = 0; i < PAIRS; i++) {
    singles.push(suiteRun(1));
    pairs.push(suiteRun(2));
  }
  const min = (xs: readonly number[]): number => Math.min(...xs);
  const one = { wallMs: min(singles.map((r) => r.wallMs)), cpuMs: min(singles.map((r) => r.cpuMs)) };
  const two = { wallMs: min(pairs.map((r) => r.wallMs)), cpuMs: min(pairs.map((r) => r.cpuMs)) };
  const mains = singles.map((r) => r.mainCpuMs).filter((m): m is number => m !== null);
  const main = mains.length > 0 ? min(mains) : null;
  const same = [...singles, ...pairs].every((r) => r.states === singles[0].states && r.runs === singles[0].runs && r.unmet === 0);
  console.log(`default suite (${singles[0].runs} runs, ${fmt(singles[0].states)} states), best of ${PAIRS} fresh processes each, alternating: 1 worker ${fmt(one.wallMs)} ms wall, ${fmt(one.cpuMs)} ms CPU` +
    (main !== null ? ` (searching thread ${fmt(main)} ms, the process's other threads ${fmt(one.cpuMs - main)} ms)` : '') +
    `; 2 workers ${fmt(two.wallMs)} ms wall, ${fmt(two.cpuMs)} ms CPU; speed-up ${fmt(one.wallMs / two.wallMs, 2)}x` +
    (main !== null ? ` (ceiling on two idle cores ${fmt(main / (two.cpuMs / 2), 2)}x)` : '') +
    `; load ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after` + (same ? '' : '; MISMATCH or missed expectation between runs'));
  if (!same) process.exitCode = 1;
}


/**
 * The zsmalloc model's states/s on the largest default scenario: the whole default suite is
 * timed run by run (so a scenario added later is measured without naming it here), and the
 * zsmalloc run with the most distinct states is reported, then its safety search alone (the
 * rate the search reaches; best of two, after the suite warmed the code up), with the
 * incremental checks (invariants by `reads`, action properties by `changes` and `labels`) on and off.
 */
async function zsmallocRun(): Promise<void> {
  const { source, runs } = await defaultSuite();
  const states = (r: TimedRun) => r.run.result.stats.distinctStates;
  const total = runs.reduce((a, r) => ({ states: a.states + states(r), wallMs: a.wallMs + r.wallMs, cpuMs: a.cpuMs + r.cpuMs }), { states: 0, wallMs: 0, cpuMs: 0 });
  const zs = runs.filter((r) => isDesign(r.run.run.design));
  const largest = zs.reduce((a, r) => (states(r) > states(a) ? r : a), zs[0]);
  const unmet = runs.filter((r) => !r.run.met).length;
  // The safety search and the progress pass as each run's stats time them; the rest is
  // building each run's system and its bounds. The first two figures of the line are what the
  // README's "larger scopes" paragraph compares with the suite before the liveness work.
  const safetyMs = runs.reduce((a, r) => a + r.run.result.stats.elapsedMs, 0);
  const progressMs = runs.reduce((a, r) => a + (r.run.result.stats.progress?.elapsedMs ?? 0), 0);
  console.log(`default suite, ${runs.length} runs one after another as \`check --workers 1\` runs them (safety search + progress pass):`);
  console.log(`  ${fmt(total.states)} distinct states in ${fmt(total.wallMs)} ms (${fmt(total.cpuMs)} ms of CPU; safety search ${fmt(safetyMs)} ms, progress pass ${fmt(progressMs)} ms):` +
    ` ${perSecond(total.states, total.wallMs)} distinct states/s, ${perSecond(total.states, total.cpuMs)} per CPU-second` +
    (unmet > 0 ? `; ${unmet} run(s) MISSED their expectation` : '; every expectation met'));
  if (unmet > 0) process.exitCode = 1;
  suiteWorkers();

  const { run } = largest;
  const s = run.result.stats;
  const title = `${run.run.scenario.id} (${run.run.design}${run.run.mutations.length > 0 ? ` + ${run.run.mutations.join('+')}` : ''})`;
  console.log(`zsmalloc model, ${title}, the largest default scenario (most distinct states of the ${zs.length} zsmalloc runs), 1 worker:`);
  console.log(`  verdict ${run.result.verdict}, ${fmt(s.distinctStates)} distinct states, ${fmt(s.transitions)} transitions, ${run.system.fields.length} fields`);
  console.log(`  as check runs it: ${fmt(largest.wallMs)} ms, ${perSecond(s.distinctStates, largest.wallMs)} distinct states/s; ${fmt(largest.cpuMs)} ms of CPU, ${perSecond(s.distinctStates, largest.cpuMs)} per CPU-second` +
    ` (progress pass over ${fmt(s.progress?.states ?? 0)} states, ${fmt(s.progress?.edges ?? 0)} edges: ${fmt(s.progress?.elapsedMs ?? 0)} ms)`);
  // The safety search alone, as check() runs it for this scenario. Warmed up by the suite,
  // then on, off, off, on: the best of two each, so neither gains from going first.
  const options = runOptions(source, run.run, {});
  const safety = (incrementalChecks: boolean): { rate: number; cpuRate: number } => {
    const b = process.cpuUsage();
    const x = check(run.system, { ...options, checkProgress: false, incrementalChecks });
    return { rate: x.stats.statesPerSecond, cpuRate: (x.stats.distinctStates * 1000) / cpuMsSince(b) };
  };
  const best = (a: { rate: number; cpuRate: number }, b: { rate: number; cpuRate: number }) =>
    ({ rate: Math.max(a.rate, b.rate), cpuRate: Math.max(a.cpuRate, b.cpuRate) });
  const on1 = safety(true);
  const off1 = safety(false);
  const off = best(off1, safety(false));
  const on = best(on1, safety(true));
  const fresh = scenarioSearch(run.run.scenario.id, run.run.design, run.run.mutations, 6);
  console.log(`  safety search alone, in a fresh process as \`check ${run.run.scenario.id} --design ${run.run.design}\` runs it (best of 6): ${fmt(fresh.statesPerSecond)} distinct states/s (target 500,000 on an idle core), ${fmt(fresh.perCpuSecond)} per CPU-second`);
  console.log(`  safety search alone, in this process after the whole suite (the engine's code compiled for 238 systems): ${fmt(on.rate)} distinct states/s, ${fmt(on.cpuRate)} per CPU-second`);
  const sys = run.system;
  const reads = sys.invariants.filter((i) => i.reads !== undefined).length;
  const changes = (sys.actionProperties ?? []).filter((p) => p.changes !== undefined).length;
  const labels = (sys.actionProperties ?? []).filter((p) => p.labels !== undefined).length;
  console.log(`  incremental checks off: ${fmt(off.rate)} states/s, ${fmt(off.cpuRate)} per CPU-second; on/off ${fmt(on.rate / off.rate, 2)}x wall, ${fmt(on.cpuRate / off.cpuRate, 2)}x CPU` +
    ` (${reads} of ${sys.invariants.length} invariants declare reads, ${changes} of ${sys.actionProperties?.length ?? 0} action properties declare changes, ${labels} labels)`);
  // Where the time goes: the same search without the action properties, then without any
  // property (the engine and the model's steps alone: the ceiling of faster checks).
  const cpuRate = (system: typeof sys): number => {
    const b = process.cpuUsage();
    const x = check(system, { ...options, checkProgress: false });
    return (x.stats.distinctStates * 1000) / cpuMsSince(b);
  };
  const bare = { ...sys, invariants: [], actionProperties: [] };
  const noActions = { ...sys, actionProperties: [] };
  const noActionsRate = Math.max(cpuRate(noActions), cpuRate(noActions));
  const bareRate = Math.max(cpuRate(bare), cpuRate(bare));
  const us = (rate: number) => fmt(1e6 / rate, 2);
  // A difference of two noisy rates: below zero it only says the part costs less than the noise.
  const usDiff = (a: number, b: number) => (a < b ? 'under the noise (~0)' : `${fmt(a - b, 2)} us`);
  console.log(`  CPU per distinct state: ${us(on.cpuRate)} us in all; ${us(bareRate)} us for the engine and the steps alone (${fmt(bareRate)} per CPU-second without any property),` +
    ` ${usDiff(1e6 / noActionsRate, 1e6 / bareRate)} for the ${sys.invariants.length} state invariants, ${usDiff(1e6 / on.cpuRate, 1e6 / noActionsRate)} for the ${sys.actionProperties?.length ?? 0} action properties`);
  console.log(`  load average while measuring: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
}

/**
 * The counters space with 1, 2, 4, ... workers up to the machine's cores (fresh processes, the
 * counts in turn, best of 2 each): wall clock, speed-up over 1 worker, and CPU over all
 * threads against the single-threaded search's. Only `node dist/bench/run.js scaling` runs it:
 * on a 2-core machine the engine part already measures all there is.
 */
function scaling(): void {
  const counts: number[] = [];
  // The shared table has 64 lanes (MAX_LANES): at most 63 workers, so powers of two to 32.
  for (let w = 1; w <= Math.min(availableParallelism(), 32); w *= 2) counts.push(w);
  const runs = new Map<number, CountersSearch[]>(counts.map((w) => [w, []]));
  for (let r = 0; r < 2; r++) for (const w of counts) runs.get(w)!.push(countersSearch(w));
  const one = best(runs.get(1)!);
  console.log(`engine scaling, coupled counters k=${BIG[0]} n=${BIG[1]} lead=${BIG[2]} (${fmt(one.run.result.stats.distinctStates)} states), best of 2 fresh-process runs per count, ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)} after:`);
  for (const w of counts) {
    const b = best(runs.get(w)!);
    const same = b.run.result.stats.distinctStates === one.run.result.stats.distinctStates ? '' : ' DIFFERENT STATE COUNT';
    if (same !== '') process.exitCode = 1;
    console.log(`  ${w} worker(s): ${fmt(b.wallMs)} ms wall, speed-up ${fmt(one.wallMs / b.wallMs, 2)}x, ${fmt(b.cpuMs)} ms of CPU (${fmt(b.cpuMs / one.cpuMs, 2)}x the single-threaded search's)${same}`);
  }
}

function smallComparison(): void {
  const sys = coupledCounters(4, 40, 12);
  // Each contender runs twice and the second run counts, so none is measured cold.
  naiveExplore(sys);
  const naive = naiveExplore(sys);
  check(sys, { visitedSet: exactSetFactory, checkProgress: false });
  const exact = check(sys, { visitedSet: exactSetFactory, checkProgress: false });
  const fp = check(sys, { checkProgress: false });
  const naiveRate = (naive.distinctStates * 1000) / naive.elapsedMs;
  console.log(`comparison on coupled counters k=4 n=40 lead=12 (${fmt(fp.stats.distinctStates)} states):`);
  console.log(`  naive Map<string> explorer: ${fmt(naiveRate)} states/s, ~${fmt(naive.heapBytes / naive.distinctStates, 1)} heap bytes per state`);
  console.log(`  engine, exact set:          ${fmt(exact.stats.statesPerSecond)} states/s, ~${fmt(exact.stats.visitedBytes / exact.stats.distinctStates, 1)} bytes per state`);
  console.log(`  engine, fingerprint set:    ${fmt(fp.stats.statesPerSecond)} states/s, ${fmt(fp.stats.visitedBytes / fp.stats.distinctStates, 1)} bytes per state`);
  console.log(`  ratio engine/naive: ${fmt(fp.stats.statesPerSecond / naiveRate, 1)}x faster, ${fmt(naive.heapBytes / fp.stats.visitedBytes, 1)}x less memory`);
  if (naive.distinctStates !== fp.stats.distinctStates) {
    console.log(`  MISMATCH: naive ${naive.distinctStates} states, engine ${fp.stats.distinctStates}`);
    process.exitCode = 1;
  }
}

// `node dist/bench/run.js zsmalloc`, `... engine`, `... suite`, `... reductions` or `... scaling`:
// that part alone (profiling the model; the 2-worker speed-up on a machine whose cores are idle
// for a minute; the default suite with 1 and 2 workers; the default suite with and without
// reductions; 1, 2, 4, ... workers up to the machine's cores, which only this runs).
if (process.argv[2] === 'zsmalloc') {
  await zsmallocRun();
  process.exit();
}
if (process.argv[2] === 'engine') {
  engineRuns();
  process.exit();
}
if (process.argv[2] === 'suite') {
  suiteWorkers();
  process.exit();
}
if (process.argv[2] === 'scaling') {
  scaling();
  process.exit();
}
if (process.argv[2] === 'reductions') {
  suiteReductions();
  process.exit();
}
engineRuns();
await zsmallocRun();
smallComparison();
densityBench();
suiteReductions();
layoutScaling();
