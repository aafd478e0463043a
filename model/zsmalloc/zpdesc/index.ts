import type { DesignDoc } from '../design-doc.js';

/** zpdesc: Linux 6.18 (E6), the struct zpdesc overlay of struct page. */
export const zpdescDesign: DesignDoc = {
  design: 'zpdesc',
  era: 'E6 (6.17/6.18)',
  summary: 'struct zpdesc overlays struct page (ZPDESC_MATCH); pool->lock rwlock, class->lock, struct zspage_lock; movable_ops registered by page type.',
  mechanisms: [
    'zs_free and zs_obj_read_begin/zs_obj_write hand over from pool->lock (read) to class->lock / the zspage read lock',
    'zs_page_migrate and __zs_compact take pool->lock for write, class->lock, and zspage_write_trylock (failure: -EINVAL / stop)',
    'zs_page_isolate only checks zpdesc->zspage != NULL; zs_page_putback is empty; PageZsmalloc and PG_movable_ops are sticky',
    'a zspage freed while a page is isolated leaves that page to the core, which sees zspage == NULL in zs_page_migrate',
    'async_free_zspage uses the post-A5 lock_zspage: chain walked under the zspage read lock, waits with a page reference',
  ],
};
