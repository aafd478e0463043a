import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { runsExitCode, type FinishedRun } from '../../cli/runs.js';
import { summaryLines } from '../../cli/check-view.js';
import { parseTraceFile } from '../../report/trace-file.js';
import { capture } from './capture.js';
import { toySource } from './toy-source.js';

const scratch = mkdtempSync(join(tmpdir(), 'check-cmd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = (...argv: string[]) => capture(() => main(argv, toySource()));

function expectOneLineError(r: { code: number; out: string; err: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(pattern);
}

describe('memdesc-mc check on a toy source', () => {
  it('a scenario that holds where expected exits 0 with one row per design', async () => {
    const r = await run('check', 'locked-incs', '--no-color');
    expect(r.code).toBe(0);
    const rows = r.out.split('\n').filter((l) => l.startsWith('locked-incs'));
    expect(rows.map((l) => l.split(/\s+/)[1])).toEqual(['plain', 'strict']);
    expect(rows.every((l) => /\bholds\b/.test(l) && /\bok$/.test(l))).toBe(true);
  });

  it('counts match the hand-computed state space of two locked increments', async () => {
    // Each thread: lock, load, store, unlock. The lock serialises them, so the space is two
    // chains of 8 steps from the initial state (alpha first, or beta first); the chains never
    // meet, because each thread's tmp remembers what it loaded (0 first, 1 second).
    // 1 + 8 + 8 = 17 states, 16 transitions, depth 8.
    const r = await run('check', 'locked-incs', '--design', 'plain', '--json');
    const doc = JSON.parse(r.out);
    expect(doc.runs[0].stats.distinctStates).toBe(17);
    expect(doc.runs[0].stats.transitions).toBe(16);
    expect(doc.runs[0].stats.maxDepth).toBe(8);
  });

  it('an expected violation is met (exit 0) and prints no trace', async () => {
    const r = await run('check', 'racy-incs', '--no-color');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/racy-incs\s+plain\s+violates no-lost-update/);
    expect(r.out).not.toContain('Counterexample');
  });

  it('an unexpected violation exits 1 and prints the shortest trace with the catalogue description', async () => {
    const r = await run('check', 'wrongly-expected', '--no-color');
    expect(r.code).toBe(1);
    expect(r.out).toContain('UNEXPECTED (expected holds)');
    expect(r.out).toContain('Counterexample: wrongly-expected (plain), 5 steps');
    // Five numbered steps, the last one breaking the terminal property.
    const numbered = r.out.split('\n').filter((l) => /^\s+\d+\s{2}\S+:\S+/.test(l));
    expect(numbered.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([1, 2, 3, 4, 5]);
    expect(r.out).toContain('✗ no-lost-update broken at step 5: x is 1 after 2 increments');
    expect(r.out).toContain('every increment is counted (the catalogue says so)');
    expect(r.out).not.toContain('\x1b[');
  });

  it('--json carries the counterexample of an unexpected violation in the trace file format', async () => {
    const r = await run('check', 'wrongly-expected', 'racy-incs', '--json');
    const doc = JSON.parse(r.out);
    expect(doc.runs[0].trace).toMatchObject({ format: 'memdesc-mc-trace/1', scenario: 'wrongly-expected', violation: { invariant: 'no-lost-update', step: 5 } });
    expect(doc.runs[0].trace.steps).toHaveLength(5);
    // An expected violation is not repeated in full. Two racy increments lose an update in
    // four steps: load, load, store, store.
    expect(doc.runs[1].met).toBe(true);
    expect(doc.runs[1].trace).toBeUndefined();
    expect(doc.runs[1].violation).toMatchObject({ invariant: 'no-lost-update', steps: 4 });
  });

  it('--mutation alone runs only the mutation\'s own scenario, with its expectation, and shows its trace (exit 0)', async () => {
    const r = await run('check', '--mutation', 'RACY', '--json');
    const doc = JSON.parse(r.out);
    expect(r.code).toBe(0);
    expect(doc.runs).toHaveLength(1);
    expect(doc.runs[0]).toMatchObject({ scenario: 'racy-mutation', design: 'plain', mutations: ['RACY'], verdict: 'violated', met: true, expected: { violates: 'no-lost-update' } });
    const t = await run('check', '--mutation', 'RACY', '--no-color');
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^racy-mutation \+RACY\s+plain\s+violates no-lost-update .* ok$/m);
    expect(t.out).toContain('Counterexample: racy-mutation (plain, mutation RACY)');
  });

  it('--mutation on a scenario that is not its own applies it alone and reports a finding, not UNEXPECTED (exit 0)', async () => {
    const r = await run('check', 'locked-incs', '--mutation', 'RACY', '--json');
    const doc = JSON.parse(r.out);
    expect(r.code).toBe(0);
    expect(doc.runs).toHaveLength(1);
    expect(doc.runs[0]).toMatchObject({ design: 'plain', mutations: ['RACY'], verdict: 'violated', met: true, expected: { findings: true } });
    const t = await run('check', '--mutation', 'RACY', '--all-scenarios', '--no-color');
    expect(t.code).toBe(0);
    expect(t.out).not.toContain('UNEXPECTED');
    expect(t.out).toMatch(/^Findings \(\d+\)/m);
    expect(t.out).toMatch(/^locked-incs \+RACY\s+plain\s+violates no-lost-update .* finding$/m);
    // Findings' traces only on request.
    expect(t.out).not.toContain('Counterexample: locked-incs');
    const shown = await run('check', '--mutation', 'RACY', '--all-scenarios', '--show-trace', '--no-color');
    expect(shown.out).toContain('Counterexample: locked-incs (plain, mutation RACY)');
    expectOneLineError(await run('check', '--all-scenarios'), /--all-scenarios needs --mutation/);
  });

  it('--show-trace prints the trace of an expected violation too', async () => {
    const plain = await run('check', 'racy-incs', '--no-color');
    expect(plain.code).toBe(0);
    expect(plain.out).not.toContain('Counterexample:');
    const shown = await run('check', 'racy-incs', '--show-trace', '--no-color');
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('Counterexample: racy-incs (plain), 4 steps');
    expect(shown.out).toContain('✗ no-lost-update broken at step 4');
  });

  it('--max-states makes a run incomplete: exit 4, not the exit 1 of a violation', async () => {
    const r = await run('check', 'locked-incs', '--design', 'plain', '--max-states', '3', '--json');
    expect(r.code).toBe(4);
    expect(JSON.parse(r.out).runs[0].verdict).toBe('incomplete');
    const t = await run('check', 'locked-incs', '--design', 'plain', '--max-states', '3', '--no-color');
    expect(t.code).toBe(4);
    expect(t.out).toMatch(/^locked-incs\s+plain\s+incomplete .* incomplete$/m);
    expect(t.out).not.toContain('UNEXPECTED');
    // A violation in the same invocation wins: exit 1 (runs built by hand: no bound makes one
    // toy scenario incomplete while another finds its violation).
    const fin = (verdict: 'holds' | 'violated' | 'incomplete', met: boolean) => ({ met, result: { verdict } }) as unknown as FinishedRun;
    expect(runsExitCode([fin('incomplete', false), fin('violated', false)])).toBe(1);
    expect(runsExitCode([fin('incomplete', false), fin('violated', true)])).toBe(4);
    expect(runsExitCode([fin('holds', true), fin('violated', true)])).toBe(0);
    expect(runsExitCode([fin('holds', false)])).toBe(1);
  });

  it('the summary gives the fingerprint collision probability', async () => {
    const r = await run('check', 'locked-incs', '--no-color');
    expect(r.out).toMatch(/^fingerprint collision probability: at most \d\.\de-\d+ per run/m);
  });

  it('checks --trace and --html paths before exploring: one line, exit 2, nothing run', async () => {
    for (const opt of ['--trace', '--html']) {
      const r = await run('check', 'locked-incs', opt, join(scratch, 'no-such-dir', 'x'));
      expectOneLineError(r, /no-such-dir.*does not exist/);
    }
    expectOneLineError(await run('check', 'locked-incs', '--trace', scratch), /is a directory/);
    expectOneLineError(await run('check', 'locked-incs', '--trace-format', 'itf'), /--trace-format needs --trace/);
    expectOneLineError(await run('check', 'locked-incs', '--trace', join(scratch, 'f.json'), '--trace-format', 'tla'), /--trace-format must be memdesc or itf/);
  });

  it('--coverage lists the labels no run reached as gaps', async () => {
    const r = await run('check', 'racy-incs', '--coverage', '--no-color');
    // racy_inc only loads and stores: lock, unlock, noop and never are gaps.
    expect(r.out).toContain('4 step label(s) never reached (gaps): inc:lock, inc:unlock, noop:step, never:wait');
    const j = JSON.parse((await run('check', 'racy-incs', '--coverage', '--json')).out);
    expect(j.coverageGaps).toEqual(['inc:lock', 'inc:unlock', 'noop:step', 'never:wait']);
    expect(j.runs[0].coverage['inc:load']).toBeGreaterThan(0);
  });

  it('--trace writes a schema-valid trace file of the first violation', async () => {
    const file = join(scratch, 'w.json');
    const r = await run('check', 'wrongly-expected', '--trace', file, '--no-color');
    expect(r.code).toBe(1);
    const t = parseTraceFile(readFileSync(file, 'utf8'), file);
    expect(t).toMatchObject({ format: 'memdesc-mc-trace/1', scenario: 'wrongly-expected', design: 'plain', mutations: [], violation: { invariant: 'no-lost-update', step: 5, kind: 'terminal' } });
    expect(t.steps).toHaveLength(5);
  });

  it('with no scenario runs every scenario under every design it lists', async () => {
    const r = await run('check', '--json');
    const doc = JSON.parse(r.out);
    expect(doc.runs.map((x: { scenario: string; design: string }) => `${x.scenario}/${x.design}`)).toEqual([
      'locked-incs/plain', 'locked-incs/strict', 'racy-incs/plain', 'wrongly-expected/plain', 'limit/strict', 'racy-mutation/plain',
    ]);
    expect(doc.met).toBe(false);
    expect(r.code).toBe(1);
  });

  it('bad input is one line on stderr and exit 2', async () => {
    expectOneLineError(await run('check', 'nope'), /unknown scenario 'nope'/);
    expectOneLineError(await run('check', '--design', 'folio'), /unknown design 'folio' \(designs: plain, strict\)/);
    expectOneLineError(await run('check', '--mutation', 'Z9'), /unknown mutation 'Z9' \(mutations: RACY; memdesc-mc mutations lists them\)/);
    expectOneLineError(await run('check', '--mutation', 'RAZY'), /unknown mutation 'RAZY' \(did you mean RACY\?/);
    expectOneLineError(await run('check', 'racy-inks'), /unknown scenario 'racy-inks' \(did you mean racy-incs\?\)/);
    expectOneLineError(await run('check', '--design', 'plian'), /unknown design 'plian' \(did you mean plain\?\)/);
    expectOneLineError(await run('check', '--desing', 'plain'), /^memdesc-mc check: unknown option '--desing' \(did you mean --design\?\)$/m);
    expectOneLineError(await run('chek'), /^memdesc-mc: unknown command 'chek' \(did you mean check\?\)$/m);
    expectOneLineError(await run('check', '--max-states', 'lots'), /--max-states must be a positive integer, got 'lots'/);
    expectOneLineError(await run('check', '--time-limit', '-1'), /--time-limit/);
    expectOneLineError(await run('check', '--frobnicate'), /^memdesc-mc check: unknown option '--frobnicate'/);
    expectOneLineError(await run('check', 'racy-incs', '--design', 'strict'), /nothing to run/);
    expectOneLineError(await run('frobnicate'), /unknown command 'frobnicate'/);
    expectOneLineError(await run('--frobnicate'), /unknown option '--frobnicate'/);
  });
});

describe('memdesc-mc invariants and compare on a toy source', () => {
  it('invariants lists the catalogue, filtered by design', async () => {
    const all = JSON.parse((await run('invariants', '--json')).out);
    expect(all.map((i: { name: string }) => i.name)).toEqual(['no-lost-update', 'x-small']);
    const r = await run('invariants', '--design', 'plain');
    expect(r.out).toContain('no-lost-update');
    expect(r.out).not.toContain('x-small');
    expect(r.out).toContain('1 invariants');
  });

  it('compare puts designs in columns and each verdict with its trace length', async () => {
    const r = await run('compare', 'locked-incs', 'limit', '--json');
    const doc = JSON.parse(r.out);
    expect(doc.designs).toEqual(['plain', 'strict']);
    expect(doc.scenarios[0]).toMatchObject({ scenario: 'locked-incs', results: { plain: { verdict: 'holds', states: 17 }, strict: { verdict: 'holds' } } });
    // x reaches 2 only after both increments: 4 + 3 steps (the second unlock is not needed).
    expect(doc.scenarios[1].results.strict).toMatchObject({ verdict: 'violated', invariant: 'x-small', traceLength: 7 });
    expect(doc.scenarios[1].results.plain).toBeUndefined();
    expect(r.code).toBe(0);
    const text = (await run('compare', 'locked-incs', 'limit', '--no-color')).out;
    expect(text).toMatch(/^scenario\s+plain\s+strict$/m);
    expect(text).toMatch(/limit\s+-\s+violated x-small \(7 steps\)/);
  });
});

describe('collision probability in the text summary', () => {
  const fin = (p: number) => ({ met: true, run: { expected: { holds: true } }, result: { verdict: 'holds', stats: { distinctStates: 10, collisionProbability: p } } }) as unknown as FinishedRun;
  it('is stated for every run set, and warned about above 1e-6', () => {
    const low = summaryLines([fin(2e-12), fin(3e-15)], false);
    expect(low[1]).toBe('fingerprint collision probability: at most 2.0e-12 per run (the chance that hashing states hid one)');
    const high = summaryLines([fin(2e-12), fin(4e-5)], false);
    expect(high[1]).toMatch(/^warning: fingerprint collision probability: at most 4\.0e-5 per run .*above 1e-6/);
    expect(summaryLines([fin(1e-6)], false)[1]).not.toMatch(/^warning/);
  });
});
