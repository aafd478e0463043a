import { describe, expect, it } from 'vitest';
import { check, type ActionProperty, type TransitionSystem } from '../../explorer/index.js';

/**
 * Exactly 32 action properties with `changes`: the most the search's one-number due mask holds
 * (property 31 on the sign bit). Counted against the model's own moves: which fields each move
 * writes is known by construction.
 */

/** Two 4-bit fields; move c, enabled only in the initial state, adds 1 to the fields in `writes[c]`. */
function twoFields(writes: number[][], props: ActionProperty[]): TransitionSystem {
  return {
    fields: [{ name: 'x0', min: 0, max: 15 }, { name: 'x1', min: 0, max: 15 }],
    threads: ['t'],
    labels: ['move'],
    initialStates: () => [new Int32Array(2)],
    actions(s, sink) { if (s[0] === 0 && s[1] === 0) writes.forEach((_, c) => sink.push(0, 0, c)); },
    apply(_s, a, next) { for (const f of writes[a.choice]) next[f] += 1; },
    threadDone: () => true,
    invariants: [],
    actionProperties: props,
  };
}

const writes = [[0], [1], [0, 1]];
const opts = { checkDeadlock: false, checkProgress: false } as const;

describe('32 action properties with changes (the full due mask)', () => {
  it('each of 32 properties about x0 is checked on the 2 moves that write x0, and no other check runs', () => {
    const calls = new Array<number>(32).fill(0);
    const props: ActionProperty[] = calls.map((_, i) => ({ name: `p${i}`, description: 'counts its checks', changes: [0], check: () => { calls[i]++; return null; } }));
    const r = check(twoFields(writes, props), opts);
    expect(r.verdict).toBe('holds');
    expect(r.stats.distinctStates).toBe(1 + writes.length);
    expect(calls).toEqual(new Array<number>(32).fill(writes.filter((w) => w.includes(0)).length));
  });

  it('the 32nd property (the mask\'s sign bit), about x1, is found failing on a move that writes x1', () => {
    const props: ActionProperty[] = Array.from({ length: 32 }, (_, i) => ({
      name: `p${i}`, description: i === 31 ? 'x1 never changes' : 'never fails', changes: [i === 31 ? 1 : 0],
      check: (before, _a, after) => (i === 31 && before[1] !== after[1] ? 'x1 changed' : null),
    }));
    const r = check(twoFields(writes, props), opts);
    expect(r.verdict).toBe('violated');
    expect(r.violation!.invariant).toBe('p31');
  });
});
