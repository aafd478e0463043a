/**
 * Re-introduced mistakes of the zbud designs, each breaking one named invariant in a reachable
 * run (the unmutated design passes the same scenario).
 */
export type ZbudMutationId = 'ZB1' | 'ZB2';
export const zbudMutationIds: readonly ZbudMutationId[] = ['ZB1', 'ZB2'];

export interface ZbudMutationDoc {
  readonly id: ZbudMutationId;
  readonly title: string;
  readonly designs: readonly string[];
  readonly invariant: string;
  readonly doc: string;
}

export const zbudMutations: readonly ZbudMutationDoc[] = [
  { id: 'ZB1', title: 'zbud_free frees a page that zbud_reclaim_page is evicting',
    designs: ['zbud-inline', 'zbud-page', 'zbud-indirect'], invariant: 'zbud-no-access-after-free',
    doc: 'zbud_free() ignores zhdr->under_reclaim (PG_reclaim in the 2013 zbud_page): the page goes back to the page allocator while zbud_reclaim_page() still holds the handles it encoded before dropping pool->lock, and the evict callback maps one of them.' },
  { id: 'ZB2', title: 'relocation moves a buddy that the user has mapped',
    designs: ['zbud-indirect'], invariant: 'zbud-no-access-after-free',
    doc: 'zbud-indirect relocation updates the handle word but does not wait for zbud_unmap(): the user copies through the address it mapped, on the page relocation freed.' },
];

export function isZbudMutation(s: string): s is ZbudMutationId {
  return (zbudMutationIds as readonly string[]).includes(s);
}
