import { availableParallelism } from 'node:os';
import type { TransitionSystem } from '../system.js';
import type { CheckResult } from '../result.js';
import type { EngineOptions } from '../options.js';
import { resolveOptions } from '../options.js';
import { Search } from '../search.js';
import { NO_PARENT, type ParentLinks } from '../parent-links.js';
import { fingerprint, fingerprintOut } from '../fingerprint.js';
import { depthBoundReason, stateLimitReason, timeLimitReason } from '../incomplete.js';
import { MAX_LANES, SharedFingerprintSet, type SharedTableHandle } from './shared-fingerprint-set.js';
import {
  allClaimed, chunkGroups, FOUND, LEVEL_CONTROL_WORDS, LevelExpander, STOP, STOP_STATES,
  levelFinding, type RoundOutput, type Segment, type WorkerOptions,
} from './level-expander.js';
import { LocalPort, ThreadPort, type ExpanderPort } from './worker-port.js';
import type { SystemRef } from './system-ref.js';
import { absoluteNow, LevelClock, type ParallelTiming } from './level-timing.js';

/** Split one search over `count` independent runs: at depth `depth` (or, without it, the
 *  first depth whose level holds at least `SHARD_MIN_STATES` states per shard) each run keeps
 *  only the states whose fingerprint falls to `index`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
  readonly depth?: number;
}

export const SHARD_MIN_STATES = 64;
const DEFAULT_TABLE_SLOTS = 1 << 18;
const DEFAULT_SEQUENTIAL_STATES = 20_000;
/** As the single-threaded search: progress at most twice a second. */
const PROGRESS_INTERVAL_MS = 500;

export interface ParallelOptions extends EngineOptions {
  /** Workers (default: the number of cores): with `ref`, the caller's thread and `workers - 1`
   *  worker threads; without it, or with 1, the workers run in the caller's thread, taking
   *  turns chunk by chunk. */
  readonly workers?: number;
  readonly shard?: ShardSpec;
  /** Initial fingerprint-table slots (grown between rounds when 3/4 full). */
  readonly tableSlots?: number;
  /** With threads: search in the caller's thread until this many states are stored (default
   *  20,000), then start the threads. Most scenarios end sooner than threads start. */
  readonly sequentialStates?: number;
}

export interface ParallelRun {
  readonly result: CheckResult;
  /** Depth at which the shard split the search; null when the search ended before it. */
  readonly shardDepth: number | null;
  /** Every visited fingerprint, (hi, lo) pairs (what a shard writes for `merge`). */
  fingerprints(): Uint32Array;
  /** Where the wall-clock time went once the threads joined. */
  readonly timing: ParallelTiming;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Level-synchronous parallel breadth-first search. Level d's frontier is cut into chunks that
 * the workers claim, each from its own output of level d - 1 first, then from the others'
 * (one shared counter per group of chunks); each worker expands its chunks against the shared
 * fingerprint table (one atomic compare-and-swap per new state) and keeps the successors it was
 * first to add. When every worker is done with level d, the driver gives the new states ids
 * (in a fixed order of the outputs), and level d + 1 starts; their parent links are recorded
 * while the threads expand it. The caller's thread is one of the workers: it searches alone
 * until `sequentialStates` states are stored and while the threads start, then expands its
 * share of every level with them (one message to each thread and one reply per level).
 *
 * Shortest traces are kept by the same rule as `bfs`: the levels are the BFS levels, so the
 * distinct states, transitions and depth equal the single-threaded search's; a violation on
 * level d is reported only after the whole level was scanned, a deadlocked (or terminal-
 * property) state of level d (trace length d) before a bad successor (length d + 1), and among
 * findings of one kind the lowest id, which the single-threaded search would also meet first.
 * Only the choice of parent among several on the same level can differ, so a trace can differ
 * from the single-threaded one, but never in length.
 *
 * With a bound (maxStates, a time limit), workers stop between chunks: the verdict is
 * `incomplete`, or a violation that was found before the bound (still a real trace).
 * Partial-order reduction is not applied (its cycle proviso depends on the order states are
 * visited in): `check` keeps such runs single-threaded.
 */
export async function parallelBfs(system: TransitionSystem, ref: SystemRef | null, options: ParallelOptions = {}): Promise<ParallelRun> {
  // Stryker disable next-line BooleanLiteral: this thread's Search only adds the initial states, and the workers' never choose an ample set
  const opts = resolveOptions({ ...options, partialOrder: false });
  const workers = Math.max(1, options.workers ?? defaultWorkers());
  if (workers >= MAX_LANES) throw new RangeError(`at most ${MAX_LANES - 1} workers`);
  // Stryker disable next-line LogicalOperator: the first table size decides only when the table grows
  let handle = SharedFingerprintSet.allocate(options.tableSlots ?? DEFAULT_TABLE_SLOTS);
  const table = new SharedFingerprintSet(handle);
  const search = new Search(system, { ...opts, visitedSet: () => table });
  const levelControl = new SharedArrayBuffer(LEVEL_CONTROL_WORDS * 4);
  const control = new Int32Array(levelControl);
  // Stryker disable next-line ArithmeticOperator: `-` moves the start back by twice the process's uptime (performance.now()), seconds that no time-limit test can tell
  const started = performance.timeOrigin + performance.now();
  const workerOptions: WorkerOptions = {
    maxStates: opts.maxStates,
    maxDepth: opts.maxDepth,
    checkDeadlock: opts.checkDeadlock,
    symmetry: opts.symmetry,
    deadline: started + opts.timeLimitMs,
  };
  const shard = options.shard;
  let shardDepth: number | null = null;
  const { links } = search;
  // The new states of the last level have their ids (`linked` counts them) but their parent
  // links are recorded only while the threads expand the next level: this thread then does
  // it in time the others work, not between levels while they wait.
  // Stryker disable next-line ArrayDeclaration: an entry that is not an output has no count, so pushLinks adds nothing for it
  let unlinked: RoundOutput[] = [];
  const flushLinks = (): void => {
    for (const o of unlinked) pushLinks(links, o);
    // Stryker disable next-line ArrayDeclaration: as above
    unlinked = [];
  };
  const clock = new LevelClock();
  const run = (result: CheckResult): ParallelRun => {
    flushLinks();
    return { result, shardDepth, fingerprints: () => table.fingerprints(), timing: clock.finish() };
  };

  // Depth 0, in the caller's thread.
  const W = search.words;
  const inits = search.initialStates();
  const initWords = new Uint32Array(new SharedArrayBuffer(Math.max(1, inits.length) * W * 4));
  for (let i = 0; i < inits.length; i++) {
    if (!search.addIfNew(inits[i], initWords, links.size * W)) continue;
    if (!search.invariantsHold(inits[i])) {
      return run(search.result('violated', { violation: search.violation({ initial: i, steps: [] }) }));
    }
    if (links.size >= opts.maxStates) return run(search.result('incomplete', { incompleteReason: stateLimitReason(opts.maxStates) }));
    links.push(NO_PARENT, i);
  }
  let frontier: Segment[] = [{ words: initWords.buffer as SharedArrayBuffer, count: links.size, base: 0 }];
  let linked = links.size;

  let ports: ExpanderPort[] = [];
  const threaded = ref !== null &&
    // Stryker disable next-line ConditionalExpression,EqualityOperator: with one worker the threaded path starts no thread (workers - 1 of them) and runs the same expander in this thread
    workers > 1;
  const sequentialStates = options.sequentialStates ?? DEFAULT_SEQUENTIAL_STATES;
  // Lane 0 is the driver's: the warm-up expander in this thread uses it, so its counter and
  // buffer ids never collide with a thread's.
  let warmingUp = threaded && sequentialStates > 0;
  // With threads, the caller's thread is one of the workers (lane 0, already warm from the
  // levels it expanded alone): starting one thread fewer saves its start-up, and above all the
  // compilation of the hot path, which every thread does again.
  // Stryker disable all: starting threads needs the compiled worker script (dist/), which no
  // test run by Stryker has; threads.test.ts checks the threads against check() in npm test.
  const startThreads = async (): Promise<ExpanderPort[]> => {
    const started = await Promise.allSettled(Array.from({ length: workers - 1 }, (_, w) => ThreadPort.start(ref!, workerOptions, handle, levelControl, w + 1)));
    const ok = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed === undefined) return ok;
    // A thread that started must not outlive the failed search (it keeps the process alive).
    await Promise.all(ok.map((p) => p.close()));
    throw failed.reason;
  };
  // Stryker restore all
  let starting: Promise<ExpanderPort[]> | null = null;
  let ready: ExpanderPort[] | null = null;
  let startError: unknown = null;
  let attach: SharedTableHandle | null = null;
  // The caller's own expander: alone while the threads start, then last of the ports, so that
  // its round (run synchronously) starts after the threads were sent theirs.
  let own: ExpanderPort | null = null;
  try {
    if (threaded) {
      own = new LocalPort(new LevelExpander(system, workerOptions, handle, levelControl, 0));
      ports.push(own);
      if (!warmingUp) {
        ports = [...(await startThreads()), own];
        // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
        clock.join(ports.length - 1);
      }
    } else {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: workers in this thread claim chunks in the same order whether they take turns or not, and their outputs are numbered in that order: the same ids, the same result
      const turns = workers > 1 ? 1 : Infinity;
      for (let w = 0; w < workers; w++) ports.push(new LocalPort(new LevelExpander(system, workerOptions, handle, levelControl, w + 1), turns));
    }

    let truncated = false;
    let lastProgress = performance.now();
    for (let depth = 0; frontier.length > 0; depth++) {
      if (warmingUp) {
        // Threads start in the background (loading the model takes a while) while this
        // thread goes on expanding levels; they take over from the first level after they
        // are ready, attached to the table as it is then (it may have grown meanwhile).
        // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: when the threads start changes no result (this thread's expander and the threads expand the same levels), and starting them more than once needs threads that can start (threads.test.ts); never starting them is killed by the test whose threads fail
        if (starting === null && linked >= sequentialStates) {
          starting = startThreads();
          starting.then((p) => { ready = p; }, (e: unknown) => { startError = e; });
        }
        // Stryker disable next-line ConditionalExpression: `true` only also yields to the event loop before the threads were asked to start
        if (starting !== null) {
          await new Promise((resolve) => setImmediate(resolve)); // let the threads' replies in
          if (startError !== null) throw startError;
          // Stryker disable next-line ConditionalExpression: threads are ready only where they can start (threads.test.ts)
          if (ready !== null) {
            ports = [...(ready as ExpanderPort[]), own!];
            warmingUp = false;
            attach = handle;
            // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
            clock.join(ports.length - 1);
          }
        }
      }
      if (shard !== undefined && shardDepth === null) {
        const size = frontier.reduce((a, s) => a + s.count, 0);
        const splitHere = shard.depth !== undefined ? depth === shard.depth : size >= SHARD_MIN_STATES * shard.count;
        if (splitHere) {
          shardDepth = depth;
          frontier = ownShare(frontier, W, shard);
        }
      }
      const { bounds } = chunkGroups(frontier);
      control.fill(0);
      for (const p of ports) p.level({ depth, segments: frontier });
      const outs: RoundOutput[] = [];
      // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
      clock.level();
      for (;;) {
        const table0 = attach;
        attach = null;
        const replies: Promise<RoundOutput>[] = [];
        // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
        const sentAt = absoluteNow();
        // Stryker disable next-line ConditionalExpression: a second round of this thread's expander finds no chunk left
        for (const p of ports) if (p !== own) replies.push(p.round(table0));
        // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
        clock.begin();
        flushLinks();
        // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
        clock.lap('links');
        // This thread's own round runs synchronously: only after the threads were sent theirs.
        // Stryker disable next-line ConditionalExpression,LogicalOperator: ports.includes(null) is false
        if (own !== null && ports.includes(own)) replies.push(own.round(table0));
        // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
        clock.lap('busy');
        // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
        const ownEnd = absoluteNow();
        const got = await Promise.all(replies);
        // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
        clock.lap('wait');
        // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
        const gotAt = absoluteNow();
        // Stryker disable next-line all: timing only (the bench's account of the threads' time)
        for (let i = 0; i < got.length; i++) {
          if (ports[i] === own) continue;
          const o = got[i];
          clock.thread(i, o.busyMs);
          if (o.threadCpuMs !== undefined) clock.threadCpuSoFar(i, o.threadCpuMs);
          clock.handoff(o.startedAt - sentAt, gotAt - Math.max(ownEnd, o.startedAt + o.busyMs));
        }
        outs.push(...got);
        if (Atomics.load(control, STOP) !== 0) break;
        // Stryker disable next-line EqualityOperator: `>` runs one more round in which every claim fails: it adds nothing
        if (allClaimed(control, bounds)) break;
        // Stryker disable next-line EqualityOperator: growing the table one state sooner changes only its size
        if (table.size > table.highWater) {
          // Every worker copies its part of the old table into one twice as large.
          const from = handle;
          handle = SharedFingerprintSet.allocate(table.capacity * 2);
          // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
          clock.lap('grow');
          const took = await Promise.all(ports.map((p, i) => p.rehash(from, handle, i, ports.length)));
          table.attach(handle);
          for (const t of took) table.addDeferred(t.deferred);
          // Stryker disable next-line all: timing only (the bench's account of the threads' time); no result reads it
          clock.lap('grow');
          // Stryker disable next-line all: timing only (the bench's account of the threads' time)
          for (let i = 0; i < took.length; i++) clock.rehashed(i, ports[i] === own, took[i].ms);
        }
      }

      for (const o of outs) {
        search.transitions += o.transitions;
        // Stryker disable next-line EqualityOperator: `<=` also adds past the end of a typed array, a no-op
        for (let i = 0; i < o.coverage.length; i++) search.coverage[i] += o.coverage[i];
        if (o.truncated) truncated = true;
      }
      const at = levelFinding(outs);
      if (at !== null) {
        search.finding = at.finding;
        flushLinks();
        return run(search.result('violated', { violation: search.violationAt(at.id, at.actionIndex) }));
      }
      // Stryker disable next-line all: a consistency check (its message included): every write of FOUND comes with a finding in the same round's output
      if (Atomics.load(control, FOUND) !== 0) throw new Error('parallel search: a finding was flagged but not reported');

      const next: Segment[] = [];
      for (const o of outs) {
        if (o.count === 0) continue;
        const base = linked;
        linked += o.count;
        unlinked.push(o);
        next.push({ words: o.words, count: o.count, base, owner: o.owner, bufferId: o.bufferId });
        search.maxDepthSeen = depth + 1;
      }
      const stop = Atomics.load(control, STOP);
      if (stop !== 0) {
        return run(search.result('incomplete', {
          incompleteReason: stop === STOP_STATES ? stateLimitReason(opts.maxStates) : timeLimitReason(opts.timeLimitMs),
        }));
      }
      frontier = next;
      const now = performance.now();
      // Stryker disable next-line EqualityOperator: `>` instead of `>=` differs only at exactly 500 ms; `<` reports on every level and fails the progress test
      if (opts.onProgress !== undefined && now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now;
        opts.onProgress({
          distinctStates: linked, transitions: search.transitions,
          queued: next.reduce((a, s) => a + s.count, 0), depth: depth + 1, elapsedMs: search.elapsedMs(),
        });
      }
    }
    if (truncated) return run(search.result('incomplete', { incompleteReason: depthBoundReason(opts.maxDepth) }));
    return run(search.result('holds'));
  } finally {
    // Stryker disable next-line ConditionalExpression: see closePorts
    await closePorts(ports, warmingUp ? starting : null);
  }
}

// Stryker disable all: closing matters only for threads (LocalPort.close does nothing), which
// start only from the compiled worker script: threads.test.ts checks them in npm test
/** Closes the ports, and threads still starting when the search ended (they must not outlive
 *  it, or they keep the process alive). */
async function closePorts(ports: readonly ExpanderPort[], starting: Promise<ExpanderPort[]> | null): Promise<void> {
  await Promise.all(ports.map((p) => p.close()));
  if (starting !== null) {
    const late = await starting.catch((): ExpanderPort[] => []);
    await Promise.all(late.map((p) => p.close()));
  }
}
// Stryker restore all

/** Records the parent links of a round's new states. Apart from `parallelBfs` so that this
 *  loop over millions of states is optimised on its own: on-stack replacement into the large
 *  async driver takes a compiler thread hundreds of milliseconds, on every deoptimisation. */
function pushLinks(links: ParentLinks, o: RoundOutput): void {
  const parents = o.parents, actions = o.actions;
  for (let j = 0; j < o.count; j++) links.push(parents[j], actions[j]);
}

/** The frontier states this shard owns (fingerprint hi mod count), ids kept. */
function ownShare(frontier: readonly Segment[], W: number, shard: ShardSpec): Segment[] {
  const out: Segment[] = [];
  for (const s of frontier) {
    const view = new Uint32Array(s.words);
    const keep: number[] = [];
    for (let j = 0; j < s.count; j++) {
      fingerprint(view, j * W, W);
      if ((fingerprintOut[0] >>> 0) % shard.count === shard.index) keep.push(j);
    }
    // Stryker disable next-line ConditionalExpression: an empty segment has no chunks
    if (keep.length === 0) continue;
    const words = new Uint32Array(new SharedArrayBuffer(keep.length * W * 4));
    const ids = new Uint32Array(keep.length);
    keep.forEach((j, k) => {
      words.set(view.subarray(j * W, j * W + W), k * W);
      // Stryker disable next-line ConditionalExpression: the split happens once, on segments the driver made, which have no ids
      ids[k] = s.ids !== undefined ? s.ids[j] : s.base + j;
    });
    out.push({ words: words.buffer as SharedArrayBuffer, count: keep.length, base: 0, ids });
  }
  return out;
}
