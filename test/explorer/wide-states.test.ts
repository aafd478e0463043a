import { describe, expect, it } from 'vitest';
import { check, exactSetFactory, replay, ModelError, type TransitionSystem } from '../../explorer/index.js';
import { ParentLinks, NO_PARENT } from '../../explorer/parent-links.js';
import { confirmsViolation, referenceExplore } from './reference.js';

/**
 * States with many enabled actions: the engine's buffers start at 16 actions and trace links at
 * one byte per action index, so 17, 257 and more enabled actions in one state must lose no
 * successor and no trace index.
 */

/** Level 1: `first` choices from x = 0 (x = choice + 1). Level 2: from x = `via`, `second`
 *  choices (y = choice + 1); other level-1 states are done. The invariant fails at
 *  (via, badY) when badY is given. One thread, so every choice is its own action. */
function fan(first: number, via: number, second: number, badY?: number): TransitionSystem {
  return {
    fields: [{ name: 'x', min: 0, max: first }, { name: 'y', min: 0, max: second }],
    threads: ['chooser'],
    labels: ['first', 'second'],
    initialStates: () => [new Int32Array(2)],
    actions(s, sink) {
      if (s[0] === 0) for (let c = 0; c < first; c++) sink.push(0, 0, c);
      else if (s[0] === via && s[1] === 0) for (let c = 0; c < second; c++) sink.push(0, 1, c);
    },
    apply(_s, a, next) {
      if (a.label === 0) next[0] = a.choice + 1;
      else next[1] = a.choice + 1;
    },
    threadDone: () => true,
    invariants: badY === undefined ? [] : [{
      name: 'not_target',
      description: 'the target state is never reached',
      check: (s) => (s[0] === via && s[1] === badY ? `reached (${via}, ${badY})` : null),
    }],
  };
}

describe('states with more enabled actions than the initial buffers hold', () => {
  for (const width of [17, 33, 300]) {
    for (const strategy of ['bfs', 'dfs'] as const) {
      it(`${width} enabled actions in one state give ${width} successors, all stored (${strategy})`, () => {
        const sys = fan(width, 1, width);
        const want = 1 + width + width;
        expect(referenceExplore(sys).states.size).toBe(want);
        const r = check(sys, { strategy });
        expect(r.verdict).toBe('holds');
        expect(r.stats.distinctStates).toBe(want);
        expect(r.stats.transitions).toBe(2 * width);
        expect(check(sys, { strategy, visitedSet: exactSetFactory }).stats.distinctStates).toBe(want);
      });
    }
  }

  for (const strategy of ['bfs', 'dfs'] as const) {
    it(`a violation behind choice 2 then choice 299 of 300 has the trace [2, 299] and replays (${strategy})`, () => {
      // Level 1 is recorded with one-byte indices (0..299 fit only after widening: x = 3 is
      // index 2, recorded before, and must survive the widening); level 2 needs index 299.
      const sys = fan(300, 3, 300, 300);
      const r = check(sys, { strategy });
      expect(r.verdict).toBe('violated');
      expect(r.violation!.trace.steps.map((s) => s.index)).toEqual([2, 299]);
      expect(r.violation!.trace.steps.map((s) => s.action)).toEqual([{ thread: 0, label: 0, choice: 2 }, { thread: 0, label: 1, choice: 299 }]);
      expect(confirmsViolation(sys, r.violation!)).toBe(true);
      expect(replay(sys, r.violation!.trace).violation?.invariant).toBe('not_target');
    });
  }

  it('simulation walks take any of 300 enabled actions: the one bad choice of 300 is found, trace [0, 299]', () => {
    // 1 walk in 300 hits it; 10000 walks miss it with probability e^-33.
    const sys = fan(1, 1, 300, 300);
    const r = check(sys, { strategy: 'simulate', walks: 10_000 });
    expect(r.verdict).toBe('violated');
    expect(r.violation!.trace.steps.map((s) => s.index)).toEqual([0, 299]);
    expect(replay(sys, r.violation!.trace).violation?.invariant).toBe('not_target');
  });

  it('indices recorded before the links widen keep their value: a violation at [200, 257]', () => {
    // BFS records 300 level-1 links (indices up to 299: the links widen at index 256), then the
    // path goes through index 200 (x = 201) to index 257.
    const sys = fan(300, 201, 300, 258);
    const r = check(sys);
    expect(r.violation!.trace.steps.map((s) => s.index)).toEqual([200, 257]);
  });

  it('indices below 256 recorded before the widening survive it: a violation at [255, 256]', () => {
    // Level 1 has only 256 states (indices 0..255: no widening); level 2 widens at index 256.
    const sys = fan(256, 256, 300, 257);
    const r = check(sys, { strategy: 'dfs' });
    expect(r.violation!.trace.steps.map((s) => s.index)).toEqual([255, 256]);
    const b = check(sys);
    expect(b.violation!.trace.steps.map((s) => s.index)).toEqual([255, 256]);
  });

  it('an action index above 65535 is a ModelError (a trace could not index it), 65535 is kept', () => {
    // A state with 65537 enabled actions, end to end, takes seconds under mutation testing; the
    // parent links are where the limit lives, so they are tested directly.
    const links = new ParentLinks();
    links.push(NO_PARENT, 0);
    expect(() => links.push(0, 65536)).toThrow(ModelError);
    expect(() => links.push(0, 65536)).toThrow('a state has more than 65536 enabled actions (or initial states); traces cannot index them');
    links.push(0, 65535);
    links.push(1, 255);
    expect(links.path(2)).toEqual({ initial: 0, indices: [65535, 255] });
    expect(links.size).toBe(3);
  });

  it('parent links keep one-byte indices until one needs more, then every earlier index survives', () => {
    const links = new ParentLinks();
    links.push(NO_PARENT, 3);
    for (let i = 0; i < 300; i++) links.push(i, i % 256);
    expect(links.bytes).toBe(65536 * 5);
    links.push(300, 256);
    expect(links.bytes).toBe(65536 * 6);
    expect(links.path(301)).toEqual({ initial: 3, indices: [...Array.from({ length: 300 }, (_, i) => i % 256), 256] });
    // Ids past the first chunk of 65536 links.
    for (let i = 302; i < 65536 + 10; i++) links.push(i - 1, 1);
    expect(links.bytes).toBe(2 * 65536 * 6);
    expect(links.parent(65536 + 5)).toBe(65536 + 4);
    expect(links.actionIndex(65536 + 5)).toBe(1);
  });

  it('replay finds the action a trace names among more than 16 enabled ones', () => {
    const sys = fan(40, 39, 40, 40);
    const r = check(sys);
    expect(r.violation!.trace.steps.map((s) => s.index)).toEqual([38, 39]);
    const rep = replay(sys, r.violation!.trace);
    expect(rep.states.map((s) => Array.from(s))).toEqual([[0, 0], [39, 0], [39, 40]]);
    expect(rep.violation).toEqual({ step: 2, kind: 'invariant', invariant: 'not_target', message: 'reached (39, 40)' });
  });
});
