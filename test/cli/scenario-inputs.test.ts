/**
 * A kernel developer's own inputs on the command line: scenario files, protocol switches and a
 * struct zspage header, with no TypeScript and no rebuild. The zspage headers are laid out by
 * the layout engine (checked against gcc elsewhere); what is asserted here is what the model
 * does with them: the 6.18 layout keeps the verdict of the built-in layout-618-zspage scenario,
 * the proposed one holds, and a header that puts inuse under _refcount corrupts zsmalloc's
 * accounting in a concrete trace.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { bundledHeaderPath } from '../../model/layout/index.js';
import { REPO_ROOT } from '../btf/fixture.js';
import { capture } from './capture.js';

const scratch = mkdtempSync(join(tmpdir(), 'inputs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = (...argv: string[]) => capture(() => main([...argv, '--no-color']));
const EXAMPLE = join(REPO_ROOT, 'examples/reader-vs-migrate.json');
const BAD_HEADER = join(REPO_ROOT, 'examples/zspage-inuse-over-refcount.h');
const PROPOSED = join(REPO_ROOT, 'scenarios/layouts/memdesc-zspage.h');
const H618 = bundledHeaderPath('zsmalloc-6.18.h');

function oneLineError(r: { code: number; out: string; err: string }, re: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toMatch(re);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
}

describe('check --scenario-file', () => {
  it('runs only the file\'s scenario, under each of its designs, and meets its expectations', async () => {
    const r = await run('check', '--scenario-file', EXAMPLE);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^my-reader-vs-migrate\s+zpdesc\s+holds\b/m);
    expect(r.out).toMatch(/^my-reader-vs-migrate\s+memdesc\s+holds\b/m);
    expect(r.out).toContain('every expectation met');
  });

  it('a folder runs every *.json in it; --list shows them beside the built-in scenarios', async () => {
    const dir = join(scratch, 'mine');
    mkdirSync(dir);
    const doc = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...doc, id: 'mine-a', designs: ['zpdesc'], expect: { zpdesc: { holds: true } } }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ ...doc, id: 'mine-b', designs: ['memdesc'], expect: { memdesc: { holds: true } } }));
    const r = await run('check', '--scenario-file', dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('every expectation met');
    const l = await run('check', '--list', '--scenario-file', dir);
    expect(l.out).toMatch(/^mine-a\s+zpdesc/m);
    expect(l.out).toMatch(/^free-vs-migrate\s+legacy/m);
  });

  it('a bad file is one line naming the file and the JSON path (exit 2)', async () => {
    const f = join(scratch, 'bad.json');
    writeFileSync(f, JSON.stringify({ ...JSON.parse(readFileSync(EXAMPLE, 'utf8')), designs: ['zpdesc', 'slab'] }));
    oneLineError(await run('check', '--scenario-file', f), /bad\.json: \/designs\/1: must be one of "legacy", "zpdesc", "memdesc", found "slab"/);
    oneLineError(await run('check', '--scenario-file', join(scratch, 'absent.json')), /absent\.json: no such file/);
    oneLineError(await run('check', '--scenario-file', '/dev/zero'), /\/dev\/zero: .*not a regular file/);
    writeFileSync(join(scratch, 'dup.json'), JSON.stringify({ ...JSON.parse(readFileSync(EXAMPLE, 'utf8')), id: 'free-vs-migrate' }));
    oneLineError(await run('check', '--scenario-file', join(scratch, 'dup.json')), /scenario id 'free-vs-migrate' is already a built-in scenario/);
  });
});

describe('--protocol', () => {
  it('turning the re-check off in a scenario that needs it breaks the invariant it guards', async () => {
    const on = await run('check', 'free-last-while-isolated', '--design', 'memdesc');
    expect(on.code).toBe(0);
    const off = await run('check', 'free-last-while-isolated', '--design', 'memdesc', '--protocol', 'recheckMemdesc=false');
    expect(off.code).toBe(1);
    expect(off.out).toMatch(/^free-last-while-isolated\s+memdesc\s+violates /m);
  });

  it('an unknown switch, a bad value or a malformed setting is one line (exit 2)', async () => {
    oneLineError(await run('check', '--protocol', 'recheckMemdsc=false'), /unknown switch 'recheckMemdsc' \(did you mean recheckMemdesc\?\)/);
    oneLineError(await run('check', '--protocol', 'refPerZspage=maybe'), /--protocol refPerZspage=maybe: expected true\|false/);
    oneLineError(await run('check', '--protocol', 'refPerZspage'), /expected NAME=VALUE/);
    oneLineError(await run('check', 'huge-class', '--design', 'legacy', '--protocol', 'refPerZspage=false', '--scenario-file', join(scratch, 'nothing.json')), /nothing\.json: no such file/);
  });
});

describe('--zspage-layout: the generic core writes whatever the header puts at struct page offsets', () => {
  it('the shipped 6.18 header gives layout-618-zspage its verdict (zspage-lock-state)', async () => {
    const r = await run('check', 'layout-618-zspage', '--zspage-layout', H618);
    expect(r.out).toMatch(/^layout-618-zspage\s+memdesc\s+violates zspage-lock-state .* ok$/m);
    expect(r.code).toBe(0);
  });

  it('the 6.18 header breaks zspage-word-intact or zspage-lock-state where the built-in proposed layout holds', async () => {
    const r = await run('check', '--scenario-file', EXAMPLE, '--design', 'memdesc', '--zspage-layout', H618);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/memdesc\s+violates (zspage-word-intact|zspage-lock-state)/);
  });

  it('the proposed header holds on the same scenario and on layout-618-zspage', async () => {
    expect((await run('check', '--scenario-file', EXAMPLE, '--design', 'memdesc', '--zspage-layout', PROPOSED)).code).toBe(0);
    const r = await run('check', 'layout-618-zspage', '--zspage-layout', PROPOSED);
    expect(r.out).toMatch(/^layout-618-zspage\s+memdesc\s+holds .* UNEXPECTED/m);
  });

  it('inuse over _refcount gives a corrupting trace that replays without the header', async () => {
    const trace = join(scratch, 'inuse.json');
    const r = await run('check', '--scenario-file', EXAMPLE, '--design', 'memdesc', '--zspage-layout', BAD_HEADER, '--trace', trace);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/isolate_movable_ops_page:folio_try_get[\s\S]*zspage\[0\]\.inuse: 2 → 3/);
    const rep = await run('replay', trace);
    expect(rep.code).toBe(1);
    expect(rep.out).toMatch(/guarded-by broken at step 2: migrate writes zspage\[0\]\.inuse/);
  });

  it('a header without struct zspage, or one whose _refcount lands on an untracked member, is one line', async () => {
    const h = join(scratch, 'none.h');
    writeFileSync(h, 'struct other { int x; };\n');
    oneLineError(await run('check', 'layout-618-zspage', '--zspage-layout', h), /none\.h: defines no struct zspage/);
    const p = join(scratch, 'pool.h');
    writeFileSync(p, 'struct zs_pool;\nstruct zspage { unsigned long flags; void *a[5]; struct zs_pool *pool; int _refcount; };\n');
    oneLineError(await run('check', 'layout-618-zspage', '--zspage-layout', p), /pool\.h: struct page's _refcount \(offset 52\) lands on member 'pool' of struct zspage, which the model does not track/);
  });
});
