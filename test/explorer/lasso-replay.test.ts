import { describe, expect, it } from 'vitest';
import { check, replay, type ProgressProperty, type StateVector, type Trace, type TransitionSystem } from '../../explorer/index.js';
import { flagWaiter, lockedSpinner } from '../fixtures/spinners.js';

/**
 * A pulse: thread `pulse` goes p 0 -arm-> 1 -fire-> 2 -rest-> 3 -reset-> 0, may idle at 0
 * and at 3 and hold at 1 (self-loops); thread `other` can go once, only while p = 0. The
 * system is at rest (quiescent) once `other` went, or where `quiescent` says. The lassos
 * below are written by hand from this table.
 */
function pulse(properties: ProgressProperty[], quiescent?: (s: StateVector) => boolean): TransitionSystem {
  const P = 0, Q = 1;
  return {
    fields: [{ name: 'p', min: 0, max: 3 }, { name: 'q', min: 0, max: 1 }],
    threads: ['pulse', 'other'],
    labels: ['arm', 'fire', 'rest', 'reset', 'idle', 'hold', 'go'],
    initialStates: () => [new Int32Array(2)],
    actions(s, sink) {
      const p = s[P];
      sink.push(0, [0, 1, 2, 3][p], 0);
      if (p === 0 || p === 3) sink.push(0, 4, 0);
      if (p === 1) sink.push(0, 5, 0);
      if (p === 0 && s[Q] === 0) sink.push(1, 6, 0);
    },
    apply(s, a, next) {
      if (a.label <= 3) next[P] = (s[P] + 1) % 4;
      if (a.label === 6) next[Q] = 1;
    },
    threadDone: (s, t) => t === 1 && s[Q] === 1,
    quiescent: quiescent ?? ((s) => s[Q] === 1),
    invariants: [],
    progressProperties: properties,
  };
}

const lasso = (sys: TransitionSystem, names: string[], loop: number): Trace => ({
  initial: 0,
  loop,
  steps: names.map((n) => {
    const [name, choice] = n.split('#');
    const label = sys.labels.indexOf(name);
    const thread = name === 'go' ? 1 : sys.threads.indexOf(name.split(':')[0]) >= 0 ? sys.threads.indexOf(name.split(':')[0]) : 0;
    return { index: 0, action: { thread, label, choice: Number(choice ?? 0) } };
  }),
});

const eventually = (name: string, holds: (s: StateVector) => boolean): ProgressProperty => ({ name, description: name, kind: 'eventually', holds });
const always = (name: string, holds: (s: StateVector) => boolean): ProgressProperty => ({ name, description: name, kind: 'always-eventually', holds });
const leadsTo = (name: string, trigger: (s: StateVector) => boolean, holds: (s: StateVector) => boolean): ProgressProperty => ({ name, description: name, kind: 'leads-to', trigger, holds });

describe('replay of a lasso confirms only what the lasso shows', () => {
  it('a loop start outside 0..steps, or not a whole number, is a divergence saying where it starts', () => {
    const sys = lockedSpinner();
    const t = lasso(sys, ['spinner:lock', 'spinner:check', 'spinner:relax'], 1);
    expect(replay(sys, t).violation?.kind).toBe('non-progress');
    for (const loop of [4, -1, 1.5]) {
      expect(replay(sys, { ...t, loop }).divergence).toEqual({ step: 3, reason: `the loop starts at step ${loop}, the trace has 3 steps` });
    }
  });

  it('a property the model does not have is a divergence naming it; "non-progress" names the non-progress check', () => {
    const sys = lockedSpinner();
    const t = lasso(sys, ['spinner:lock', 'spinner:check', 'spinner:relax'], 1);
    expect(replay(sys, t, { property: 'nope' }).divergence?.reason).toBe("the model has no progress property 'nope'");
    expect(replay(sys, t, { property: 'non-progress' }).violation).toMatchObject({ kind: 'non-progress', invariant: 'non-progress', step: 3 });
    const waiter = flagWaiter();
    const w = lasso(waiter, ['waiter:check', 'waiter:relax'], 0);
    expect(replay(waiter, w, { property: 'nope', fairness: 'none' }).divergence?.reason).toBe("the model has no progress property 'nope'");
  });

  it('a non-progress lasso names the threads not done where it loops; "non-progress" means that check even if a progress property has the name', () => {
    const sys = pulse([eventually('non-progress', () => false)], () => false);
    const t = lasso(sys, ['go', 'idle'], 1);
    expect(replay(sys, t).violation).toMatchObject({ kind: 'non-progress', message: 'no run from the loop ever finishes: pulse can never complete; the loop repeats for ever' });
    expect(replay(sys, t, { property: 'non-progress' }).violation?.kind).toBe('non-progress');
  });

  it('check\'s non-progress lasso takes the shortest cycle through the first stuck state: idling, not the four-step round', () => {
    const sys = pulse([], () => false);
    const v = check(sys).violation!;
    expect(v.kind).toBe('non-progress');
    expect([v.trace.steps.map((s) => sys.labels[s.action.label]), v.trace.loop]).toEqual([['idle'], 0]);
  });

  it('a non-progress lasso that stops (no cycle), or whose cycle passes a finished state, is a divergence', () => {
    const sys = lockedSpinner();
    const done = lasso(sys, ['setter:lock', 'setter:set', 'setter:unlock', 'spinner:lock', 'spinner:check', 'spinner:unlock'], 6);
    expect(replay(sys, done).divergence).toEqual({ step: 6, reason: 'a non-progress loop needs at least one step in its cycle' });
    const waiter = flagWaiter({ mayGiveUp: true });
    const quiet = lasso(waiter, ['setter:set#1', 'waiter:check', 'waiter:relax'], 1);
    expect(replay(waiter, quiet).divergence?.reason).toBe('every thread is done (or the model is quiescent) in the loop, after step 1');
    const restsAtTwo = pulse([], (s) => s[0] === 2);
    const later = lasso(restsAtTwo, ['idle', 'arm', 'fire', 'rest', 'reset'], 1);
    expect(replay(restsAtTwo, later).divergence?.reason).toBe('every thread is done (or the model is quiescent) in the loop, after step 3');
    const never = pulse([], () => false);
    expect(replay(never, later).violation).toMatchObject({ kind: 'non-progress', step: 5 });
  });

  it('"eventually": the goal may hold nowhere on the lasso, stem included; "always eventually": nowhere on the loop', () => {
    const atZero = (s: StateVector) => s[0] === 0;
    const stemOnly = ['arm', 'hold'];
    const ev = pulse([eventually('at-zero', atZero)]);
    expect(replay(ev, lasso(ev, stemOnly, 1), { property: 'at-zero', fairness: 'none' }).divergence?.reason).toBe('at-zero holds after step 0, which the lasso passes for ever');
    const al = pulse([always('at-zero', atZero)]);
    expect(replay(al, lasso(al, stemOnly, 1), { property: 'at-zero', fairness: 'none' }).violation).toMatchObject({ kind: 'liveness', invariant: 'at-zero', step: 2 });
    const atThree = pulse([always('at-three', (s) => s[0] === 3)]);
    expect(replay(atThree, lasso(atThree, ['arm', 'fire', 'rest', 'idle'], 3), { property: 'at-three', fairness: 'none' }).divergence?.reason).toBe('at-three holds after step 3, which the lasso passes for ever');
    expect(replay(atThree, lasso(atThree, ['arm', 'fire', 'rest', 'idle'], 4), { property: 'at-three', fairness: 'none' }).divergence?.reason).toMatch(/actions are still enabled/);
  });

  it('a lasso that stops: the goal must not hold in the state where the run stays', () => {
    const sys: TransitionSystem = { ...flagWaiter(), progressProperties: [always('waiter-done', (s) => s[0] === 2)] };
    const stops = lasso(sys, ['setter:set', 'waiter:check'], 2);
    expect(replay(sys, stops, { property: 'waiter-done' }).divergence?.reason).toBe('waiter-done holds after step 2, which the lasso passes for ever');
    const early: TransitionSystem = { ...flagWaiter(), progressProperties: [always('flag-clear', (s) => s[2] === 0)] };
    expect(replay(early, stops, { property: 'flag-clear' }).violation).toMatchObject({ kind: 'liveness', invariant: 'flag-clear', step: 2 });
  });

  it('"leads-to": the lasso must reach a trigger that its goal never follows', () => {
    const sys = pulse([leadsTo('armed-fires', (s) => s[0] === 1, (s) => s[0] === 2)]);
    const opts = { property: 'armed-fires', fairness: 'none' as const };
    expect(replay(sys, lasso(sys, ['arm', 'hold'], 1), opts).violation).toMatchObject({ kind: 'liveness', invariant: 'armed-fires' });
    expect(replay(sys, lasso(sys, ['idle'], 0), opts).divergence?.reason).toBe('no state of the trace triggers armed-fires without its goal following');
    expect(replay(sys, lasso(sys, ['arm', 'fire', 'rest', 'idle'], 3), opts).divergence?.reason).toBe('no state of the trace triggers armed-fires without its goal following');
    // The trigger may be the initial state itself.
    const fromStart = pulse([leadsTo('rest-leads-to-fire', (s) => s[0] === 0, (s) => s[0] === 2)]);
    expect(replay(fromStart, lasso(fromStart, ['arm', 'hold'], 1), { property: 'rest-leads-to-fire', fairness: 'none' }).violation?.kind).toBe('liveness');
    // A trigger in the loop itself is enough (the goal after the earlier trigger does not excuse it).
    const again = pulse([leadsTo('rest-returns', (s) => s[0] === 3, (s) => s[0] === 1)]);
    expect(replay(again, lasso(again, ['arm', 'fire', 'rest', 'idle'], 3), { property: 'rest-returns', fairness: 'none' }).violation?.kind).toBe('liveness');
  });

  it('fairness: a thread enabled all through the loop must step (weak); enabled anywhere in it must step (strong)', () => {
    const sys = pulse([eventually('never', () => false)]);
    const idle = lasso(sys, ['idle'], 0);
    const cycle = lasso(sys, ['arm', 'fire', 'rest', 'reset'], 0);
    const held = lasso(sys, ['arm', 'hold'], 1);
    const run = (t: Trace, fairness: 'none' | 'weak' | 'strong') => replay(sys, t, { property: 'never', fairness });
    expect(run(idle, 'none').violation?.kind).toBe('liveness');
    expect(run(idle, 'weak').divergence?.reason).toBe('the loop is unfair to other: it is enabled throughout the loop and never takes a step');
    expect(run(cycle, 'weak').violation?.kind).toBe('liveness');
    expect(run(cycle, 'strong').divergence?.reason).toBe('the loop is unfair to other: it is enabled in the loop and never takes a step (strong fairness)');
    expect(run(held, 'strong').violation?.kind).toBe('liveness');
    expect(run(idle, 'strong').divergence?.reason).toBe('the loop is unfair to other: it is enabled in the loop and never takes a step (strong fairness)');
    // The model's own fairness is the default.
    expect(replay({ ...sys, fairness: 'strong' }, cycle, { property: 'never' }).divergence?.reason).toMatch(/strong fairness/);
    expect(replay({ ...sys, fairness: 'none' }, idle, { property: 'never' }).violation?.kind).toBe('liveness');
  });

  it('check finds such lassos: "eventually at three" is broken by idling at zero (unfair to other), fairly by holding at one', () => {
    const sys = pulse([eventually('at-three', (s) => s[0] === 3)]);
    const names = (t: Trace) => t.steps.map((s) => sys.labels[s.action.label]);
    const none = check(sys, { fairness: 'none' }).violation!;
    expect(none.kind).toBe('liveness');
    expect([names(none.trace), none.trace.loop]).toEqual([['idle'], 0]);
    for (const fairness of ['weak', 'strong'] as const) {
      const v = check(sys, { fairness }).violation!;
      expect([names(v.trace), v.trace.loop]).toEqual([['arm', 'hold'], 1]);
      expect(replay(sys, v.trace, { property: 'at-three', fairness }).violation?.kind).toBe('liveness');
    }
  });
});

describe('progress properties on the pulse', () => {
  it('"eventually" counts from the initial states only: a goal-free cycle behind an initial state where the goal holds breaks nothing', () => {
    const sys = pulse([eventually('at-zero', (s) => s[0] === 0)]);
    for (const fairness of ['none', 'weak', 'strong'] as const) expect(check(sys, { fairness }).verdict).toBe('holds');
    // "always eventually" does not forgive it: holding at one for ever never comes back to zero.
    const al = pulse([always('at-zero', (s) => s[0] === 0)]);
    const v = check(al, { fairness: 'none' }).violation!;
    expect([v.trace.steps.map((s) => al.labels[s.action.label]), v.trace.loop]).toEqual([['arm', 'hold'], 1]);
  });

  it('each kind of property says in its message what the run does, and whether it is fair', () => {
    const cases: [ProgressProperty, 'none' | 'weak', string][] = [
      [eventually('at-three', (s) => s[0] === 3), 'none', 'a run never reaches a state where at-three holds: the loop repeats for ever'],
      [eventually('at-three', (s) => s[0] === 3), 'weak', 'a weakly fair run never reaches a state where at-three holds: the loop repeats for ever'],
      [always('at-zero', (s) => s[0] === 0), 'weak', 'a weakly fair run stops passing through states where at-zero holds: the loop repeats for ever'],
      [leadsTo('armed-fires', (s) => s[0] === 1, (s) => s[0] === 2), 'none', 'a run reaches the trigger of armed-fires and never reaches its goal after it: the loop repeats for ever'],
    ];
    for (const [p, fairness, message] of cases) {
      const sys = pulse([p]);
      const r = check(sys, { fairness });
      expect(r.violation).toMatchObject({ kind: 'liveness', invariant: p.name, message });
      expect(replay(sys, r.violation!.trace, { property: p.name, fairness }).violation?.message).toBe(message);
    }
    const strong = pulse([eventually('at-three', (s) => s[0] === 3)]);
    expect(check(strong, { fairness: 'strong' }).violation?.message).toBe('a strongly fair run never reaches a state where at-three holds: the loop repeats for ever');
  });
});

/** One thread: from 0 it may stop at once (to 9) or enter the cycle 1 <-> 2; 5 is a state
 *  where it stops from the start. Resting in the cycle counts as finished (no non-progress). */
function fork(initial: number[]): TransitionSystem {
  return {
    fields: [{ name: 's', min: 0, max: 9 }],
    threads: ['t'],
    labels: ['stop', 'enter', 'a', 'b'],
    initialStates: () => initial.map((s) => Int32Array.of(s)),
    actions(s, sink) {
      if (s[0] === 0) { sink.push(0, 0, 0); sink.push(0, 1, 0); } else if (s[0] === 1) sink.push(0, 2, 0); else if (s[0] === 2) sink.push(0, 3, 0);
    },
    apply(s, act, next) {
      next[0] = [9, 1, 2, 1][act.label];
    },
    threadDone: (s) => s[0] === 9 || s[0] === 5,
    quiescent: (s) => s[0] === 1 || s[0] === 2,
    invariants: [],
    progressProperties: [always('never', () => false)],
  };
}

describe('a stop nearer than any fair cycle is the counterexample', () => {
  it('stopping one step away beats the cycle two steps away: the lasso ends where the run stops', () => {
    const sys = fork([0]);
    const v = check(sys, { fairness: 'none' }).violation!;
    expect([v.trace.steps.map((s) => sys.labels[s.action.label]), v.trace.loop]).toEqual([['stop'], 1]);
  });

  it('an initial state that stops at once is the whole counterexample, though a cycle is reachable from another', () => {
    const sys = fork([5, 0]);
    const v = check(sys, { fairness: 'none' }).violation!;
    expect(v.trace).toMatchObject({ initial: 0, steps: [], loop: 0 });
    expect(replay(sys, v.trace, { property: 'never', fairness: 'none' }).violation?.kind).toBe('liveness');
  });
});

/**
 * Thread a moves X -> Y, and at Y goes back to X or stays; thread b, enabled only at X, leads
 * to the goal G. The component {X, Y} is unfair to b under strong fairness (b is enabled at X
 * and never taken inside), but the run that stays at Y for ever never enables b: it is
 * strongly fair, and "eventually G" is broken by it. Under weak fairness {X, Y} itself counts
 * (b is disabled at Y).
 */
function staysAwayFromB(): TransitionSystem {
  return {
    fields: [{ name: 's', min: 0, max: 2 }],
    threads: ['a', 'b'],
    labels: ['a:go', 'b:goal', 'a:back', 'a:stay'],
    initialStates: () => [Int32Array.of(0)],
    actions(s, sink) {
      if (s[0] === 0) { sink.push(0, 0, 0); sink.push(1, 1, 0); } else if (s[0] === 1) { sink.push(0, 2, 0); sink.push(0, 3, 0); }
    },
    apply(s, act, next) {
      next[0] = [1, 2, 0, 1][act.label];
    },
    threadDone: (s) => s[0] === 2,
    invariants: [],
    progressProperties: [eventually('reaches-goal', (s) => s[0] === 2)],
  };
}

describe('strong fairness: a component unfair to a thread may hold a fair cycle that never enables it', () => {
  it('the run staying at Y breaks "eventually G" under strong fairness; the lasso replays as strongly fair', () => {
    const sys = staysAwayFromB();
    const r = check(sys, { fairness: 'strong' });
    expect(r.verdict).toBe('violated');
    const t = r.violation!.trace;
    expect([t.steps.map((s) => sys.labels[s.action.label]), t.loop]).toEqual([['a:go', 'a:stay'], 1]);
    expect(replay(sys, t, { property: 'reaches-goal', fairness: 'strong' }).violation?.kind).toBe('liveness');
    // The cycle through X is not strongly fair: b is enabled there.
    expect(replay(sys, lasso(sys, ['a:go', 'a:back'], 0), { property: 'reaches-goal', fairness: 'strong' }).divergence?.reason).toMatch(/unfair to b/);
    expect(check(sys, { fairness: 'weak' }).verdict).toBe('violated');
  });
});

/**
 * Thread a walks X -> Y -> X and X -> Z -> X; thread b, enabled at X and Y but not at Z, leads
 * to the goal G. Under weak fairness the component {X, Y, Z} breaks "eventually G" only by a
 * loop that passes Z (where b is disabled): a loop through Y alone keeps b enabled for ever.
 */
function sidestep(): TransitionSystem {
  return {
    fields: [{ name: 's', min: 0, max: 3 }],
    threads: ['a', 'b'],
    labels: ['a:xy', 'a:yx', 'a:xz', 'a:zx', 'b:goal'],
    initialStates: () => [Int32Array.of(0)],
    actions(s, sink) {
      if (s[0] === 0) { sink.push(0, 0, 0); sink.push(0, 2, 0); sink.push(1, 4, 0); }
      if (s[0] === 1) { sink.push(0, 1, 0); sink.push(1, 4, 0); }
      if (s[0] === 2) sink.push(0, 3, 0);
    },
    apply(_s, act, next) {
      next[0] = [1, 0, 2, 0, 3][act.label];
    },
    threadDone: (s) => s[0] === 3,
    invariants: [],
    progressProperties: [eventually('reaches-goal', (s) => s[0] === 3)],
  };
}

describe('weak fairness: the loop passes a state where each thread that never steps is disabled', () => {
  it('the lasso walks to Z and back (b disabled there), and replays as weakly fair; a loop through Y alone does not', () => {
    const sys = sidestep();
    const v = check(sys, { fairness: 'weak' }).violation!;
    expect(v.invariant).toBe('reaches-goal');
    expect([v.trace.steps.map((s) => sys.labels[s.action.label]), v.trace.loop]).toEqual([['a:xy', 'a:yx', 'a:xz', 'a:zx'], 0]);
    expect(replay(sys, v.trace, { property: 'reaches-goal', fairness: 'weak' }).violation?.kind).toBe('liveness');
    expect(replay(sys, lasso(sys, ['a:xy', 'a:yx'], 0), { property: 'reaches-goal', fairness: 'weak' }).divergence?.reason).toMatch(/unfair to b/);
  });
});
