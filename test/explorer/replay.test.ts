import { describe, expect, it } from 'vitest';
import { check, replay, type TransitionSystem } from '../../explorer/index.js';
import { peterson } from '../fixtures/peterson.js';
import { philosophers } from '../fixtures/philosophers.js';

/** One thread that takes a lock and, in the `leaky` variant, finishes without releasing it. */
function lockOnce(leaky: boolean): TransitionSystem {
  return {
    fields: [{ name: 'pc', min: 0, max: 2 }, { name: 'locked', min: 0, max: 1 }],
    threads: ['t0'],
    labels: ['spin_lock', 'spin_unlock'],
    initialStates: () => [new Int32Array(2)],
    actions: (s, sink) => { if (s[0] < 2) sink.push(0, s[0], 0); },
    apply(s, a, next, ctx) {
      if (a.label === 0) { if (s[1] === 1) ctx.fail('double_lock', 'spin_lock on a held lock'); next[1] = 1; }
      else if (!leaky) next[1] = 0;
      next[0] = s[0] + 1;
    },
    threadDone: (s) => s[0] === 2,
    invariants: [],
    terminalProperties: [{ name: 'no_lock_held', description: 'nothing locked at the end', check: (s) => (s[1] ? 'the lock is still held' : null) }],
  };
}

describe('replay', () => {
  it('re-executes a counterexample state by state and confirms the same violation at the same step', () => {
    const sys = philosophers(3);
    const r = check(sys);
    const rep = replay(sys, r.violation!.trace);
    expect(rep.states.length).toBe(r.violation!.trace.steps.length + 1);
    expect(rep.violation).toEqual({ step: 3, kind: 'deadlock', invariant: 'deadlock', message: r.violation!.message });
  });

  it('reports a step whose action is not enabled as a divergence listing the enabled actions', () => {
    const sys = peterson();
    const trace = { initial: 0, steps: [{ index: 0, action: { thread: 0, label: 0, choice: 0 } }, { index: 0, action: { thread: 0, label: 3, choice: 0 } }] };
    const rep = replay(sys, trace);
    expect(rep.violation).toBeUndefined();
    expect(rep.divergence?.step).toBe(1);
    expect(rep.divergence?.reason).toBe('p0:critical is not enabled (enabled: p0:set_turn, p1:set_flag)');
    expect(rep.states.length).toBe(2);
  });

  it('reports an initial-state index the model does not have as a divergence at step 0', () => {
    expect(replay(peterson(), { initial: 4, steps: [] }).divergence).toEqual({ step: 0, reason: 'the trace starts from initial state 4, the model has 1' });
  });

  it('finds the terminal property broken by a leaked lock, as check does, and nothing when the lock is released', () => {
    const r = check(lockOnce(true));
    expect(r.violation).toMatchObject({ kind: 'terminal', invariant: 'no_lock_held' });
    expect(replay(lockOnce(true), r.violation!.trace).violation).toMatchObject({ step: 2, kind: 'terminal' });
    expect(check(lockOnce(false)).verdict).toBe('holds');
    const clean = replay(lockOnce(false), r.violation!.trace);
    expect(clean.violation).toBeUndefined();
    expect(clean.divergence).toBeUndefined();
  });

  it('a run that holds replays its own path without violations', () => {
    const sys = lockOnce(false);
    const trace = { initial: 0, steps: [{ index: 0, action: { thread: 0, label: 0, choice: 0 } }, { index: 0, action: { thread: 0, label: 1, choice: 0 } }] };
    const rep = replay(sys, trace);
    expect(rep.states.map((s) => Array.from(s))).toEqual([[0, 0], [1, 1], [2, 0]]);
  });
});
