import { relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runLayoutCommand } from '../../cli/commands/layout.js';
import { Btf, structLayout } from '../../model/btf/index.js';
import { checkZbudPage, zbudPageFields } from '../../model/layout-rules/zbud-page.js';
import { ZBUD_PAGE_SLOTS } from '../../model/zbud/index.js';
import { FIXTURE_BTF } from '../btf/fixture.js';

const page = () => structLayout(Btf.load(FIXTURE_BTF), 'page', { expandNamed: true });

describe('zbud-page layout rule set against the 6.18 struct page', () => {
  it('lays the 2013 zbud_page fields out as the C compiler does: u16 counts at 8 and 10, the lists at 16 and 32 (LP64), 4, 6, 8, 16 (ILP32)', () => {
    const at = (abi: 'lp64' | 'ilp32') => zbudPageFields(abi).members.map((m) => [m.name, m.bitOffset / 8]);
    expect(at('lp64')).toEqual([['donotuse', 0], ['first_chunks', 8], ['last_chunks', 10], ['buddy', 16], ['lru', 32]]);
    expect(at('ilp32')).toEqual([['donotuse', 0], ['first_chunks', 4], ['last_chunks', 6], ['buddy', 8], ['lru', 16]]);
  });

  it('only first_chunks is misread: it covers bit 0 of compound_head (PageTail); the list pointers are safe', () => {
    const checks = checkZbudPage(page(), zbudPageFields('lp64'));
    expect(checks.filter((c) => c.failures.length > 0).map((c) => c.field.path)).toEqual(['first_chunks']);
  });

  it('the zbud-page model names the same struct page slots as the layout checker finds under each field', () => {
    const under = Object.fromEntries(checkZbudPage(page(), zbudPageFields('lp64')).map((c) => [c.field.path, c.under.map((u) => u.split(' ')[0])]));
    const slots = ZBUD_PAGE_SLOTS['zbud_page-2013'];
    expect(under.first_chunks).toEqual([slots.counts]);
    expect([...under['buddy.next'], ...under['buddy.prev']].sort().join('+')).toBe(slots.buddy.split('+').sort().join('+'));
    expect([...under['lru.next'], ...under['lru.prev']].sort().join('+')).toBe(slots.lru.split('+').sort().join('+'));
  });

  it('memdesc-mc layout --design zbud-page prints the overlay and exits 1 naming compound_head', async () => {
    let out = '';
    const so = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    let code: number;
    try {
      code = await runLayoutCommand(['--design', 'zbud-page', '--btf', relative(process.cwd(), FIXTURE_BTF)]);
    } finally {
      so.mockRestore();
    }
    expect(code).toBe(1);
    expect(out).toMatch(/first_chunks\s+8\.\.10\s+compound_head \(8\.\.16\)\s+MISREAD/);
    expect(out).toContain('first_chunks (8..10, u16) covers the low byte of page.compound_head: bit 0 set reads as PageTail()');
    expect(out).toContain('1 of 6 layout checks FAIL');
  });
});
