import { describe, expect, it } from 'vitest';
import type { StateVector } from '../../explorer/index.js';
import { allScenarios } from '../../scenarios/zsmalloc/index.js';
import type { Scenario } from '../../scenarios/zsmalloc/types.js';
import type { Design } from '../../model/zsmalloc/designs.js';
import { buildMachine } from '../../model/zsmalloc/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import { zsmallocFootprints } from '../../model/zsmalloc/footprints.js';

function machineOf(sc: Scenario, design: Design): Machine {
  return buildMachine({
    design, pool: sc.shape, threads: sc.threads, setup: sc.setup,
    mutations: sc.mutation ? [sc.mutation] : [], protocol: sc.options ?? {}, config: sc.config,
  });
}

interface Move { readonly thread: number; readonly label: number; readonly choice: number }

function movesOf(m: Machine, s: StateVector): Move[] {
  const out: Move[] = [];
  m.actions(s, { push: (thread, label, choice) => out.push({ thread, label, choice }) });
  return out;
}

/** Thread t's enabled moves, from the step table alone (other threads are not consulted, so a
 *  state that is inconsistent elsewhere is fine). */
function threadMoves(m: Machine, s: StateVector, t: number): Move[] {
  const pc = s[m.f.tPc[t]];
  const st = m.stepTable[pc];
  if (st.enabled && !st.enabled(m, s, t)) return [];
  const n = st.choices ? st.choices(m, s, t) : 1;
  return Array.from({ length: n }, (_, choice) => ({ thread: t, label: pc, choice }));
}

/** Applies a move on a copy; null when the step reports a violation (the search stops there). */
function after(m: Machine, s: StateVector, a: Move): StateVector | null {
  const next = Int32Array.from(s);
  let failed = false;
  m.apply(s, a, next, { fail: () => { failed = true; } });
  return failed ? null : next;
}

/** Every reachable state (naive BFS on the machine itself, keyed by JSON), up to `limit`. */
function reachable(m: Machine, limit: number): StateVector[] {
  const seen = new Set<string>();
  const out: StateVector[] = [];
  const init = m.initialState();
  seen.add(JSON.stringify(Array.from(init)));
  out.push(init);
  for (let i = 0; i < out.length && out.length < limit; i++) {
    for (const a of movesOf(m, out[i])) {
      const n = after(m, out[i], a);
      if (n === null) continue;
      const k = JSON.stringify(Array.from(n));
      if (!seen.has(k)) { seen.add(k); out.push(n); }
    }
  }
  return out;
}

const missing = (have: readonly number[], need: readonly number[]): number[] => {
  const h = new Set(have);
  return need.filter((x) => !h.has(x));
};

/** Every default-suite run, on its first SMALL states in BFS order (each check below is about
 *  one state and its successors, so it holds on a prefix as on the whole). */
const SMALL = 1200;
const small: Array<[Scenario, Design]> = allScenarios().flatMap((sc) => sc.designs.map((d): [Scenario, Design] => [sc, d]));

describe('zsmalloc partial-order footprints', () => {
  it('the runs checked below cover every operation kind and every design (the whole default suite)', () => {
    const kinds = new Set(small.flatMap(([sc]) => sc.threads.flatMap((th) => th.ops.map((o) => o.kind))));
    expect([...kinds].sort()).toEqual(['async_free', 'compact', 'destroy_pool', 'free', 'malloc', 'migrate', 'read', 'shrinker_count', 'write']);
    expect(new Set(small.map(([, d]) => d))).toEqual(new Set(['legacy', 'zpdesc', 'memdesc']));
  });

  for (const [sc, design] of small) {
    it(`${sc.id} under ${design}: each step's recorded footprint lies in its thread's future footprint, and no step makes a future footprint grow`, () => {
      const m = machineOf(sc, design);
      const fp = zsmallocFootprints(m);
      const name = (i: number) => m.f.fields[i].name;
      for (const s of reachable(m, SMALL)) {
        const futures = Array.from({ length: m.T }, (_, t) => fp.futureFootprint(s, t));
        for (let t = 0; t < m.T; t++) {
          if (s[m.f.tPc[t]] === m.DONE) { expect(futures[t].writes).toEqual([]); continue; }
          const step = fp.stepFootprint(s, t);
          const label = m.labels[s[m.f.tPc[t]]];
          expect(missing(futures[t].reads, step.reads).map(name), `${m.threadNames[t]} at ${label} reads`).toEqual([]);
          expect(missing(futures[t].writes, step.writes).map(name), `${m.threadNames[t]} at ${label} writes`).toEqual([]);
        }
        for (const a of movesOf(m, s)) {
          const n = after(m, s, a);
          if (n === null) continue;
          for (let t = 0; t < m.T; t++) {
            const later = fp.futureFootprint(n, t);
            expect(missing(futures[t].reads, later.reads).map(name), `${m.threadNames[t]}'s future reads after ${m.labels[a.label]}`).toEqual([]);
            expect(missing(futures[t].writes, later.writes).map(name), `${m.threadNames[t]}'s future writes after ${m.labels[a.label]}`).toEqual([]);
          }
        }
      }
    }, 120_000);
  }

  it('a recorded step footprint is exact: changing any field it does not read changes neither the step nor where it writes', () => {
    // Independent of the recorder: run the step on perturbed copies and compare the results.
    let checked = 0;
    const problems: string[] = [];
    for (const id of ['compact-moves-read-write', 'write-vs-free-other', 'bug-a1-pin-lost', 'memdesc-unchanged-core']) {
      const sc = allScenarios().find((x) => x.id === id)!;
      const m = machineOf(sc, sc.designs[sc.designs.length - 1]);
      const fp = zsmallocFootprints(m);
      const states = reachable(m, 400);
      for (let k = 0; k < states.length; k += 7) {
        const s = states[k];
        for (let t = 0; t < m.T; t++) {
          if (s[m.f.tPc[t]] === m.DONE) continue;
          const step = fp.stepFootprint(s, t);
          const reads = new Set(step.reads);
          const writes = new Set(step.writes);
          const mine = threadMoves(m, s, t);
          const base = mine.map((a) => after(m, s, a));
          for (let i = 0; i < s.length; i++) {
            if (reads.has(i)) continue;
            const fd = m.f.fields[i];
            const v = s[i] === fd.max ? fd.min : s[i] + 1;
            const p = Int32Array.from(s);
            p[i] = v;
            const moved = threadMoves(m, p, t);
            if (JSON.stringify(moved) !== JSON.stringify(mine)) problems.push(`${m.f.fields[i].name} changes the moves of ${m.threadNames[t]}`);
            else moved.forEach((a, j) => {
              const q = after(m, p, a);
              const b = base[j];
              if ((q === null) !== (b === null)) { problems.push(`${m.f.fields[i].name} changes whether ${m.labels[a.label]} fails`); return; }
              if (q === null || b === null) return;
              for (let x = 0; x < s.length; x++) {
                const want = x === i && !writes.has(x) ? v : b[x];
                if (q[x] !== want) problems.push(`${m.f.fields[i].name} changes what ${m.labels[a.label]} leaves in ${m.f.fields[x].name}`);
                if (!writes.has(x) && b[x] !== s[x]) problems.push(`${m.labels[a.label]} writes ${m.f.fields[x].name}, outside its recorded writes`);
              }
            });
            checked++;
          }
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  }, 120_000);
});
