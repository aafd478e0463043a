import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allScenarios } from '../../scenarios/zsmalloc/index.js';
import { invariantCatalogue } from '../../invariants/zsmalloc/index.js';
import { zbudScenarios } from '../../scenarios/zbud/index.js';
import { buddyScenarios } from '../../scenarios/buddy/index.js';
import { zbudInvariantDocs } from '../../invariants/zbud/index.js';
import { buddyInvariantDocs } from '../../invariants/buddy/index.js';
import { loadRegressions } from '../../cli/regressions.js';
import { spawn } from 'node:child_process';
import { cli, ensureBuilt, MAIN, oneLineError, REPO } from './dist.js';

const scratch = mkdtempSync(join(tmpdir(), 'cli-e2e-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('memdesc-mc (built, spawned)', () => {
  it('--version prints package.json\'s version; --help lists the commands', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    const v = cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.out).toBe(`memdesc-mc ${pkg.version}\n`);
    const h = cli(['--help']);
    expect(h.code).toBe(0);
    for (const c of ['check', 'replay', 'minimize', 'save', 'compare', 'invariants', 'layout']) expect(h.out).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(JSON.parse(cli(['--json']).out)).toMatchObject({ name: 'memdesc-mc', version: pkg.version });
    const none = cli([]);
    expect(none.code).toBe(2);
    expect(none.out).toBe('');
    expect(none.err).toMatch(/^usage: memdesc-mc <command>/);
  });

  it('bad input never shows a stack trace: one line, exit 2', () => {
    oneLineError(cli(['nonsense']), /unknown command 'nonsense'/);
    oneLineError(cli(['check', '--no-such-option']), /^memdesc-mc check: unknown option '--no-such-option'/);
    oneLineError(cli(['check', 'no-such-scenario']), /unknown scenario 'no-such-scenario'/);
    oneLineError(cli(['check', '--design', 'folio']), /unknown design 'folio' \(designs: legacy, zpdesc, memdesc, zbud-inline, zbud-page, zbud-indirect, buddy-struct-page, buddy-in-page, buddy-descriptor\)/);
    oneLineError(cli(['check', '--mutation', 'Q9']), /unknown mutation 'Q9' \(/);
    oneLineError(cli(['check', '--max-states', '0']), /--max-states must be a positive integer/);
    oneLineError(cli(['replay', join(scratch, 'missing.json')]), /missing\.json: cannot read the trace file/);
  });

  it('the default suite (npm start) meets every expectation: one row per scenario and design, saved regressions included, exit 0', async () => {
    const r = cli(['check', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    // The registry's suite, then every saved regression, then the other allocator systems.
    const regressions = (await loadRegressions()).map((r) => r.scenario);
    expect(regressions.length).toBeGreaterThan(0);
    const expected = [...allScenarios(), ...regressions, ...zbudScenarios, ...buddyScenarios].flatMap((s) => s.designs.filter((d) => s.expect[d]).map((d) => `${s.id}/${d}`));
    expect(doc.runs.map((x: { scenario: string; design: string }) => `${x.scenario}/${x.design}`)).toEqual(expected);
    expect(doc.runs.every((x: { met: boolean }) => x.met)).toBe(true);
  });

  it('a mutation scenario\'s trace file replays to the same violation (exit 1), and tampering makes it diverge (exit 3)', () => {
    const file = join(scratch, 'a1.json');
    const c = cli(['check', 'bug-a1-pin-lost', '--trace', file]);
    expect(c.code).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc).toMatchObject({ format: 'memdesc-mc-trace/1', scenario: 'bug-a1-pin-lost', design: 'legacy', mutations: ['A1'], violation: { invariant: 'handle-pin-exclusive' } });
    const r = cli(['replay', file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`replayed: the same violation of handle-pin-exclusive at step ${doc.violation.step}`);
    expect(r.out).not.toContain('\x1b[');
    // Without the mutation the same steps cannot all be taken, or break nothing.
    const unmutated = join(scratch, 'a1-fixed.json');
    writeFileSync(unmutated, JSON.stringify({ ...doc, mutations: [] }));
    const d = cli(['replay', unmutated]);
    expect(d.code).toBe(3);
    expect(d.out).toMatch(/replay diverges: /);
  });

  it('a reader that stops early (| head) ends the run quietly, no stack trace', async () => {
    const child = spawn(process.execPath, [MAIN, 'check', 'malloc-vs-free', 'compact-vs-free'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    await new Promise<void>((resolve) => child.stdout.once('data', () => { child.stdout.destroy(); resolve(); }));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).toBe('');
    expect([0, 141]).toContain(code);
  });

  it('invariants lists the whole catalogue', () => {
    const all = [...invariantCatalogue, ...zbudInvariantDocs, ...buddyInvariantDocs];
    const r = cli(['invariants', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).map((i: { name: string }) => i.name)).toEqual(all.map((i) => i.name));
    const t = cli(['invariants']);
    for (const i of all) expect(t.out).toMatch(new RegExp(`^${i.name}\\s`, 'm'));
  });
});
