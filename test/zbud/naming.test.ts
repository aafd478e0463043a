import { describe, expect, it } from 'vitest';
import { zbudScenarios } from '../../scenarios/zbud/index.js';
import { buildZbudScenario } from '../../scenarios/zbud/run.js';
import { buddyScenarios } from '../../scenarios/buddy/index.js';
import { buildBuddyScenario } from '../../scenarios/buddy/run.js';

/** Traces print field names and step labels: they must read like the kernel. */
describe('kernel-style names in the zbud and buddy models', () => {
  it('every step label is function:step after a kernel function, and every scenario reaches only such labels', () => {
    for (const s of zbudScenarios) for (const d of s.designs) for (const l of buildZbudScenario(s, d).labels) expect(l).toMatch(/^(zbud_[a-z_]+|zswap_[a-z_]+|memmap_walker):[a-z_]+$/);
    for (const s of buddyScenarios) for (const d of s.designs) for (const l of buildBuddyScenario(s, d).labels) expect(l).toMatch(/^(__rmqueue_smallest|post_alloc_hook|free_pages_prepare|__free_one_page|page_reporting_cycle|page_reporting_drain|cmma_host|isolate_freepages_block):[a-z_]+$/);
  });

  it('each buddy layout names the free-page fields where that layout keeps them', () => {
    const s = buddyScenarios[0];
    const names = (d: Parameters<typeof buildBuddyScenario>[1]) => new Set(buildBuddyScenario(s, d).fields.map((f) => f.name));
    const today = names('buddy-struct-page');
    for (const n of ['page[0].page_type(PageBuddy)', 'page[0].private(order)', 'page[0].buddy_list.next', 'page[0].flags.zone', 'free_area[0].nr_free']) expect(today).toContain(n);
    const inPage = names('buddy-in-page');
    for (const n of ['page[0].allocator(PageBuddy)', 'page[0].allocatee(zone)', 'page[0].mem.next', 'page[0].mem.order']) expect(inPage).toContain(n);
    const desc = names('buddy-descriptor');
    for (const n of ['page[0].memdesc', 'desc[0].order', 'desc[0].buddy_list.prev', 'desc[0].zone']) expect(desc).toContain(n);
  });
});
