import { describe, expect, it } from 'vitest';
import { StateLayout, type TransitionSystem } from '../../explorer/index.js';
import { counters } from '../fixtures/counters.js';
import {
  CLAIM, FOUND, LEVEL_CONTROL_WORDS, LevelExpander, STOP, STOP_TIME, allClaimed, chunkGroups, levelFinding,
  type FoundAt, type RoundOutput, type Segment, type WorkerOptions,
} from '../../explorer/parallel/level-expander.js';
import { SharedFingerprintSet } from '../../explorer/parallel/shared-fingerprint-set.js';

// One level of the parallel search, driven by hand in this thread: which chunks a round
// claims, what it adds, where it stops, and which buffers it writes to. Hand counts only.

/** A level of `n` states (1, x), x = 0..n-1; each steps to (2, x). (2, x) breaks `bad` when x
 *  is in `bad`; (1, x) with x in `stuck` has no step (a deadlock). */
function row(bad: number[] = [], stuck: number[] = []): TransitionSystem {
  return {
    fields: [{ name: 'phase', min: 0, max: 2 }, { name: 'x', min: 0, max: 1023 }],
    threads: ['t'],
    labels: ['step'],
    initialStates: () => [Int32Array.of(0, 0)],
    actions(s, sink) {
      if (s[0] === 1 && !stuck.includes(s[1])) sink.push(0, 0, 0);
    },
    apply(_s, _a, next) {
      next[0] = 2;
    },
    threadDone: (s) => s[0] === 2,
    invariants: [{ name: 'bad', description: 'x is one of the bad ones at the end', check: (s) => (s[0] === 2 && bad.includes(s[1]) ? `x = ${s[1]}` : null) }],
  };
}

const unbounded: WorkerOptions = { maxStates: Infinity, maxDepth: Infinity, checkDeadlock: true, symmetry: false, deadline: Infinity };

/** Level 1 of `row`: n states, ids 1..n (the initial state is id 0). */
function level1(sys: TransitionSystem, n: number): Segment {
  const layout = new StateLayout(sys.fields);
  const W = layout.wordsPerState;
  const words = new Uint32Array(new SharedArrayBuffer(n * W * 4));
  for (let x = 0; x < n; x++) layout.pack(Int32Array.of(1, x), words, x * W);
  return { words: words.buffer as SharedArrayBuffer, count: n, base: 1 };
}

function setup(sys: TransitionSystem, workers: number, opts: WorkerOptions = unbounded, slots = 1 << 12) {
  const table = SharedFingerprintSet.allocate(slots);
  const levelControl = new SharedArrayBuffer(LEVEL_CONTROL_WORDS * 4);
  const expanders = Array.from({ length: workers }, (_, w) => new LevelExpander(sys, opts, table, levelControl, w + 1));
  return { table, control: new Int32Array(levelControl), expanders, layout: new StateLayout(sys.fields) };
}

/** The x of each state a round added (each must be (2, x)), in output order. */
function addedXs(layout: StateLayout, out: RoundOutput): number[] {
  const W = layout.wordsPerState;
  const view = new Uint32Array(out.words);
  const s = layout.newState();
  const xs: number[] = [];
  for (let j = 0; j < out.count; j++) {
    layout.unpack(view, j * W, s);
    expect(s[0]).toBe(2);
    xs.push(s[1]);
  }
  return xs;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('LevelExpander: claiming chunks', () => {
  it('a round claims at most maxChunks chunks of 64 states, says how many, and adds exactly their successors, each with its parent id', () => {
    const sys = row();
    const { expanders: [a, b], control, layout } = setup(sys, 2);
    const task = { depth: 1, segments: [level1(sys, 192)] };
    a.beginLevel(task);
    b.beginLevel(task);
    const first = a.runRound(1);
    expect(first.claimed).toBe(1);
    expect(Atomics.load(control, CLAIM)).toBe(1);
    expect(addedXs(layout, first)).toEqual(range(0, 64));
    expect(Array.from(first.parents.subarray(0, first.count))).toEqual(range(1, 65));
    expect(first.transitions).toBe(64);
    const second = b.runRound(1);
    expect(second.claimed).toBe(1);
    expect(addedXs(layout, second)).toEqual(range(64, 128));
    expect(Array.from(second.parents.subarray(0, second.count))).toEqual(range(65, 129));
    const rest = a.runRound();
    expect(rest.claimed).toBe(1);
    expect(addedXs(layout, rest)).toEqual(range(128, 192));
    const none = b.runRound();
    expect(none.claimed).toBe(0);
    expect(none.count).toBe(0);
    expect(none.transitions).toBe(0);
  });

  it('a round after another worker set STOP claims nothing and adds nothing', () => {
    const sys = row();
    const { expanders: [a], control } = setup(sys, 1);
    a.beginLevel({ depth: 1, segments: [level1(sys, 128)] });
    Atomics.store(control, STOP, STOP_TIME);
    const out = a.runRound();
    expect(out.claimed).toBe(0);
    expect(out.count).toBe(0);
    expect(Atomics.load(control, CLAIM)).toBe(0);
  });

  it('a table holding exactly its high-water mark (3/4 of 4096 slots) still gets work; one state more and the round claims nothing and says it paused', () => {
    const sys = row();
    const { expanders: [a], table } = setup(sys, 1);
    const driver = new SharedFingerprintSet(table, 0);
    for (let i = 1; i <= 3072; i++) driver.addFingerprint(i, i);
    expect(driver.size).toBe(driver.highWater);
    a.beginLevel({ depth: 1, segments: [level1(sys, 128)] });
    const at = a.runRound(1);
    expect(at.paused).toBe(false);
    expect(at.claimed).toBe(1);
    expect(at.count).toBe(64);
    const past = a.runRound(1);
    expect(past.paused).toBe(true);
    expect(past.claimed).toBe(0);
    expect(past.count).toBe(0);
  });
});

describe('LevelExpander: findings on a level', () => {
  it('after a bad successor, a worker expands no state of a higher id; FOUND is 1 + its id', () => {
    // Chunk 0: x 0..63 add 64 states; chunk 1: x 64..69 add 6, x = 70 (id 71) is the finding;
    // x 71..127 and chunk 2 (x 128..191, another bad one at 150) are not expanded.
    const sys = row([70, 150]);
    const { expanders: [a], control, layout } = setup(sys, 1);
    a.beginLevel({ depth: 1, segments: [level1(sys, 192)] });
    const out = a.runRound();
    expect(out.claimed).toBe(3);
    expect(out.successor).toMatchObject({ id: 71, actionIndex: 0, finding: { invariant: 'bad' } });
    expect(addedXs(layout, out)).toEqual(range(0, 70));
    expect(Atomics.load(control, FOUND)).toBe(72);
  });

  it('FOUND only ever goes down: a finding of a lower id lowers it, a deadlock of a higher id leaves it', () => {
    // b takes chunk 2 first and finds x = 150 (id 151); a then takes chunks 0 and 1, finds
    // x = 70 (id 71), and still reports the deadlock x = 100 (id 101), which it passes later.
    const sys = row([70, 150], [100]);
    const { expanders: [a, b], control, layout } = setup(sys, 2);
    const task = { depth: 1, segments: [level1(sys, 192)] };
    a.beginLevel(task);
    b.beginLevel(task);
    Atomics.store(control, CLAIM, 2);
    const outB = b.runRound(1);
    expect(outB.successor).toMatchObject({ id: 151 });
    expect(addedXs(layout, outB)).toEqual(range(128, 150));
    expect(Atomics.load(control, FOUND)).toBe(152);
    Atomics.store(control, CLAIM, 0);
    const outA = a.runRound(2);
    expect(outA.successor).toMatchObject({ id: 71 });
    expect(outA.quiescent).toMatchObject({ id: 101, actionIndex: -1, finding: { kind: 'deadlock' } });
    expect(addedXs(layout, outA)).toEqual(range(0, 70));
    expect(Atomics.load(control, FOUND)).toBe(72);
  });

  it('a worker\'s first deadlock of a round is the one it reports, though it passes more', () => {
    const sys = row([], [10, 20, 90]);
    const { expanders: [a], control } = setup(sys, 1);
    a.beginLevel({ depth: 1, segments: [level1(sys, 128)] });
    const out = a.runRound();
    expect(out.quiescent).toMatchObject({ id: 11 });
    expect(Atomics.load(control, FOUND)).toBe(12);
    // States after a deadlock are still expanded up to it: x 0..9 each add a state.
    expect(out.count).toBe(10);
  });

  const found = (id: number, invariant: string): FoundAt => ({ id, actionIndex: 0, finding: { kind: 'invariant', invariant, message: '' } });
  const outWith = (quiescent: FoundAt | null, successor: FoundAt | null) => ({ quiescent, successor }) as unknown as RoundOutput;

  it('the level\'s finding over outputs that come in any order (as threads finish): a deadlock before any bad successor, the lowest id of each kind', () => {
    const q5 = found(5, 'q5'), q9 = found(9, 'q9'), s2 = found(2, 's2'), s7 = found(7, 's7');
    expect(levelFinding([])).toBeNull();
    expect(levelFinding([outWith(null, null), outWith(null, null)])).toBeNull();
    expect(levelFinding([outWith(null, s7), outWith(null, s2), outWith(null, null)])).toBe(s2);
    expect(levelFinding([outWith(null, s2), outWith(null, s7)])).toBe(s2);
    expect(levelFinding([outWith(q9, null), outWith(null, s2), outWith(q5, s7)])).toBe(q5);
    expect(levelFinding([outWith(q5, null), outWith(q9, null)])).toBe(q5);
    expect(levelFinding([outWith(null, s2), outWith(q9, null)])).toBe(q9);
  });
});

describe('LevelExpander: output buffers', () => {
  /** Runs counters(2, n) level by level with `workers` expanders taking turns chunk by chunk,
   *  the driver's way: new states numbered in output order. Returns every round's output. */
  function search(workers: number, n: number) {
    const sys = counters(2, n);
    const { expanders, control, layout } = setup(sys, workers, unbounded, 1 << 14);
    const W = layout.wordsPerState;
    const init = new Uint32Array(new SharedArrayBuffer(W * 4));
    expect(expanders[0].search.addIfNew(new Int32Array(2), init, 0)).toBe(true);
    let frontier: Segment[] = [{ words: init.buffer as SharedArrayBuffer, count: 1, base: 0 }];
    let linked = 1;
    const rounds: { depth: number; lane: number; out: RoundOutput; frontier: SharedArrayBuffer[] }[] = [];
    for (let depth = 0; frontier.length > 0; depth++) {
      control.fill(0);
      const task = { depth, segments: frontier };
      for (const e of expanders) e.beginLevel(task);
      const outs: RoundOutput[] = [];
      const chunks = frontier.reduce((a, s) => a + Math.ceil(s.count / 64), 0);
      while (Atomics.load(control, CLAIM) < chunks) {
        for (const e of expanders) {
          const out = e.runRound(1);
          rounds.push({ depth, lane: e.lane, out, frontier: frontier.map((s) => s.words) });
          outs.push(out);
        }
      }
      const next: Segment[] = [];
      for (const o of outs) {
        if (o.count === 0) continue;
        next.push({ words: o.words, count: o.count, base: linked, owner: o.owner, bufferId: o.bufferId });
        linked += o.count;
      }
      frontier = next;
    }
    return { rounds, linked };
  }

  it('one worker over the 41 levels of counters 2x40 writes them into two shared buffers in turn, never into the frontier it reads', () => {
    const { rounds, linked } = search(1, 40);
    expect(linked).toBe(41 * 41);
    expect(rounds.length).toBe(81);
    for (const r of rounds) expect(r.frontier).not.toContain(r.out.words);
    expect(new Set(rounds.map((r) => r.out.words)).size).toBe(2);
  });

  it('with two workers (one often idle), each worker keeps to two buffers over 81 levels, and the states add up to 41^2', () => {
    const { rounds, linked } = search(2, 40);
    expect(linked).toBe(41 * 41);
    for (const r of rounds) expect(r.frontier).not.toContain(r.out.words);
    for (const lane of [1, 2]) {
      expect(new Set(rounds.filter((r) => r.lane === lane).map((r) => r.out.words)).size).toBeLessThanOrEqual(2);
    }
  });

  it('a round adding more states than its first buffers hold (300 from 5 chunks; room for 256) grows them and keeps every state, parent and action', () => {
    const sys = row();
    const { expanders: [a], layout } = setup(sys, 1);
    a.beginLevel({ depth: 1, segments: [level1(sys, 300)] });
    const out = a.runRound();
    expect(out.count).toBe(300);
    expect(addedXs(layout, out)).toEqual(range(0, 300));
    expect(Array.from(out.parents.subarray(0, 300))).toEqual(range(1, 301));
    expect(Array.from(out.actions.subarray(0, 300))).toEqual(new Array(300).fill(0));
  });
});

/** Level 1 of `row` as segments written by workers: `parts[i]` = [owner lane, first x, count];
 *  ids run on from 1 in segment order. */
function ownedLevel(sys: TransitionSystem, parts: [number, number, number][]): Segment[] {
  const layout = new StateLayout(sys.fields);
  const W = layout.wordsPerState;
  let base = 1;
  return parts.map(([owner, first, n]) => {
    const words = new Uint32Array(new SharedArrayBuffer(n * W * 4));
    for (let j = 0; j < n; j++) layout.pack(Int32Array.of(1, first + j), words, j * W);
    const seg = { words: words.buffer as SharedArrayBuffer, count: n, base, owner, bufferId: 0 };
    base += n;
    return seg;
  });
}

describe('LevelExpander: each worker claims its own output first, then the others\'', () => {
  it('chunk groups follow the writers in order of first appearance, each holding its segments\' chunks in segment order; the driver\'s segments (no writer) form a group', () => {
    const sys = row();
    const segs = ownedLevel(sys, [[2, 0, 100], [1, 100, 64], [2, 164, 10]]);
    const g = chunkGroups([...segs, { ...segs[0], owner: undefined }]);
    expect(g.owners).toEqual([2, 1, -1]);
    expect(Array.from(g.bounds)).toEqual([0, 3, 4, 6]);
    expect(Array.from(g.segs)).toEqual([0, 0, 2, 1, 3, 3]);
    expect(Array.from(g.starts)).toEqual([0, 64, 0, 0, 0, 64]);
  });

  it('lane 1 expands the states it wrote and lane 2 its own, then the one left with work takes the rest of the other\'s; every chunk is claimed once', () => {
    const sys = row();
    const { expanders: [a, b], control, layout } = setup(sys, 2);
    // Lane 2 wrote x = 0..127 (ids 1..128), lane 1 x = 128..447 (ids 129..448).
    const task = { depth: 1, segments: ownedLevel(sys, [[2, 0, 128], [1, 128, 320]]) };
    a.beginLevel(task);
    b.beginLevel(task);
    const { bounds } = chunkGroups(task.segments);
    expect(addedXs(layout, a.runRound(1))).toEqual(range(128, 192));
    expect(addedXs(layout, b.runRound(1))).toEqual(range(0, 64));
    expect(addedXs(layout, b.runRound(1))).toEqual(range(64, 128));
    expect(allClaimed(new Int32Array(control.buffer), bounds)).toBe(false);
    // Lane 2's group is out: it goes on with lane 1's, where lane 1 left it.
    const stolen = b.runRound(1);
    expect(addedXs(layout, stolen)).toEqual(range(192, 256));
    expect(Array.from(stolen.parents.subarray(0, stolen.count))).toEqual(range(193, 257));
    const rest = [a.runRound(), b.runRound()];
    expect(rest.map((o) => addedXs(layout, o)).flat().sort((x, y) => x - y)).toEqual(range(256, 448));
    expect(allClaimed(new Int32Array(control.buffer), bounds)).toBe(true);
    expect([a.runRound().claimed, b.runRound().claimed]).toEqual([0, 0]);
  });

  it('a worker that meets a bad successor in its own group and then, in the same round, a lower one in a chunk it took from another reports the lower id', () => {
    // Lane 1 wrote x = 200..263 (ids 65..128), lane 2 x = 0..63 (ids 1..64): lane 1 expands
    // its own first, finds x = 210 (id 75), then takes lane 2's chunk and finds x = 5 (id 6).
    const sys = row([210, 5]);
    const { expanders: [a], control } = setup(sys, 1);
    const task = { depth: 1, segments: ownedLevel(sys, [[2, 0, 64], [1, 200, 64]]) };
    task.segments[1] = { ...task.segments[1], base: 65 };
    a.beginLevel(task);
    const round = a.runRound();
    expect(round.claimed).toBe(2);
    expect(round.successor?.id).toBe(6);
    expect(Atomics.load(control, FOUND)).toBe(7);
  });

  it('the same for deadlocked states: a stuck state in its own group, then a lower one in another\'s chunk: the lower id', () => {
    const sys = row([], [210, 5]);
    const { expanders: [a] } = setup(sys, 1);
    const task = { depth: 1, segments: ownedLevel(sys, [[2, 0, 64], [1, 200, 64]]) };
    task.segments[1] = { ...task.segments[1], base: 65 };
    a.beginLevel(task);
    const round = a.runRound();
    expect(round.claimed).toBe(2);
    expect(round.quiescent?.id).toBe(6);
  });
});

