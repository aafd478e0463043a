import { describe, expect, it } from 'vitest';
import type { Design } from '../../model/designs.js';
import { hdrAllocated } from '../../model/zsmalloc/machine.js';
import { invariantCatalogue, findInvariant, propertiesFor } from '../../invariants/zsmalloc/index.js';
import { describedBy } from '../../invariants/zsmalloc/helpers.js';
import { poolState, idleThread, type PoolState } from './pool.js';

/**
 * The exemptions of the zspage invariants are as narrow as the kernel rule: a zspage is skipped
 * only while a thread is building it (alloc_zspage: alloc_page / init_zspage / undo, before
 * create_page_chain completes) or tearing it down (__free_zspage, which frees the chain page by
 * page). A thread that merely holds the zspage at any other step (zs_free, migration, the
 * free_zspage that has not reached __free_zspage yet) exempts nothing, and a thread tearing
 * down one zspage exempts no other.
 */

const all: readonly Design[] = ['legacy', 'zpdesc', 'memdesc'];

/** One corruption of zspage[0] per invariant that uses the exemption, and what it reports. */
const corruption: Record<string, { edit: (p: PoolState, d: Design) => void; want: (d: Design) => string }> = {
  'zspage-objects': { edit: (p) => p.set('zspage[0].inuse', 1), want: () => 'zspage[0] has inuse 1 but 2 allocated object headers' },
  'chain-integrity': { edit: (p) => p.set('page[1].flags.PG_private', 1), want: () => 'page[1] of zspage[0] is not first but has PG_private' },
  'owner-reference': {
    edit: (p, d) => p.set(d === 'memdesc' ? 'zspage[0]._refcount' : 'page[1]._refcount', 0),
    want: (d) => (d === 'memdesc' ? 'zspage[0] is live but its _refcount is 0' : 'page[1] of zspage[0] has _refcount 0'),
  },
  'zspage-word-intact': {
    edit: (p) => p.set('zspage[0].huge', 1),
    want: () => 'zspage[0].huge is 1 but class[0] is not huge: a PG_locked store through struct page offset 0 hit the bitfield word',
  },
  'handle-consistency': {
    edit: (p) => p.set('page[1].obj_header[1]', hdrAllocated(3)),
    want: () => 'object 2 of zspage[0] is tagged allocated for handle[D], which is not live',
  },
};

/** Steps during which the zspage's chain is legitimately incomplete. */
const building = ['alloc_zspage:alloc_page', 'alloc_zspage:init_zspage', 'alloc_zspage:undo'];
const tearingDown = (d: Design) => ['__free_zspage:free_page', '__free_zspage:cache_free_zspage', ...(d === 'memdesc' ? ['__free_zspage:unlock_zspage'] : [])];
/** Steps at which a thread holds the zspage in its locals but the zspage must be whole. */
const holding = ['alloc_zspage:cache_alloc_zspage', 'free_zspage:remove_zspage', 'zs_free:obj_free', 'zs_free:unlock_class',
  'zs_page_migrate:copy_objects', 'zs_page_migrate:replace_sub_page', 'async_free_zspage:free', 'migrate_zspage:move_object'];

function corrupted(name: string, d: Design): PoolState {
  const p = poolState(d, [idleThread('t1'), idleThread('t2')]);
  expect(p.check(name), 'the unmodified pool').toBeNull();
  corruption[name].edit(p, d);
  expect(p.check(name), 'the corrupted pool with idle threads').toBe(corruption[name].want(d));
  return p;
}

for (const name of Object.keys(corruption)) {
  describe(`${name}: exemptions as narrow as the kernel rule`, () => {
    for (const d of all) {
      it(`a thread building or tearing down zspage[0] exempts it (${d})`, () => {
        for (const label of [...building, ...tearingDown(d)]) {
          const p = corrupted(name, d);
          p.at('t1', label, { zspage: 0 });
          expect(p.check(name), label).toBeNull();
        }
      });

      it(`a thread holding zspage[0] at a step that is not building or freeing it does not exempt it (${d})`, () => {
        for (const label of holding) {
          const p = corrupted(name, d);
          p.at('t1', label, { zspage: 0 });
          expect(p.check(name), label).toBe(corruption[name].want(d));
        }
      });

      it(`at every step of the design a thread holding zspage[0] exempts it exactly at the building and tearing-down steps (${d})`, () => {
        const exempt = new Set([...building, ...tearingDown(d)]);
        const labels = poolState(d).m.labels;
        expect(labels.filter((l) => exempt.has(l)).sort(), 'every exempting step exists in the design').toEqual([...exempt].sort());
        for (const label of labels) {
          const p = corrupted(name, d);
          p.at('t2', label, { zspage: 0 });
          expect(p.check(name), label).toBe(exempt.has(label) ? null : corruption[name].want(d));
        }
      });

      it(`a thread tearing down another zspage does not exempt zspage[0] (${d})`, () => {
        for (const label of [...building, ...tearingDown(d)]) {
          const p = corrupted(name, d);
          p.at('t1', label, { zspage: 1 });
          expect(p.check(name), label).toBe(corruption[name].want(d));
        }
      });

      it(`any thread suffices: t2 freeing zspage[0] exempts it while t1 merely holds it (${d})`, () => {
        const p = corrupted(name, d);
        p.at('t1', 'zs_free:obj_free', { zspage: 0 });
        p.at('t2', '__free_zspage:free_page', { zspage: 0 });
        expect(p.check(name)).toBeNull();
        const q = corrupted(name, d);
        q.at('t1', '__free_zspage:free_page', { zspage: 1 });
        q.at('t2', 'zs_free:obj_free', { zspage: 0 });
        expect(q.check(name)).toBe(corruption[name].want(d));
      });

      it(`a finished thread whose zspage local was left set exempts nothing (${d})`, () => {
        const p = corrupted(name, d);
        p.set('t1.pc', p.m.DONE);
        p.set('t1.zspage', 0);
        expect(p.check(name)).toBe(corruption[name].want(d));
      });
    }
  });
}

describe('the catalogue and the properties of a design', () => {
  for (const d of all) {
    it(`propertiesFor gives exactly the catalogue's state invariants and terminal properties for ${d}`, () => {
      const p = poolState(d);
      const props = propertiesFor(p.m);
      const want = (kind: string) => invariantCatalogue.filter((e) => e.kind === kind && e.designs.includes(d)).map((e) => e.name).sort();
      expect(props.invariants.map((i) => i.name).sort()).toEqual(want('state'));
      expect((props.terminalProperties ?? []).map((i) => i.name).sort()).toEqual(want('terminal'));
      for (const i of [...props.invariants, ...(props.terminalProperties ?? [])]) {
        expect(i.description).toBe(findInvariant(i.name)!.description);
      }
    });
  }

  for (const d of all) {
    it(`every state invariant and action property declares its reads as field indices of the machine, each once, ascending (${d})`, () => {
      const p = poolState(d);
      const props = propertiesFor(p.m);
      for (const prop of [...props.invariants, ...(props.actionProperties ?? [])]) {
        const reads = prop.reads;
        expect(reads, `${prop.name} declares reads`).toBeDefined();
        expect(reads!.length, prop.name).toBeGreaterThan(0);
        for (const i of reads!) expect(Number.isInteger(i) && i >= 0 && i < p.m.f.fields.length, `${prop.name} reads field ${i}`).toBe(true);
        for (let k = 1; k < reads!.length; k++) expect(reads![k], `${prop.name} reads ${reads!.join(',')}`).toBeGreaterThan(reads![k - 1]);
      }
    });
  }

  it('catalogue names are unique and each entry names a kernel rule', () => {
    const names = invariantCatalogue.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of invariantCatalogue) {
      expect(e.kernelRule.length, e.name).toBeGreaterThan(10);
      expect(e.description.length, e.name).toBeGreaterThan(10);
      expect(e.description.includes('\n'), e.name).toBe(false);
      expect(e.designs.length, e.name).toBeGreaterThan(0);
      expect(e.designs.filter((d) => !all.includes(d)), e.name).toEqual([]);
      expect(['state', 'step', 'terminal'], e.name).toContain(e.kind);
    }
  });

  it('an unknown invariant name is not found, and a property without a catalogue entry is refused', () => {
    expect(findInvariant('no-such-invariant')).toBeUndefined();
    expect(() => describedBy(invariantCatalogue, 'no-such-invariant')).toThrow('invariant no-such-invariant has no catalogue entry');
    expect(describedBy(invariantCatalogue, 'class-stats')).toBe(findInvariant('class-stats')!.description);
  });
});
