import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, replay, type TransitionSystem } from '../../explorer/index.js';
import { checkLiveness } from '../../explorer/liveness.js';
import { flagWaiter, lockedSpinner, lockHog } from '../fixtures/spinners.js';
import { randomSystem, type RandomSpec } from '../fixtures/random-system.js';
import { referenceExplore, walkTrace } from './reference.js';
import { key, naiveStuck } from './naive-progress.js';
import { runs } from '../fuzz-runs.js';

describe('non-progress: a reachable loop from which no run finishes', () => {
  it('a spinner holding the lock its setter needs is a non-progress lasso: the shortest way in, then one cycle', () => {
    const sys = lockedSpinner();
    const r = check(sys);
    expect(r.verdict).toBe('violated');
    const v = r.violation!;
    expect(v.kind).toBe('non-progress');
    expect(v.invariant).toBe('non-progress');
    expect(v.message).toContain('spinner, setter can never complete');
    // spinner:lock, then the loop spinner:check, spinner:relax.
    expect(v.trace.steps.map((s) => sys.labels[s.action.label])).toEqual(['spinner:lock', 'spinner:check', 'spinner:relax']);
    expect(v.trace.loop).toBe(1);
    const stuck = naiveStuck(sys);
    const { states } = walkTrace(sys, v.trace.initial, v.trace.steps.map((s) => s.index));
    for (const s of states.slice(1)) expect(stuck.has(key(s))).toBe(true);
    expect(stuck.has(key(states[0]))).toBe(false);
    expect(r.stats.progress!.states).toBe(referenceExplore(sys, false).states.size);
  });

  it('replay confirms the loop; a loop that does not close, or that finishes, is a divergence', () => {
    const sys = lockedSpinner();
    const v = check(sys).violation!;
    const rep = replay(sys, v.trace);
    expect(rep.divergence).toBeUndefined();
    expect(rep.violation).toMatchObject({ kind: 'non-progress', invariant: 'non-progress', step: 3 });
    const open = replay(sys, { ...v.trace, loop: 0 });
    expect(open.violation).toBeUndefined();
    expect(open.divergence?.reason).toMatch(/the loop does not close: after step 3, pc\[spinner\] = 1, after step 0 it was 0/);
    const ends = replay(sys, { ...v.trace, loop: 3 });
    expect(ends.divergence?.reason).toMatch(/actions are still enabled/);
  });

  it('a space beyond the progress graph\'s limit gives incomplete, saying safety holds and progress was not checked', () => {
    const r = check(lockedSpinner(), { maxProgressStates: 5 });
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/^safety holds; progress not checked: more than 5 states/);
  });

  it('a time limit gives incomplete, and the progress pass stops at its deadline too', () => {
    const r = check(lockedSpinner(), { timeLimitMs: 0 });
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/time limit of 0 ms/);
    expect(checkLiveness(lockedSpinner(), Infinity, 'weak', 0)).toBe('time');
    expect(checkLiveness(lockedSpinner(), 3, 'weak')).toBe('states');
  });

  it('the same system with the spinner dropping the lock while it relaxes makes progress (and safety alone said holds before)', () => {
    expect(check(lockedSpinner({ fixed: true })).verdict).toBe('holds');
    expect(naiveStuck(lockedSpinner({ fixed: true })).size).toBe(0);
    expect(check(lockedSpinner(), { checkProgress: false }).verdict).toBe('holds');
  });

  it('random graphs: non-progress is reported iff the naive search finds a stuck state, and its lasso lies in the stuck region', () => {
    const specArb: fc.Arbitrary<RandomSpec> = fc
      .record({ nodes: fc.integer({ min: 1, max: 10 }), threads: fc.integer({ min: 1, max: 3 }) })
      .chain(({ nodes, threads }) => fc.record({
        nodes: fc.constant(nodes),
        threads: fc.constant(threads),
        edges: fc.array(fc.record({ from: fc.nat(nodes - 1), to: fc.nat(nodes - 1), thread: fc.nat(threads - 1), bump: fc.nat(3), fails: fc.constant(false) }), { maxLength: 3 * nodes }),
        bad: fc.constant([]),
        done: fc.uniqueArray(fc.nat(nodes - 1), { maxLength: nodes }),
        initial: fc.uniqueArray(fc.nat(nodes - 1), { minLength: 1, maxLength: 2 }),
      }));
    fc.assert(fc.property(specArb, (spec) => {
      const sys = randomSystem(spec);
      const stuck = naiveStuck(sys);
      const r = check(sys, { checkDeadlock: false });
      expect(r.verdict).toBe(stuck.size > 0 ? 'violated' : 'holds');
      if (r.violation) {
        const { states } = walkTrace(sys, r.violation.trace.initial, r.violation.trace.steps.map((s) => s.index));
        expect(stuck.has(key(states[states.length - 1]))).toBe(true);
        expect(key(states[r.violation.trace.loop!])).toBe(key(states[states.length - 1]));
        expect(replay(sys, r.violation.trace, { checkDeadlock: false }).violation?.kind).toBe('non-progress');
      }
    }), { numRuns: runs(300) });
  });
});

describe('progress properties under per-thread weak fairness', () => {
  it('"the flag is eventually set" holds only with fairness: without it the waiter may spin while the setter never runs', () => {
    const sys = flagWaiter();
    const fair = check(sys);
    expect(fair.verdict).toBe('holds');
    const unfair = check(sys, { fairness: 'none' });
    expect(unfair.verdict).toBe('violated');
    const v = unfair.violation!;
    expect(v.kind).toBe('liveness');
    expect(v.invariant).toBe('flag-eventually-set');
    expect(v.trace.steps.map((s) => sys.labels[s.action.label])).toEqual(['waiter:check', 'waiter:relax']);
    expect(v.trace.loop).toBe(0);
    // The lasso replays as a run that never sets the flag, and is unfair to the setter.
    expect(replay(sys, v.trace, { property: 'flag-eventually-set', fairness: 'none' }).violation?.invariant).toBe('flag-eventually-set');
    expect(replay(sys, v.trace, { property: 'flag-eventually-set' }).divergence?.reason).toBe('the loop is unfair to setter: it is enabled throughout the loop and never takes a step');
  });

  it('a setter that may give up breaks the properties even under fairness: the lasso waits for ever after it finished', () => {
    const sys = flagWaiter({ mayGiveUp: true });
    const r = check(sys);
    expect(r.verdict).toBe('violated');
    const v = r.violation!;
    expect(v.invariant).toBe('flag-eventually-set');
    const labels = v.trace.steps.map((s) => `${sys.labels[s.action.label]}#${s.action.choice}`);
    expect(labels.slice(0, v.trace.loop)).toContain('setter:set#1');
    expect(replay(sys, v.trace, { property: v.invariant }).violation?.kind).toBe('liveness');
  });

  it('leads-to: "a relaxing waiter finishes" is broken by a fair lasso only when the setter may give up', () => {
    const only = (sys: TransitionSystem, name: string): TransitionSystem => ({ ...sys, progressProperties: sys.progressProperties!.filter((p) => p.name === name) });
    expect(check(only(flagWaiter(), 'waiting-leads-to-done')).verdict).toBe('holds');
    expect(check(only(flagWaiter(), 'waiting-leads-to-done'), { fairness: 'none' }).verdict).toBe('violated');
    const sys = only(flagWaiter({ mayGiveUp: true }), 'waiting-leads-to-done');
    const r = check(sys);
    expect(r.violation?.invariant).toBe('waiting-leads-to-done');
    expect(replay(sys, r.violation!.trace, { property: 'waiting-leads-to-done' }).violation?.kind).toBe('liveness');
  });

  it('always-eventually: a run that stops in a state without the goal breaks it; the lasso ends there', () => {
    const sys: TransitionSystem = {
      ...flagWaiter({ mayGiveUp: true }),
      progressProperties: [{ name: 'waiter-keeps-relaxing', description: 'the waiter is at relax infinitely often', kind: 'always-eventually', holds: (s) => s[0] === 1 }],
    };
    const r = check(sys);
    expect(r.verdict).toBe('violated');
    const t = r.violation!.trace;
    expect(t.loop).toBe(t.steps.length);
    expect(replay(sys, t, { property: 'waiter-keeps-relaxing' }).violation?.invariant).toBe('waiter-keeps-relaxing');
  });

  it('a waiter starved by a lock hog: violated under weak fairness (it is disabled whenever the hog holds the lock), holds under strong fairness', () => {
    const sys = lockHog();
    const weak = check(sys);
    expect(weak.verdict).toBe('violated');
    const v = weak.violation!;
    expect(v.invariant).toBe('waiter-gets-the-lock');
    expect(v.trace.steps.slice(v.trace.loop).map((s) => sys.labels[s.action.label])).toEqual(['hog:lock', 'hog:unlock']);
    expect(replay(sys, v.trace, { property: v.invariant }).violation?.kind).toBe('liveness');
    expect(replay(sys, v.trace, { property: v.invariant, fairness: 'strong' }).divergence?.reason).toMatch(/unfair to waiter: it is enabled in the loop and never takes a step \(strong fairness\)/);
    expect(check(sys, { fairness: 'strong' }).verdict).toBe('holds');
    expect(check({ ...sys, fairness: 'strong' }).verdict).toBe('holds');
  });
});
