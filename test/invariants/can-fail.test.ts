import { describe, expect, it } from 'vitest';
import { check, type TransitionSystem } from '../../explorer/index.js';
import { invariantCatalogue, propertiesFor } from '../../invariants/zsmalloc/index.js';
import { buildMachine, toTransitionSystem } from '../../model/zsmalloc/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import type { ThreadProgram } from '../../model/zsmalloc/program.js';
import type { Design } from '../../model/zsmalloc/designs.js';
import { allScenarios, runScenario } from '../../scenarios/zsmalloc/index.js';

/**
 * Every invariant of the catalogue can fail: a hand-built corruption of a well-formed pool (or
 * a re-introduced bug) is caught, and the engine names that invariant. The pool: one 2-page
 * zspage (zspage[0] = page[0], page[1]) holding A (object 0) and B (object 1, spanning).
 */
const pool = { pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames: 3, zspageSlots: 2, handles: 2 };
const setup = [
  { kind: 'malloc', handle: 0, cls: 0, payload: 1 },
  { kind: 'malloc', handle: 1, cls: 0, payload: 2 },
] as const;

function corrupted(
  design: Design,
  threads: readonly ThreadProgram[],
  edit: (set: (field: string, v: number) => void, m: Machine, s: Int32Array) => void,
): TransitionSystem {
  const m = buildMachine({ design, pool, setup: [...setup], threads: [{ name: 'setup', ops: [] }, ...threads] });
  const sys = toTransitionSystem(m, propertiesFor);
  const s = sys.initialStates()[0];
  const set = (field: string, v: number) => {
    const i = m.f.fields.findIndex((f) => f.name === field);
    if (i < 0) throw new Error(`no field ${field}`);
    s[i] = v;
  };
  edit(set, m, s);
  return { ...sys, initialStates: () => [s.slice()] };
}

/** Puts thread `name` at step `label` with the given locals, as if it had got there. */
function at(m: Machine, set: (f: string, v: number) => void, name: string, label: string, locals: Record<string, number>): void {
  set(`${name}.pc`, m.id(label));
  for (const [k, v] of Object.entries(locals)) set(`${name}.${k}`, v);
}

function violation(sys: TransitionSystem): string | undefined {
  const r = check(sys, { strategy: 'bfs', maxStates: 100_000 });
  return r.violation?.invariant;
}

const idle: ThreadProgram[] = [];
const one = (name: string, ops: ThreadProgram['ops'] = [{ kind: 'compact' }]): ThreadProgram[] => [{ name, ops }];

const handBuilt: Record<string, () => TransitionSystem> = {
  'zspage-lock-state': () => corrupted('zpdesc', idle, (set) => set('zspage[0].zsl.cnt', 1)),
  'fullness-list-consistent': () => corrupted('zpdesc', idle, (set) => set('zspage[0].fullness', 3)),
  'class-stats': () => corrupted('zpdesc', idle, (set) => set('class[0].stats[ZS_OBJS_INUSE]', 1)),
  'zspage-objects': () => corrupted('zpdesc', idle, (set) => set('zspage[0].freeobj', 0)),
  'handle-consistency': () => corrupted('zpdesc', idle, (set) => set('handle[A].obj', 1)),
  'owner-reference': () => corrupted('memdesc', idle, (set) => set('zspage[0]._refcount', 0)),
  'refcount-exact': () => corrupted('zpdesc', idle, (set) => set('page[1]._refcount', 2)),
  'no-dangling-descriptor': () => corrupted('zpdesc', idle, (set) => {
    set('page[2].PageBuddy', 0); set('page[2]._refcount', 1); set('page[2].zspage', 1); set('zone[0].NR_ZSPAGES', 3);
  }),
  'buddy-page-clean': () => corrupted('zpdesc', idle, (set) => set('page[2]._refcount', 1)),
  'zspage-word-intact': () => corrupted('memdesc', idle, (set) => set('zspage[0].huge', 1)),
  'chain-integrity': () => corrupted('legacy', idle, (set) => set('page[1].flags.PG_private', 1)),
  'nothing-locked-at-end': () => corrupted('zpdesc', idle, (set) => set('page[1].flags.PG_locked', 1)),
  'refcount-balance': () => corrupted('zpdesc', idle, (set) => { set('page[2].PageBuddy', 0); set('page[2]._refcount', 1); }),
  'nothing-isolated-at-end': () => corrupted('memdesc', idle, (set) => set('page[1].flags.PG_movable_ops_isolated', 1)),
  'isolated-page-held': () => corrupted('zpdesc', idle, (set) => set('page[1].flags.PG_movable_ops_isolated', 1)),
  // E2: zs_free leaves an isolated zspage to putback; a stray isolated count strands it.
  'no-empty-zspage-left': () => corrupted('legacy', one('free', [{ kind: 'free', handle: 0 }, { kind: 'free', handle: 1 }]), (set) => {
    set('zspage[0].isolated', 1); set('zspage[0].list', -1); set('class[0].stats[ZS_ALMOST_EMPTY]', 0);
  }),
  'content-conservation': () => corrupted('zpdesc', one('reader', [{ kind: 'read', handle: 1 }]), (set) => set('handle[B].payload', 5)),
  'refcount-non-negative': () => corrupted('zpdesc', one('core', [{ kind: 'migrate' }]), (set, m) => {
    set('page[2].PageBuddy', 0);
    at(m, set, 'core', 'isolate_movable_ops_page:put_fail', { page: 2 });
  }),
  'page-freed-clean': () => corrupted('zpdesc', one('core', [{ kind: 'migrate' }]), (set, m) => {
    // A page that names zspage[0] but is not in its chain, put to 0 by the core.
    set('page[2].PageBuddy', 0); set('page[2]._refcount', 1); set('page[2].zspage', 0);
    at(m, set, 'core', 'isolate_movable_ops_page:put_fail', { page: 2 });
  }),
  'free-zspage-holds-chain-locks': () => corrupted('zpdesc', one('free', [{ kind: 'free', handle: 0 }]), (set, m) => {
    at(m, set, 'free', '__free_zspage:free_page', { zspage: 0, class: 0, ret: m.id('zs_free:unlock_class') });
  }),
  'movable-set-under-lock': () => corrupted('zpdesc', [...one('malloc', [{ kind: 'malloc', handle: 0, cls: 0, payload: 1 }]), ...one('other')], (set, m) => {
    set('page[1].flags.PG_locked', 3);
    at(m, set, 'malloc', 'SetZsPageMovable:trylock_page', { cursor: 1, class: 0, zspage: 0 });
  }),
  'lock-owner-unlock': () => corrupted('zpdesc', one('core', [{ kind: 'migrate' }]), (set, m) => {
    set('page[0]._refcount', 2); // the core's isolation reference
    at(m, set, 'core', 'isolate_movable_ops_page:unlock_fail', { page: 0 });
  }),
  'no-page-use-after-free': () => corrupted('zpdesc', one('free_work', [{ kind: 'async_free' }]), (set, m) => {
    at(m, set, 'free_work', 'lock_zspage:lock_page', { zspage: 0, class: 0, cursor: 2 });
  }),
  'no-zspage-use-after-free': () => corrupted('zpdesc', one('free', [{ kind: 'free', handle: 0 }]), (set, m) => {
    at(m, set, 'free', 'zs_free:obj_free', { zspage: 1, class: 0, obj: 0, handle: 0 });
  }),
};

/** Invariants shown failing by a re-introduced bug (the mutation scenario that expects them). */
const byMutation = ['handle-pin-exclusive', 'callback-page-locked', 'isolation-identity', 'shrinker-count-bounded', 'pool-use-after-destroy', 'nr-zspages-per-zone', 'lock-order', 'no-sleep-under-spinlock', 'isolated-page-held', 'guarded-by', 'list-linkage', 'movable-when-ready', 'page-type-preserved', 'get-from-zero'];

describe('every invariant can fail', () => {
  for (const [name, build] of Object.entries(handBuilt)) {
    it(`a state that breaks ${name} is reported as ${name}`, () => {
      expect(violation(build())).toBe(name);
    });
  }
  for (const name of byMutation) {
    it(`a re-introduced bug breaks ${name}`, () => {
      const s = allScenarios().find((x) => x.mutation && Object.values(x.expect).some((e) => e && 'violates' in e && e.violates === name));
      expect(s, name).toBeDefined();
      const r = runScenario(s!, s!.designs[0]);
      expect(r.result.violation?.invariant).toBe(name);
      expect(r.result.violation?.message.length).toBeGreaterThan(0);
    });
  }
  it('covers the whole catalogue', () => {
    const tested = new Set([...Object.keys(handBuilt), ...byMutation]);
    expect(invariantCatalogue.map((d) => d.name).filter((n) => !tested.has(n))).toEqual([]);
  });
  it('the unmodified pool satisfies every invariant', () => {
    expect(violation(corrupted('zpdesc', idle, () => undefined))).toBeUndefined();
    expect(violation(corrupted('legacy', idle, () => undefined))).toBeUndefined();
    expect(violation(corrupted('memdesc', idle, () => undefined))).toBeUndefined();
  });
});
