import { describe, expect, it } from 'vitest';
import type { Action, StateVector, TransitionSystem } from '../../explorer/index.js';
import { allScenarios, buildSystem } from '../../scenarios/zsmalloc/index.js';

/** A view of `s` that notes every field index read through it (independent of the model's
 *  own recorder in model/zsmalloc/footprints.ts). */
function recording(s: StateVector, into: Set<number>): StateVector {
  return new Proxy(s, {
    get(o, k) {
      if (typeof k === 'string' && /^\d+$/.test(k)) { into.add(Number(k)); return o[Number(k)]; }
      const v = Reflect.get(o, k, o);
      return typeof v === 'function' ? v.bind(o) : v;
    },
  });
}

function actionsOf(sys: TransitionSystem, s: StateVector): Action[] {
  const out: Action[] = [];
  sys.actions(s, { push: (thread, label, choice) => out.push({ thread, label, choice }) });
  return out;
}

/** The first `limit` states in BFS order, with the transitions out of them. */
function* transitions(sys: TransitionSystem, limit: number): Generator<[StateVector, Action | null, StateVector | null]> {
  const seen = new Set<string>();
  const queue = sys.initialStates();
  for (const s of queue) seen.add(JSON.stringify(Array.from(s)));
  for (let i = 0; i < queue.length && i < limit; i++) {
    const s = queue[i];
    yield [s, null, null];
    for (const a of actionsOf(sys, s)) {
      const next = Int32Array.from(s);
      let failed = false;
      sys.apply(s, a, next, { fail: () => { failed = true; } });
      if (failed) continue;
      yield [s, a, next];
      const k = JSON.stringify(Array.from(next));
      if (!seen.has(k)) { seen.add(k); queue.push(next); }
    }
  }
}

describe('zsmalloc properties declare the fields they read', () => {
  for (const scenario of allScenarios()) {
    for (const design of scenario.designs) {
      it(`${scenario.id} under ${design}: every state invariant and action property reads only its declared fields`, () => {
        const sys = buildSystem({ scenario, design });
        const props = [...sys.invariants, ...(sys.actionProperties ?? [])];
        for (const p of props) expect(p.reads, `${p.name} declares reads`).toBeDefined();
        const undeclared = new Map<string, Set<string>>();
        const note = (name: string, declared: readonly number[], got: Set<number>) => {
          const d = new Set(declared);
          for (const i of got) {
            if (d.has(i)) continue;
            if (!undeclared.has(name)) undeclared.set(name, new Set());
            undeclared.get(name)!.add(sys.fields[i].name);
          }
        };
        for (const [s, a, next] of transitions(sys, 1500)) {
          if (a === null) {
            for (const inv of sys.invariants) {
              const got = new Set<number>();
              inv.check(recording(s, got));
              note(inv.name, inv.reads!, got);
            }
            continue;
          }
          for (const p of sys.actionProperties ?? []) {
            const got = new Set<number>();
            p.check(recording(s, got), a, recording(next!, got));
            note(p.name, p.reads!, got);
          }
        }
        expect(Object.fromEntries([...undeclared].map(([k, v]) => [k, [...v].slice(0, 6)]))).toEqual({});
      }, 120_000);
    }
  }
});
