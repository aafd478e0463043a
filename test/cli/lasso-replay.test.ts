import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { ScenarioLike, ScenarioSource } from '../../cli/source.js';
import { flagWaiter, lockedSpinner } from '../fixtures/spinners.js';
import { capture } from './capture.js';

const scratch = mkdtempSync(join(tmpdir(), 'lasso-replay-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Two toy systems with answers known by hand (test/fixtures/spinners.ts): a spinner that holds
 *  the lock its setter needs (a livelock: non-progress), and a waiter whose flag is set only if
 *  the scheduler lets the setter run (holds under fairness, broken without it). */
const toys: readonly ScenarioLike[] = [
  { id: 'livelock', title: 'spinner holds the lock the setter needs', description: '', designs: ['toy'], threads: [{ name: 'spinner', ops: [] }, { name: 'setter', ops: [] }], expect: { toy: { violates: 'non-progress' } } },
  { id: 'livelock-fixed', title: 'spinner drops the lock while it relaxes', description: '', designs: ['toy'], threads: [{ name: 'spinner', ops: [] }, { name: 'setter', ops: [] }], expect: { toy: { holds: true } } },
  { id: 'flag', title: 'waiter spins on a flag the setter sets', description: '', designs: ['toy'], threads: [{ name: 'waiter', ops: [] }, { name: 'setter', ops: [] }], expect: { toy: { holds: true } } },
];
const source: ScenarioSource = {
  designs: ['toy'],
  scenarios: () => toys,
  findScenario: (id) => toys.find((s) => s.id === id),
  buildSystem: ({ scenario }) => (scenario.id === 'flag' ? flagWaiter() : lockedSpinner({ fixed: scenario.id === 'livelock-fixed' })),
  mutations: [],
  invariants: [],
};
const toy = (...argv: string[]) => capture(() => main(argv, source));
const real = (...argv: string[]) => capture(() => main(argv));

interface LassoDoc { loop?: number; steps: { thread: string; label: string }[]; violation: { kind: string; invariant: string; step: number }; options: Record<string, unknown> }
const load = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as LassoDoc;

describe('memdesc-mc replay confirms the loop of a lasso trace file', () => {
  it('a livelocked toy system: check writes a non-progress lasso (prefix, then the cycle), replay confirms it (exit 1) and marks the cycle; a loop start that does not close diverges (exit 3)', async () => {
    const file = join(scratch, 'livelock.json');
    const c = await toy('check', 'livelock', '--trace', file, '--no-color');
    expect(c.code).toBe(0);
    const doc = load(file);
    expect(doc.violation).toMatchObject({ kind: 'non-progress', invariant: 'non-progress', step: 3 });
    expect(doc.loop).toBe(1);
    expect(doc.steps.map((s) => s.label)).toEqual(['spinner:lock', 'spinner:check', 'spinner:relax']);
    const r = await toy('replay', file, '--no-color');
    expect(r.code).toBe(1);
    expect(r.out).toContain('↻ loop: steps 2–3 repeat for ever');
    expect(r.out).toContain('replayed: the same violation of non-progress at step 3');
    const open = join(scratch, 'livelock-open.json');
    writeFileSync(open, JSON.stringify({ ...doc, loop: 0 }));
    const d = await toy('replay', open, '--no-color');
    expect(d.code).toBe(3);
    expect(d.out).toMatch(/replay diverges: .*the loop does not close/);
    // The fixed spinner drops the lock while it relaxes: no loop, the scenario holds.
    expect((await toy('check', 'livelock-fixed', '--no-color')).code).toBe(0);
  });

  it('a fairness-dependent property: the flag is eventually set with fairness (holds), not without it (a liveness lasso that replays only without fairness)', async () => {
    const fair = await toy('check', 'flag', '--no-color');
    expect(fair.code).toBe(0);
    expect(fair.out).toMatch(/\bholds\b/);
    const file = join(scratch, 'flag.json');
    const unfair = await toy('check', 'flag', '--fairness', 'none', '--trace', file, '--no-color');
    expect(unfair.code).toBe(1);
    const doc = load(file);
    expect(doc.violation).toMatchObject({ kind: 'liveness', invariant: 'flag-eventually-set' });
    expect(doc.options.fairness).toBe('none');
    const r = await toy('replay', file, '--no-color');
    expect(r.code).toBe(1);
    expect(r.out).toContain('replayed: the same violation of flag-eventually-set');
    // The same lasso under the model's fairness is a run no fair scheduler makes.
    const fairFile = join(scratch, 'flag-fair.json');
    writeFileSync(fairFile, JSON.stringify({ ...doc, options: { ...doc.options, fairness: 'strong' } }));
    const d = await toy('replay', fairFile, '--no-color');
    expect(d.code).toBe(3);
    expect(d.out).toMatch(/unfair to setter/);
  });

  it('N1, the legacy compactor that keeps class->lock: check writes a non-progress lasso whose cycle is the compactor alone, replay confirms it, save keeps it as a regression that check --regressions meets', async () => {
    const file = join(scratch, 'n1.json');
    const c = await real('check', 'bug-n1-compactor-spins', '--trace', file, '--no-color');
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/bug-n1-compactor-spins \+N1\s+legacy\s+violates non-progress.*\bok$/m);
    const doc = load(file);
    expect(doc.violation).toMatchObject({ kind: 'non-progress', invariant: 'non-progress' });
    expect(doc.loop).toBeGreaterThan(0);
    expect(doc.loop).toBeLessThan(doc.steps.length);
    const prefix = doc.steps.slice(0, doc.loop);
    const cycle = doc.steps.slice(doc.loop);
    // zs_free has pinned A before the loop and never steps in it; the compactor goes round
    // isolate, find_alloced_obj (its trypin of A fails), putback, and back without unlocking.
    expect(prefix.map((s) => `${s.thread} ${s.label}`)).toContain('free zs_free:pin_tag');
    expect(cycle.every((s) => s.thread === 'compact')).toBe(true);
    expect(cycle.map((s) => s.label).sort()).toEqual(['__zs_compact:check_dst', '__zs_compact:isolate_zspages', '__zs_compact:putback_src', 'migrate_zspage:find_alloced_obj']);
    const r = await real('replay', file, '--no-color');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/↻ loop: steps \d+–\d+ repeat for ever/);
    expect(r.out).toContain('[mutated by N1]');
    expect(r.out).toContain(`replayed: the same violation of non-progress at step ${doc.violation.step}`);
    const json = await real('replay', file, '--json');
    expect(JSON.parse(json.out)).toMatchObject({ reproduced: true, invariant: 'non-progress', step: doc.violation.step });

    const dir = join(scratch, 'regressions');
    const s = await real('save', file, '--name', 'compactor-spins', '--dir', dir);
    expect(s.code, s.err).toBe(0);
    expect(s.out).toContain('expects non-progress');
    const again = await real('check', '--regressions', dir, '--json');
    expect(again.code, again.err).toBe(0);
    const runs = JSON.parse(again.out).runs as { scenario: string; verdict: string; met: boolean }[];
    expect(runs).toEqual([expect.objectContaining({ scenario: 'compactor-spins', verdict: 'violated', met: true })]);
  }, 60_000);
});
