import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, replay, type ProgressProperty, type TransitionSystem } from '../../explorer/index.js';
import { referenceExplore } from './reference.js';
import { naiveStuck } from './naive-progress.js';
import { symmetryProblem } from './symmetry-check.js';

/**
 * k identical threads around one lock (fields: pc[t], then the owner as thread + 1). pc 0 wants
 * the lock, 1 holds it, 2 is done. `clean`: a waiter is disabled while the lock is held (no
 * cycle at all). `spin`: a waiter busy-waits with a visible step that changes nothing (a
 * self-loop, fair only if the holder never runs: strong fairness excludes it). `livelock`: a
 * holder releases the lock and goes back to wanting it, for ever (no run ever finishes).
 * Progress property: the lock is free again and again.
 */
function lockers(k: number, mode: 'clean' | 'spin' | 'livelock'): TransitionSystem {
  const OWNER = k;
  return {
    fields: [...Array.from({ length: k }, (_, t) => ({ name: `pc[${t}]`, min: 0, max: 2 })), { name: 'owner', min: 0, max: k }],
    threads: Array.from({ length: k }, (_, t) => `t${t}`),
    labels: ['lock', 'spin', 'unlock'],
    initialStates: () => [new Int32Array(k + 1)],
    actions(s, sink) {
      for (let t = 0; t < k; t++) {
        if (s[t] === 0 && s[OWNER] === 0) sink.push(t, 0, 0);
        else if (s[t] === 0 && mode === 'spin') sink.push(t, 1, 0);
        else if (s[t] === 1) sink.push(t, 2, 0);
      }
    },
    apply(s, a, next) {
      const t = a.thread;
      if (a.label === 0) { next[OWNER] = t + 1; next[t] = 1; }
      if (a.label === 2) { next[OWNER] = 0; next[t] = mode === 'livelock' ? 0 : 2; }
    },
    threadDone: (s, t) => s[t] === 2,
    invariants: [],
    progressProperties: [{ name: 'lock-released', description: 'the lock is free again and again', kind: 'always-eventually', holds: (s) => s[OWNER] === 0 }],
    fairness: 'strong',
    symmetry: [{ slots: Array.from({ length: k }, (_, t) => [t]), references: [{ field: OWNER, offset: 1 }] }],
  };
}

describe('progress on the symmetry quotient', () => {
  it('the declared symmetry of the test systems is an automorphism of their graphs', () => {
    for (const mode of ['clean', 'spin', 'livelock'] as const) expect(symmetryProblem(lockers(3, mode)), mode).toBeNull();
  });

  it('a symmetric system with no loop holds with the progress pass on the quotient, which is smaller than the full graph', () => {
    const sys = lockers(4, 'clean');
    const reduced = check(sys);
    const full = check(sys, { symmetry: false });
    expect(naiveStuck(sys).size).toBe(0);
    expect(reduced.verdict).toBe('holds');
    expect(full.verdict).toBe('holds');
    expect(reduced.stats.progress).toMatchObject({ quotient: true });
    expect(full.stats.progress).toMatchObject({ quotient: false, states: referenceExplore(sys, false).states.size });
    // Orbits counted by hand, one representative each: j threads done and the rest waiting
    // (j = 0..4), or one holding the lock, j done and the rest waiting (j = 0..3).
    expect(reduced.stats.progress!.states).toBe(5 + 4);
    expect(reduced.stats.progress!.states).toBeLessThan(full.stats.progress!.states);
  });

  it('a loop the quotient cannot judge fair or not (a waiter spinning while the holder waits) is decided by the full graph: holds under strong fairness', () => {
    const sys = lockers(3, 'spin');
    const r = check(sys);
    expect(r.verdict).toBe('holds');
    expect(r.stats.progress).toMatchObject({ quotient: false, states: referenceExplore(sys, false).states.size });
    expect(check(sys, { fairness: 'none' }).verdict).toBe('violated');
  });

  it('a real livelock is reported from the full graph, with a concrete lasso that replay confirms', () => {
    const sys = lockers(3, 'livelock');
    const r = check(sys);
    expect(r.verdict).toBe('violated');
    expect(r.violation!.kind).toBe('non-progress');
    expect(naiveStuck(sys).size).toBe(referenceExplore(sys, false).states.size);
    const rep = replay(sys, r.violation!.trace);
    expect(rep.divergence).toBeUndefined();
    expect(rep.violation).toMatchObject({ kind: 'non-progress' });
  });

  it('a quotient beyond the progress graph\'s limit gives incomplete and says so', () => {
    const r = check(lockers(4, 'clean'), { maxProgressStates: 3 });
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/^safety holds; progress not checked: more than 3 states.*symmetry quotient/);
  });
});

/**
 * Random symmetric systems: k threads run the same random transition table over their own pc
 * (pc = P is done), a shared counter 0..C and a lock owner (thread + 1). Every thread reads and
 * writes the shared fields the same way, so the threads are interchangeable.
 */
interface Move { from: number; to: number; guard: 'any' | 'free' | 'mine' | 'low' | 'high'; effect: 'none' | 'inc' | 'dec' | 'take' | 'release' }
interface SymSpec { k: number; P: number; C: number; moves: Move[]; property: 'released' | 'full' | 'take-leads-to-release' }

function symmetricSystem(spec: SymSpec): TransitionSystem {
  const { k, P, C, moves } = spec;
  const CNT = k, OWNER = k + 1;
  const guard = (m: Move, s: Int32Array, t: number): boolean => {
    switch (m.guard) {
      case 'any': return true;
      case 'free': return s[OWNER] === 0;
      case 'mine': return s[OWNER] === t + 1;
      case 'low': return s[CNT] < C;
      case 'high': return s[CNT] > 0;
    }
  };
  const properties: Record<SymSpec['property'], ProgressProperty> = {
    released: { name: 'released', description: 'the lock is free again and again', kind: 'always-eventually', holds: (s) => s[OWNER] === 0 },
    full: { name: 'full', description: 'the counter reaches C', kind: 'eventually', holds: (s) => s[CNT] === C },
    'take-leads-to-release': { name: 'take-leads-to-release', description: 'a held lock is released', kind: 'leads-to', trigger: (s) => s[OWNER] !== 0, holds: (s) => s[OWNER] === 0 },
  };
  return {
    fields: [...Array.from({ length: k }, (_, t) => ({ name: `pc[${t}]`, min: 0, max: P })), { name: 'cnt', min: 0, max: C }, { name: 'owner', min: 0, max: k }],
    threads: Array.from({ length: k }, (_, t) => `t${t}`),
    labels: moves.map((_, i) => `move${i}`),
    initialStates: () => [new Int32Array(k + 2)],
    actions(s, sink) {
      for (let t = 0; t < k; t++) moves.forEach((m, i) => { if (s[t] === m.from && guard(m, s, t)) sink.push(t, i, 0); });
    },
    apply(s, a, next) {
      const t = a.thread, m = moves[a.label];
      if (m.effect === 'inc') next[CNT] = Math.min(C, s[CNT] + 1);
      if (m.effect === 'dec') next[CNT] = Math.max(0, s[CNT] - 1);
      if (m.effect === 'take') next[OWNER] = t + 1;
      if (m.effect === 'release' && s[OWNER] === t + 1) next[OWNER] = 0;
      next[t] = m.to;
    },
    threadDone: (s, t) => s[t] === P,
    invariants: [],
    progressProperties: [properties[spec.property]],
    symmetry: [{ slots: Array.from({ length: k }, (_, t) => [t]), references: [{ field: OWNER, offset: 1 }] }],
  };
}

describe('progress on the symmetry quotient against the full graph, on random symmetric systems', () => {
  it('the same verdict, kind and property with the quotient as without, under every fairness; the quotient settles some runs and hands others on', () => {
    const specArb: fc.Arbitrary<SymSpec> = fc.record({ k: fc.integer({ min: 2, max: 3 }), P: fc.integer({ min: 1, max: 4 }), C: fc.integer({ min: 1, max: 3 }) })
      .chain(({ k, P, C }) => fc.record({
        k: fc.constant(k), P: fc.constant(P), C: fc.constant(C),
        moves: fc.array(fc.record({
          from: fc.nat(P - 1), to: fc.nat(P),
          guard: fc.constantFrom('any', 'free', 'mine', 'low', 'high'),
          effect: fc.constantFrom('none', 'inc', 'dec', 'take', 'release'),
        }), { minLength: 1, maxLength: 2 * P + 1 }),
        property: fc.constantFrom('released', 'full', 'take-leads-to-release'),
      })) as fc.Arbitrary<SymSpec>;
    let settled = 0, handedOn = 0, violated = 0;
    fc.assert(fc.property(specArb, fc.constantFrom('weak', 'strong', 'none') as fc.Arbitrary<'weak' | 'strong' | 'none'>, (spec, fairness) => {
      const sys = symmetricSystem(spec);
      const reduced = check(sys, { checkDeadlock: false, fairness });
      const full = check(sys, { checkDeadlock: false, fairness, symmetry: false });
      expect(reduced.verdict).toBe(full.verdict);
      expect(reduced.violation?.kind).toBe(full.violation?.kind);
      expect(reduced.violation?.invariant).toBe(full.violation?.invariant);
      if (reduced.stats.progress?.quotient === true) settled++;
      else if (reduced.stats.progress !== undefined) handedOn++;
      if (reduced.verdict === 'violated') {
        violated++;
        expect(replay(sys, reduced.violation!.trace, { checkDeadlock: false, property: reduced.violation!.invariant, fairness }).divergence).toBeUndefined();
      }
    }), { numRuns: 400 });
    expect(settled).toBeGreaterThan(20);
    expect(handedOn).toBeGreaterThan(20);
    expect(violated).toBeGreaterThan(20);
  });
});
