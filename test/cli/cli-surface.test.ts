import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { CHECK_USAGE } from '../../cli/commands/check.js';
import { mutations } from '../../model/zsmalloc/mutations/index.js';
import { allScenarios } from '../../scenarios/zsmalloc/index.js';
import { editDistance } from '../../cli/suggest.js';
import { renderTable, wrapCell } from '../../report/table.js';
import { capture } from './capture.js';

const scratch = mkdtempSync(join(tmpdir(), 'cli-surface-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = (...argv: string[]) => capture(() => main(argv));

describe('memdesc-mc mutations', () => {
  it('lists every mutation id with its fixing commit, designs, invariant and one sentence', async () => {
    const r = await run('mutations');
    expect(r.code).toBe(0);
    // zsmalloc's mutations first, then those of zbud and the buddy allocator (ZB1, BM1, ...).
    const rows = r.out.split('\n').filter((l) => /^[A-Z]{1,2}\d\s/.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0]).slice(0, mutations.length)).toEqual(mutations.map((m) => m.id));
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(expect.arrayContaining(['ZB1', 'BM1', 'BW2']));
    for (const m of mutations) {
      const row = rows.find((l) => l.startsWith(`${m.id} `))!;
      expect(row).toContain(m.commit ?? 'none (model rule)');
      expect(row).toContain(m.invariant);
      expect(row).toContain(m.designs.join(','));
    }
    const j = JSON.parse((await run('mutations', '--json')).out);
    expect(j.map((m: { id: string }) => m.id).slice(0, mutations.length)).toEqual(mutations.map((m) => m.id));
    expect(j).toHaveLength(rows.length);
    // Each lists the scenario that re-creates it (the registry's own, counted independently).
    for (const m of j.slice(0, mutations.length)) expect(m.scenarios).toEqual(expect.arrayContaining(allScenarios().filter((s) => s.mutation === m.id).map((s) => s.id)));
    expect(j.find((m: { id: string }) => m.id === 'A1').commit).toBe('c102f07ca0b0');
  });
});

describe('help', () => {
  it('help CMD prints CMD --help', async () => {
    const a = await run('help', 'check');
    const b = await run('check', '--help');
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out).toBe(`${CHECK_USAGE}\n`);
    expect((await run('help', 'mutations')).out).toMatch(/^usage: memdesc-mc mutations/);
    const bad = await run('help', 'chekc');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^memdesc-mc: unknown command 'chekc' \(did you mean check\?\)\n$/);
  });
});

describe('explain', () => {
  it('explain SCENARIO prints the trace of an expected violation, which check alone does not', async () => {
    const quiet = await run('check', 'bug-m2-descriptor-freed', '--no-color');
    expect(quiet.code).toBe(0);
    expect(quiet.out).not.toContain('Counterexample:');
    const e = await run('explain', 'bug-m2-descriptor-freed', '--no-color');
    expect(e.code).toBe(0);
    expect(e.out).toContain('Counterexample: bug-m2-descriptor-freed (memdesc, mutation M2)');
    expect(e.out).toContain('[mutated by M2]');
    expect(e.out).toMatch(/✗ no-zspage-use-after-free broken at step \d+/);
  });
});

describe('did-you-mean', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('desing', 'design')).toBe(1);
    expect(editDistance('check', 'check')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests scenarios and designs of the real registry', async () => {
    const r = await run('check', 'bug-a1-pin-lots');
    expect(r.err).toBe("memdesc-mc: unknown scenario 'bug-a1-pin-lots' (did you mean bug-a1-pin-lost?)\n");
    const d = await run('check', '--design', 'zpdsec');
    expect(d.err).toBe("memdesc-mc: unknown design 'zpdsec' (did you mean zpdesc?)\n");
  });

  it('every command errors with one prefix, `memdesc-mc CMD:` or `memdesc-mc:`, never doubled', async () => {
    const cases = [
      ['layout', '--desing', 'zpdesc'], ['check', '--desing', 'zpdesc'], ['replay'], ['minimize'], ['mutations', '--x'],
      ['invariants', '--x'], ['compare', '--x'], ['nonsense'], ['check', 'nope'],
    ];
    for (const argv of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(/^memdesc-mc(:| [a-z]+:) \S/);
      expect(r.err, argv.join(' ')).not.toMatch(/memdesc-mc.*memdesc-mc [a-z]+:/);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    }
    expect((await run('layout', '--desing', 'zpdesc')).err).toBe("memdesc-mc layout: unknown option '--desing' (did you mean --design?)\n");
  });
});

describe('tables fit $COLUMNS', () => {
  it('wraps the title column so no line is wider than the limit, and loses no word', () => {
    const rows = [['a', 'a long title that certainly does not fit in a narrow terminal window at all'], ['bb', 'short']];
    const t = renderTable([{ header: 'id' }, { header: 'title' }], rows, { maxWidth: 30, wrap: 1 });
    for (const l of t.split('\n')) expect(l.length).toBeLessThanOrEqual(30);
    const words = t.split(/\s+/).filter((w) => !/^-+$/.test(w));
    for (const w of rows.flat().join(' ').split(' ')) expect(words).toContain(w);
    expect(renderTable([{ header: 'id' }, { header: 'title' }], rows).split('\n')[2]).toContain(rows[0][1]);
    expect(wrapCell('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('check, check --list and mutations honour COLUMNS', async () => {
    const old = process.env.COLUMNS;
    process.env.COLUMNS = '100';
    try {
      for (const argv of [['check', '--list'], ['mutations'], ['check', 'bug-a1-pin-lost', 'malloc-vs-free', '--no-color']]) {
        const r = await run(...argv);
        expect(r.code).toBe(0);
        // Table lines (traces below a check table are text, not a table).
        const table = argv[0] === 'check' && argv[1] !== '--list' ? r.out.split('\n\n')[0] : r.out;
        const wide = table.split('\n').filter((l) => l.length > 100);
        expect(wide, argv.join(' ')).toEqual([]);
        expect(table).toMatch(/^scenario|^id/);
      }
    } finally {
      if (old === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = old;
    }
  });
});

describe('--trace-format itf', () => {
  it('writes the ITF twin: #meta, vars, one state per step plus the initial one, decoded values', async () => {
    const file = join(scratch, 'a1.json');
    const r = await run('check', 'bug-a1-pin-lost', '--trace', file, '--trace-format', 'itf', '--no-color');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`ITF trace written to ${join(scratch, 'a1.itf.json')}`);
    const trace = JSON.parse(readFileSync(file, 'utf8'));
    const itf = JSON.parse(readFileSync(join(scratch, 'a1.itf.json'), 'utf8'));
    expect(itf['#meta'].format).toBe('ITF');
    expect(itf.vars).toEqual(expect.arrayContaining(['pool', 'class', 'zspage', 'page', 'handle', 'threads', 'action']));
    expect(itf.states).toHaveLength(trace.steps.length + 1);
    itf.states.forEach((s: Record<string, unknown>, i: number) => {
      expect(s['#meta']).toEqual({ index: i });
      for (const v of itf.vars) expect(s).toHaveProperty(v);
    });
    // Each state's action is the trace file's step that led to it.
    expect(itf.states.slice(1).map((s: { action: { label: string; thread: string } }) => [s.action.thread, s.action.label]))
      .toEqual(trace.steps.map((s: { thread: string; label: string }) => [s.thread, s.label]));
    // Instances as the scenario's pool declares them; owners by thread name; enums by name.
    const shape = allScenarios().find((s) => s.id === 'bug-a1-pin-lost')!.shape;
    expect(itf.states[0].page['#map']).toHaveLength(shape.pageFrames);
    expect(itf.states[0].zspage['#map']).toHaveLength(shape.zspageSlots);
    const pin = itf.states.findIndex((s: { action: { label: string } }) => s.action.label === 'zs_free:pin_tag');
    // zs_free(A) pins A first (the free thread is named "free": the owner decodes to its name).
    const handleA = itf.states[pin].handle['#map'].find(([k]: [string]) => k === 'A')[1];
    expect(handleA.HANDLE_PIN_BIT).toBe('free');
    expect(itf.states[0].zspage['#map'][0][1].fullness).toMatch(/^ZS_/);
    expect(JSON.stringify(itf)).not.toMatch(/"(pc|ret|op)":/);
  });
});
