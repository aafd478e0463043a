import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt } from '../cli/dist.js';

const scratch = mkdtempSync(join(tmpdir(), 'zbud-buddy-cli-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('memdesc-mc with the zbud and buddy designs (built, spawned)', () => {
  it('check --design runs each zbud and buddy design and meets every expectation', () => {
    for (const d of ['zbud-inline', 'zbud-page', 'zbud-indirect', 'buddy-struct-page', 'buddy-in-page', 'buddy-descriptor']) {
      const r = cli(['check', '--design', d, '--json']);
      expect(r.code, `${d}: ${r.err}`).toBe(0);
      const doc = JSON.parse(r.out);
      expect(doc.runs.length, d).toBeGreaterThan(0);
      expect(doc.runs.every((x: { design: string; met: boolean }) => x.design === d && x.met), d).toBe(true);
    }
  });

  it('check --list and compare show the new designs next to zsmalloc\'s', () => {
    const l = cli(['check', '--list', '--no-color']);
    expect(l.out).toMatch(/^zbud-relocate-vs-load\s+zbud-inline\s+-\s+violates zbud-handle-own-data/m);
    expect(l.out).toMatch(/^buddy-s390-cmma-discard\s+buddy-in-page\s+-\s+violates buddy-free-list-intact/m);
    const c = cli(['compare', 'zbud-relocate-vs-load', 'buddy-init-on-free', '--json']);
    expect(c.code).toBe(0);
    const doc = JSON.parse(c.out);
    expect(doc.designs).toEqual(['zbud-inline', 'zbud-page', 'zbud-indirect', 'buddy-struct-page', 'buddy-in-page', 'buddy-descriptor']);
    expect(doc.scenarios[0].results['zbud-indirect'].verdict).toBe('holds');
    expect(doc.scenarios[1].results['buddy-in-page']).toMatchObject({ verdict: 'violated', invariant: 'buddy-init-on-free-zeroed' });
  });

  it('a zbud counterexample renders as text and HTML and its trace file replays to the same violation', () => {
    const trace = join(scratch, 'reloc.json');
    const html = join(scratch, 'reloc.html');
    const r = cli(['check', 'zbud-relocate-frees-page', '--design', 'zbud-page', '--trace', trace, '--html', html]);
    expect(r.code).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('zbud_relocate:move');
    const p = cli(['replay', trace, '--no-color']);
    expect(p.code).toBe(1);
    expect(p.out).toContain('replayed: the same violation of zbud-handle-page-not-freed at step 1');
    expect(p.out).toContain('page[0].PageBuddy: 0 → 1');
    expect(p.out).not.toMatch(/compact\.(pc|op)/);
    expect(p.out).toContain('page[0].compound_head(last_chunks): 2 → 0');
  });

  it('a buddy mutation runs by id and names the invariant it breaks; a zbud mutation on a buddy design is bad input', () => {
    const r = cli(['check', 'buddy-bug-merge-any-order', '--json']);
    const runs = JSON.parse(r.out).runs;
    expect(runs.map((x: { mutations: string[] }) => x.mutations)).toEqual([['BM1'], ['BM1'], ['BM1']]);
    expect(runs.map((x: { violation?: { invariant: string } }) => x.violation?.invariant)).toEqual(['buddy-merge-same-order', 'buddy-merge-same-order', 'buddy-merge-same-order']);
    const bad = cli(['check', 'buddy-free-merge-alloc', '--mutation', 'ZB2']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^memdesc-mc: nothing to run: no scenario buddy-free-merge-alloc with mutation ZB2\n$/);
  });
});
