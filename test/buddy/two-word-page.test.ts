import { relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runLayoutCommand } from '../../cli/commands/layout.js';
import { twoWordPageFit } from '../../model/layout-rules/two-word-page.js';
import { FIXTURE_BTF } from '../btf/fixture.js';

const where = (abi: 'lp64' | 'ilp32', list: 'pointers' | 'pfns') =>
  Object.fromEntries(twoWordPageFit(abi, list).placements.map((p) => [p.item.name, p.word ? `${p.word} ${p.lo}..${p.hi}` : `no (${p.left!.allocator}, ${p.left!.allocatee})`]));

/**
 * Hand counts. LP64: type tag 4 + order 4 (0..10) + zone 3 + node 10 + PageReported 1 = 22 bits
 * of the allocator word, 42 left. ILP32: 4 + 4 + 2 + 3 + 1 = 14, 18 left. A pointer is a whole
 * word; a pfn is 52 - 12 = 40 bits (LP64) or 36 - 12 = 24 bits (ILP32 PAE).
 */
describe('two-word-page rule set', () => {
  it('LP64 with list_head pointers: next takes the whole allocatee word, prev fits nowhere (42 and 0 bits left)', () => {
    expect(where('lp64', 'pointers')).toEqual({
      PageBuddy: 'allocator 0..3', order: 'allocator 4..7', zone: 'allocator 8..10', node: 'allocator 11..20',
      PageReported: 'allocator 21..21', 'list.next': 'allocatee 0..63', 'list.prev': 'no (42, 0)',
    });
  });

  it('LP64 with pfn links: everything fits (next in the allocator word\'s 42 free bits, prev in the allocatee word)', () => {
    const w = where('lp64', 'pfns');
    expect([w['list.next'], w['list.prev']]).toEqual(['allocator 22..61', 'allocatee 0..39']);
    expect(twoWordPageFit('lp64', 'pfns').fits).toBe(true);
  });

  it('ILP32: prev fits neither as a pointer (18, 0 bits left) nor as a 24-bit pfn (18, 8 bits left)', () => {
    expect(where('ilp32', 'pointers')['list.prev']).toBe('no (18, 0)');
    expect(where('ilp32', 'pfns')).toMatchObject({ 'list.next': 'allocatee 0..23', 'list.prev': 'no (18, 8)' });
  });

  it('memdesc-mc layout --design two-word-page prints both ABIs, today\'s struct page place from the 6.18 BTF, and exits 1', async () => {
    let out = '';
    const so = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    let code: number;
    try {
      code = await runLayoutCommand(['--design', 'two-word-page', '--btf', relative(process.cwd(), FIXTURE_BTF)]);
    } finally {
      so.mockRestore();
    }
    expect(code).toBe(1);
    expect(out).toContain('LP64 (unsigned long = 64 bits), free-list links as pointers (struct list_head):');
    expect(out).toContain('ILP32 (unsigned long = 32 bits), free-list links as pfns:');
    expect(out).toMatch(/list\.prev\s+64\s+buddy_list\.prev \(16\.\.24\)\s+does not fit: 64 bits, 42 left in allocator, 0 in allocatee\s+NO/);
    expect(out).toMatch(/order\s+4\s+private \(40\.\.48\)\s+allocator bits 4\.\.7\s+yes/);
    expect(out).toContain('PASS  two-word-page lp64 pfns: everything fits');
    expect(out).toContain('3 of 4 layout checks FAIL');
  });
});
