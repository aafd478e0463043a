import type { TransitionSystem } from '../../explorer/index.js';
import type { ScenarioLike, ScenarioSource } from '../../cli/source.js';

/**
 * A small ScenarioSource with answers known by hand, to run the commands without the zsmalloc
 * model. Threads run programs of operations on one shared counter `x`:
 * - `inc`: lock; load x; store x+1; unlock (four steps) — with mutation RACY the lock is skipped;
 * - `racy_inc`: load; store (two steps, a lost update waiting to happen);
 * - `noop`: one local step;
 * - `never`: waits for x to reach 99, which it cannot: a label that is never reached.
 * Terminal property `no-lost-update`: at the end x equals the number of increments.
 * State invariant `x-small` (design `strict` only): x stays below `limit` when the scenario sets one.
 */
export type ToyOp = 'inc' | 'racy_inc' | 'noop';

export interface ToyScenario extends ScenarioLike {
  readonly threads: readonly { name: string; ops: readonly ToyOp[] }[];
  readonly pool?: { readonly limit: number };
}

const LABELS = ['inc:lock', 'inc:load', 'inc:store', 'inc:unlock', 'noop:step', 'never:wait'];
type Micro = 0 | 1 | 2 | 3 | 4;

function micro(op: ToyOp, racy: boolean): Micro[] {
  if (op === 'noop') return [4];
  if (op === 'racy_inc' || racy) return [1, 2];
  return [0, 1, 2, 3];
}

export function toySystem(s: ToyScenario, design: string, mutations: readonly string[]): TransitionSystem {
  if (!s.designs.includes(design)) throw new Error(`${s.id} does not run under ${design}`);
  const racy = mutations.includes('RACY');
  const progs = s.threads.map((t) => t.ops.flatMap((op) => micro(op, racy)));
  const k = progs.length;
  const incs = s.threads.reduce((n, t) => n + t.ops.filter((o) => o !== 'noop').length, 0);
  const X = 0, LOCK = 1, PC = 2, TMP = 2 + k;
  const limit = s.pool?.limit;
  return {
    fields: [
      { name: 'x', min: 0, max: Math.max(incs, 1) },
      { name: 'x_lock', min: 0, max: k },
      ...progs.map((p, i) => ({ name: `${s.threads[i].name}.pc`, min: 0, max: p.length })),
      ...progs.map((_, i) => ({ name: `${s.threads[i].name}.tmp`, min: 0, max: Math.max(incs, 1) })),
    ],
    threads: s.threads.map((t) => t.name),
    labels: LABELS,
    initialStates: () => [new Int32Array(2 + 2 * k)],
    actions(st, sink) {
      for (let t = 0; t < k; t++) {
        const m = progs[t][st[PC + t]];
        if (m === undefined) continue;
        if (m === 0 && st[LOCK] !== 0) continue;
        sink.push(t, m, 0);
      }
    },
    apply(st, a, next) {
      const t = a.thread;
      switch (a.label) {
        case 0: next[LOCK] = t + 1; break;
        case 1: next[TMP + t] = st[X]; break;
        case 2: next[X] = st[TMP + t] + 1; break;
        case 3: next[LOCK] = 0; break;
        default: break;
      }
      next[PC + t] = st[PC + t] + 1;
    },
    threadDone: (st, t) => st[PC + t] === progs[t].length,
    invariants: design === 'strict' && limit !== undefined
      ? [{ name: 'x-small', description: 'x stays below the limit', check: (st) => (st[X] >= limit ? `x is ${st[X]}, limit ${limit}` : null) }]
      : [],
    terminalProperties: [{
      name: 'no-lost-update',
      description: 'every increment is counted',
      check: (st) => (st[X] !== incs ? `x is ${st[X]} after ${incs} increments` : null),
    }],
    locksHeld: (st, t) => (st[LOCK] === t + 1 ? ['x_lock'] : []),
  };
}

const two = (a: ToyOp[], b: ToyOp[]) => [{ name: 'alpha', ops: a }, { name: 'beta', ops: b }];

export const toyScenarios: readonly ToyScenario[] = [
  { id: 'locked-incs', title: 'two locked increments', description: '', designs: ['plain', 'strict'],
    threads: two(['inc'], ['inc']), expect: { plain: { holds: true }, strict: { holds: true } } },
  { id: 'racy-incs', title: 'two racy increments (a lost update)', description: '', designs: ['plain'],
    threads: two(['racy_inc'], ['racy_inc']), expect: { plain: { violates: 'no-lost-update' } } },
  { id: 'wrongly-expected', title: 'racy increments wrongly expected to hold', description: '', designs: ['plain'],
    threads: two(['noop', 'racy_inc'], ['racy_inc']), expect: { plain: { holds: true } } },
  { id: 'limit', title: 'x reaches the limit', description: '', designs: ['strict'], pool: { limit: 2 },
    threads: two(['inc'], ['inc']), expect: { strict: { violates: 'x-small' } } },
  { id: 'racy-mutation', title: 'locked increments with the lock skipped', description: '', designs: ['plain'],
    mutation: 'RACY', threads: [{ name: 'alpha', ops: ['inc'] }, { name: 'beta', ops: ['inc'] }, { name: 'gamma', ops: ['noop', 'noop'] }, { name: 'delta', ops: ['noop'] }],
    expect: { plain: { violates: 'no-lost-update' } } },
];

export function toySource(extra: readonly ToyScenario[] = []): ScenarioSource {
  const all = [...toyScenarios, ...extra];
  return {
    designs: ['plain', 'strict'],
    scenarios: () => all,
    findScenario: (id) => all.find((s) => s.id === id),
    buildSystem: (spec) => toySystem(spec.scenario as ToyScenario, spec.design, spec.mutations ?? []),
    mutations: [{ id: 'RACY', title: 'inc skips the lock', designs: ['plain'], invariant: 'no-lost-update' }],
    invariants: [
      { name: 'no-lost-update', description: 'every increment is counted (the catalogue says so)', kernelRule: 'none', designs: ['plain', 'strict'] },
      { name: 'x-small', description: 'x stays below the limit (catalogue)', kernelRule: 'none', designs: ['strict'] },
    ],
  };
}
