import { describe, expect, it } from 'vitest';
import { check, exactSetFactory, replay, type TransitionSystem } from '../../explorer/index.js';
import { confirmsViolation, referenceExplore } from './reference.js';

/**
 * Partial-order reduction on fixtures where an unsound reduction changes the verdict: a cycle
 * of local steps that would postpone another thread forever without the cycle proviso (C3),
 * and a state in which no thread is entirely local (C0: expand everything, never nothing).
 */

/** `spinner` toggles its private flag forever (local); `writer` sets a shared flag once
 *  (global). The invariant reads only the shared flag: it fails once the writer has run, when
 *  `bad`. Without the proviso the spinner's cycle is the whole reduced graph. */
function spinnerAndWriter(bad: boolean): TransitionSystem {
  return {
    fields: [{ name: 'spin', min: 0, max: 1 }, { name: 'shared', min: 0, max: 1 }],
    threads: ['spinner', 'writer'],
    labels: ['toggle', 'write'],
    initialStates: () => [new Int32Array(2)],
    actions(s, sink) {
      sink.push(0, 0, 0);
      if (s[1] === 0) sink.push(1, 1, 0);
    },
    apply(s, a, next) {
      if (a.thread === 0) next[0] = 1 - s[0];
      else next[1] = 1;
    },
    threadDone: (s, t) => t === 1 && s[1] === 1,
    invariants: bad
      ? [{ name: 'never_written', description: 'the writer never runs', reads: [1], check: (s) => (s[1] === 1 ? 'the shared flag was written' : null) }]
      : [],
    // The spinner touches only its own flag, for ever; the writer the shared one, once.
    stepFootprint: (_s, t) => ({ reads: [t], writes: [t] }),
    futureFootprint: (s, t) => (t === 1 && s[1] === 1 ? { reads: [], writes: [] } : { reads: [t], writes: [t] }),
  };
}

/** Three threads, one step each, enumerated as t1, t2, t0: t1 and t2 write shared flags
 *  (global); t0 takes one private step (local) and is then done. After t0's step no thread is
 *  entirely local, so the state must be expanded fully. The invariant fails when both shared
 *  flags are set. */
function localFirstThenGlobal(): TransitionSystem {
  return {
    fields: [{ name: 'private0', min: 0, max: 1 }, { name: 'shared1', min: 0, max: 1 }, { name: 'shared2', min: 0, max: 1 }],
    threads: ['t0', 't1', 't2'],
    labels: ['local', 'write1', 'write2'],
    initialStates: () => [new Int32Array(3)],
    actions(s, sink) {
      if (s[1] === 0) sink.push(1, 1, 0);
      if (s[2] === 0) sink.push(2, 2, 0);
      if (s[0] === 0) sink.push(0, 0, 0);
    },
    apply(_s, a, next) {
      next[a.thread] = 1;
    },
    threadDone: (s, t) => s[t] === 1,
    invariants: [{ name: 'not_both', description: 'the two shared flags are never both set', reads: [1, 2], check: (s) => (s[1] === 1 && s[2] === 1 ? 'both flags set' : null) }],
    // Each thread owns one field and writes it once.
    stepFootprint: (_s, t) => ({ reads: [t], writes: [t] }),
    futureFootprint: (s, t) => (s[t] === 1 ? { reads: [], writes: [] } : { reads: [t], writes: [t] }),
  };
}

describe('partial-order reduction keeps the cycle proviso', () => {
  for (const strategy of ['bfs', 'dfs'] as const) {
    for (const visitedSet of [undefined, exactSetFactory]) {
      const set = visitedSet ? 'exact set' : 'fingerprint set';
      it(`a thread postponed by a cycle of another thread's local steps is still run: violation found (${strategy}, ${set})`, () => {
        const sys = spinnerAndWriter(true);
        expect(referenceExplore(sys).shortestViolation).toBe(1);
        const r = check(sys, { checkProgress: false, strategy, partialOrder: true, visitedSet });
        expect(r.verdict).toBe('violated');
        expect(r.violation!.invariant).toBe('never_written');
        expect(confirmsViolation(sys, r.violation!)).toBe(true);
        expect(replay(sys, r.violation!.trace).violation?.invariant).toBe('never_written');
      });

      it(`every state behind a local cycle is reached: all 4 states (${strategy}, ${set})`, () => {
        const sys = spinnerAndWriter(false);
        expect(referenceExplore(sys).states.size).toBe(4);
        const r = check(sys, { checkProgress: false, strategy, partialOrder: true, visitedSet });
        expect(r.verdict).toBe('holds');
        expect(r.stats.distinctStates).toBe(4);
      });
    }
  }

  it('the proviso expands only what the ample set left out: no transition is taken twice', () => {
    const r = check(spinnerAndWriter(false), { checkProgress: false, partialOrder: true, visitedSet: exactSetFactory });
    // (0,0) -toggle-> (1,0) -toggle-> (0,0) revisited, so (1,0) also writes -> (1,1)
    // -toggle-> (0,1) -toggle-> (1,1) revisited; the writer is done there. 5 transitions.
    expect(r.stats.transitions).toBe(5);
    expect(r.coverage).toEqual([4, 1]);
  });
});

describe('partial-order reduction never picks a thread with nothing enabled', () => {
  for (const strategy of ['bfs', 'dfs'] as const) {
    it(`a state where no thread is entirely local is expanded fully (${strategy})`, () => {
      const sys = localFirstThenGlobal();
      const ref = referenceExplore(sys);
      expect(ref.shortestViolation).toBe(2);
      const r = check(sys, { checkProgress: false, strategy, partialOrder: true });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.invariant).toBe('not_both');
      expect(confirmsViolation(sys, r.violation!)).toBe(true);
      const clean = check({ ...sys, invariants: [] }, { checkProgress: false, strategy, partialOrder: true });
      expect(clean.verdict).toBe('holds');
      // Without a property every thread is independent of the others: one interleaving is
      // enough, (0,0,0) to (1,1,1) in three steps, never an empty expansion on the way.
      expect(clean.stats.distinctStates).toBe(4);
      expect(clean.stats.transitions).toBe(3);
    });
  }

  it('without declared footprints partialOrder explores everything', () => {
    const sys = localFirstThenGlobal();
    const noHook: TransitionSystem = { ...sys, invariants: [], stepFootprint: undefined, futureFootprint: undefined };
    expect(check(noHook, { partialOrder: true }).stats.distinctStates).toBe(8);
    expect(check({ ...sys, invariants: [] }, { partialOrder: false }).stats.distinctStates).toBe(8);
  });
});
