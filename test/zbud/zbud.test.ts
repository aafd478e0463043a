import { describe, expect, it } from 'vitest';
import { check, replay } from '../../explorer/index.js';
import { zbudInvariantDocs } from '../../invariants/zbud/index.js';
import { buildZbudMachine, zbudMutations, ZBUD_PAGE_SLOTS, type ZbudDesign } from '../../model/zbud/index.js';
import { zbudScenarios, type ZbudScenario } from '../../scenarios/zbud/index.js';
import { buildZbudScenario } from '../../scenarios/zbud/run.js';
import { A, B, C, store } from '../../scenarios/zbud/types.js';
import { itAgreesWithTheReferenceExplorer, itBreaksEveryInvariantAndMutation, itMeetsExpectations } from '../fixtures/scenario-expectations.js';

const find = (id: string): ZbudScenario => {
  const s = zbudScenarios.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
};

function run(s: ZbudScenario, d: ZbudDesign, mutations?: Parameters<typeof buildZbudScenario>[2]) {
  return check(buildZbudScenario(s, d, mutations), { maxStates: s.bounds.maxStates });
}

describe('zbud scenarios', () => {
  itMeetsExpectations(zbudScenarios, (s, d, m) => buildZbudScenario(s, d, m));

  itBreaksEveryInvariantAndMutation('zbud', zbudScenarios, zbudInvariantDocs, zbudMutations);

  itAgreesWithTheReferenceExplorer('the engine and a naive reference explorer agree on the reachable states of every zbud scenario', zbudScenarios, (s, d) => buildZbudScenario(s, d));
});

describe('zbud pool mechanics (hand-counted)', () => {
  it('zbud_alloc best-fits into unbuddied pages: A(3) and B(3) take a page each, C(1) becomes page[0]\'s last buddy', () => {
    const m = buildZbudMachine({ design: 'zbud-inline', pool: { pages: 3, entries: 3 }, threads: [{ name: 't', ops: [] }] });
    const s = m.initialState([store(A, 3), store(B, 3), store(C, 1)]);
    expect([s[m.pChunks[0][0]], s[m.pChunks[0][1]], s[m.pChunks[1][0]], s[m.pChunks[1][1]]]).toEqual([3, 1, 3, 0]);
    expect(s[m.pBuddy[2]]).toBe(1);
    expect(s[m.pagesNr]).toBe(2);
    // Handles are addresses: page[0].FIRST = 1, page[1].FIRST = 3, page[0].LAST = 2.
    expect([A, B, C].map((e) => s[m.eHandle[e]])).toEqual([1, 3, 2]);
  });

  it('zbud-indirect handles are words that hold the address; relocation is the only writer besides alloc/free', () => {
    const m = buildZbudMachine({ design: 'zbud-indirect', pool: { pages: 2, entries: 3 }, threads: [{ name: 't', ops: [] }] });
    const s = m.initialState([store(A, 3), store(B, 3), store(C, 1)]);
    expect([A, B, C].map((e) => s[m.eHandle[e]])).toEqual([1, 2, 3]);
    expect([A, B, C].map((e) => m.resolve(s, s[m.eHandle[e]]))).toEqual([1, 3, 2]);
  });

  it('relocation in zbud-relocate-vs-load has exactly one move (C to page[1]) and its trace is that one step', () => {
    const r = run(find('zbud-relocate-vs-load'), 'zbud-inline');
    expect(r.violation!.trace.steps).toHaveLength(1);
    const sys = buildZbudScenario(find('zbud-relocate-vs-load'), 'zbud-inline');
    expect(sys.labels[r.violation!.trace.steps[0].action.label]).toBe('zbud_relocate:move');
    let moves = 0;
    sys.actions(sys.initialStates()[0], { push: (t, l) => { if (sys.labels[l] === 'zbud_relocate:move' && t === 0) moves++; } });
    expect(moves).toBe(1);
  });

  it('the walker is misled by zbud_page-2013 (compound_head) and counts-in-mapping (mapping), not by lru-private', () => {
    expect(ZBUD_PAGE_SLOTS['zbud_page-2013'].counts).toBe('compound_head');
    expect(run(find('zbud-walker'), 'zbud-page').violation?.message).toMatch(/compound_head = 0x1: bit 0 set, PageTail\(\)/);
    expect(run(find('zbud-walker-counts-in-mapping'), 'zbud-page').violation?.message).toMatch(/mapping = 0x2: PAGE_MAPPING_MOVABLE/);
    expect(run(find('zbud-walker-lru-private'), 'zbud-page').verdict).toBe('holds');
  });

  it('zbud-page names its fields after the struct page slot that holds them', () => {
    const sys = buildZbudScenario(find('zbud-walker'), 'zbud-page');
    expect(sys.fields.map((f) => f.name)).toContain('page[0].compound_head(first_chunks)');
    const inline = buildZbudScenario(find('zbud-walker'), 'zbud-inline');
    expect(inline.fields.map((f) => f.name)).toContain('page[0].zhdr.first_chunks');
  });

  it('a pool shape or op the model cannot run is rejected with a one-line reason', () => {
    expect(() => buildZbudMachine({ design: 'zbud-inline', pool: { pages: 0, entries: 1 }, threads: [] })).toThrow(/^zbud pool: pool.pages must be an integer in 1..8, got 0$/);
    expect(() => buildZbudMachine({ design: 'zbud-inline', pool: { pages: 1, entries: 1 }, threads: [{ name: 't', ops: [store(2, 1)] }] })).toThrow(/names entry 2, the pool has 1/);
    expect(() => buildZbudMachine({ design: 'zbud-inline', pool: { pages: 1, entries: 1 }, threads: [{ name: 't', ops: [store(0, 4)] }] })).toThrow(/chunks must be 1..3, got 4/);
  });
});
