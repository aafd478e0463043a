import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, replay } from '../../explorer/index.js';
import { buddyInvariantDocs, buddyStateInvariants } from '../../invariants/buddy/index.js';
import { buddyMutations, buildBuddyMachine, OWNER_FREE, type BuddyDesign, type BuddyOp } from '../../model/buddy/index.js';
import { buddyScenarios, type BuddyScenario } from '../../scenarios/buddy/index.js';
import { buildBuddyScenario } from '../../scenarios/buddy/run.js';
import { allBuddyDesigns } from '../../scenarios/buddy/types.js';
import { itAgreesWithTheReferenceExplorer, itBreaksEveryInvariantAndMutation, itMeetsExpectations } from '../fixtures/scenario-expectations.js';

function run(s: BuddyScenario, d: BuddyDesign, mutations?: Parameters<typeof buildBuddyScenario>[2]) {
  return check(buildBuddyScenario(s, d, mutations), { maxStates: s.bounds.maxStates });
}

describe('buddy allocator scenarios', () => {
  itMeetsExpectations(buddyScenarios, (s, d, m) => buildBuddyScenario(s, d, m));

  it('the in-page layout is the only one broken by free page reporting, init_on_free, the s390 host discarding a listed free page and a speculative pfn walker', () => {
    for (const id of ['buddy-reporting-neighbours', 'buddy-init-on-free', 'buddy-s390-cmma-discard', 'buddy-pfn-walker']) {
      const s = buddyScenarios.find((x) => x.id === id)!;
      const verdicts = allBuddyDesigns.map((d) => run(s, d).verdict);
      expect(verdicts, id).toEqual(['holds', 'violated', 'holds']);
    }
  });

  itBreaksEveryInvariantAndMutation('buddy', buddyScenarios, buddyInvariantDocs, buddyMutations);

  itAgreesWithTheReferenceExplorer('the engine and a naive reference explorer agree on every buddy scenario', buddyScenarios, (s, d) => buildBuddyScenario(s, d));
});

/**
 * A naive buddy allocator as the independent reference: a set of free blocks [pfn, order];
 * free merges with pfn ^ (1 << order) while that exact block is free; alloc takes the
 * lowest-order block that fits, the most recently freed one first (list_add at the head), and
 * splits off the upper halves.
 */
class NaiveBuddy {
  free: Array<[number, number]> = [];
  constructor(readonly maxOrder: number) {}
  release(pfn: number, order: number): void {
    while (order < this.maxOrder) {
      const buddy = pfn ^ (1 << order);
      const i = this.free.findIndex(([p, o]) => p === buddy && o === order);
      if (i < 0) break;
      this.free.splice(i, 1);
      pfn &= buddy;
      order++;
    }
    this.free.unshift([pfn, order]);
  }
  take(order: number): number {
    for (let o = order; o <= this.maxOrder; o++) {
      const i = this.free.findIndex(([, x]) => x === o);
      if (i < 0) continue;
      const [p] = this.free.splice(i, 1)[0];
      for (let high = o; high > order; high--) this.free.unshift([p + (1 << (high - 1)), high - 1]);
      return p;
    }
    return -1;
  }
  blocks(): string[] { return this.free.map(([p, o]) => `${p}/${o}`).sort(); }
}

describe('buddy allocator mechanics against a naive buddy allocator', () => {
  it('any single-threaded sequence of frees and allocations leaves the same free blocks in every layout, with intact lists', () => {
    const N = 8;
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(7), fc.nat(2)), { maxLength: 14 }), (raw) => {
      // Build a valid op sequence: free only what is allocated (block-aligned), alloc any order.
      const naive = new NaiveBuddy(3);
      const allocated = new Set(Array.from({ length: N }, (_, p) => p));
      const ops: BuddyOp[] = [];
      for (const [isFree, pfn, order] of raw) {
        if (isFree) {
          const base = pfn - (pfn % (1 << order));
          if (base + (1 << order) > N) continue;
          const pages = Array.from({ length: 1 << order }, (_, i) => base + i);
          if (!pages.every((p) => allocated.has(p))) continue;
          pages.forEach((p) => allocated.delete(p));
          naive.release(base, order);
          ops.push({ kind: 'free', pfn: base, order });
        } else {
          const p = naive.take(order);
          if (p >= 0) for (let i = 0; i < 1 << order; i++) allocated.add(p + i);
          ops.push({ kind: 'alloc', order });
        }
      }
      for (const design of allBuddyDesigns) {
        const m = buildBuddyMachine({ design, zone: { pages: N }, threads: [{ name: 't', ops: [] }], setup: ops });
        const s = m.initialState(ops);
        const blocks = Array.from({ length: N }, (_, p) => p).filter((p) => s[m.block[p]] >= 0).map((p) => `${p}/${s[m.block[p]]}`).sort();
        expect(blocks, design).toEqual(naive.blocks());
        for (let p = 0; p < N; p++) expect(s[m.owner[p]] === OWNER_FREE, `${design} page[${p}]`).toBe(!allocated.has(p));
        for (const inv of buddyStateInvariants(m)) expect(inv.check(s), `${design} ${inv.name}`).toBeNull();
      }
    }), { numRuns: 60 });
  });

  it('the in-page layout\'s list_del leaves LIST_POISON1 in the page it hands out', () => {
    const r = run(buddyScenarios.find((x) => x.id === 'buddy-init-on-free')!, 'buddy-in-page');
    expect(r.violation!.message).toBe('post_alloc_hook skips zeroing page[0] (init_on_free), but its memory holds mem.next = LIST_POISON1');
  });

  it('a zone or op the model cannot run is rejected with a one-line reason', () => {
    expect(() => buildBuddyMachine({ design: 'buddy-in-page', zone: { pages: 3 }, threads: [] })).toThrow(/^buddy zone: zone.pages must be 2, 4 or 8, got 3$/);
    expect(() => buildBuddyMachine({ design: 'buddy-in-page', zone: { pages: 4 }, threads: [{ name: 't', ops: [{ kind: 'free', pfn: 1, order: 1 }] }] })).toThrow(/not an aligned block/);
  });
});
