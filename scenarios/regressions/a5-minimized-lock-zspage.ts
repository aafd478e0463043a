// Saved by `memdesc-mc save a5min.json --name a5-minimized-lock-zspage`. The regression test checks that the
// checker still finds no-page-use-after-free here and that the trace below still replays to it.
// Once the bug is fixed, change `expect` to { holds: true } and delete `trace`.
import type { Regression } from './types.js';

export const regression: Regression = {
  scenario: {
    "id": "a5-minimized-lock-zspage",
    "title": "Regression a5-minimized-lock-zspage: A5: async_free_zspage walks a chain that migration rewrites",
    "description": "Saved from a5min.json: bug-a5-lock-zspage under zpdesc with mutation A5 violates no-page-use-after-free at step 40 (lock_zspage: lock_page touches page[0], which is free in the buddy allocator).",
    "shape": {"pageUnits": 2, "classes": [{"size": 2, "pagesPerZspage": 2}], "pageFrames": 3, "zspageSlots": 1, "handles": 1},
    "setup": [{"kind": "malloc", "handle": 0, "cls": 0, "payload": 1}],
    "threads": [
      {"name": "free", "ops": [{"kind": "free", "handle": 0}]},
      {"name": "migrate", "ops": [{"kind": "migrate", "pages": [0], "putback": false}]},
      {"name": "free_work", "ops": [{"kind": "async_free"}]}
    ],
    "bounds": {"maxStates": 400000},
    "designs": ["zpdesc"],
    "mutation": "A5",
    "expect": {"zpdesc": {"violates": "no-page-use-after-free"}}
  },
  trace: {
    "design": "zpdesc",
    "mutations": ["A5"],
    "initial": 0,
    "steps": [
      {"index": 0, "thread": "free", "label": "zs_free:read_lock_pool", "choice": 0},
      {"index": 0, "thread": "free", "label": "zs_free:read_obj", "choice": 0},
      {"index": 0, "thread": "free", "label": "zs_free:lock_class", "choice": 0},
      {"index": 0, "thread": "free", "label": "zs_free:read_unlock_pool", "choice": 0},
      {"index": 0, "thread": "free", "label": "zs_free:obj_free", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "isolate_movable_ops_page:get_page_unless_zero", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "isolate_movable_ops_page:page_has_movable_ops", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "isolate_movable_ops_page:trylock", "choice": 0},
      {"index": 0, "thread": "free", "label": "trylock_zspage:trylock_page", "choice": 0},
      {"index": 0, "thread": "free", "label": "zs_free:unlock_class", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "isolate_movable_ops_page:test_isolated", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_isolate:check_zspage", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "isolate_movable_ops_page:set_isolated", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "isolate_movable_ops_page:unlock", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "migrate_folio_unmap:alloc_dst", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "migrate_folio_unmap:lock_src", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "migrate_folio_unmap:trylock_dst", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:read_zspage", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:write_lock_pool", "choice": 0},
      {"index": 2, "thread": "free_work", "label": "async_free_zspage:start", "choice": 0},
      {"index": 2, "thread": "free_work", "label": "async_free_zspage:lock_class", "choice": 0},
      {"index": 1, "thread": "free_work", "label": "async_free_zspage:splice", "choice": 0},
      {"index": 1, "thread": "free_work", "label": "async_free_zspage:unlock_class", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:lock_class", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:zspage_write_trylock", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:copy_objects", "choice": 0},
      {"index": 2, "thread": "free_work", "label": "lock_zspage:read_first", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:replace_sub_page", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:write_unlock_pool", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:unlock_class", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:zspage_write_unlock", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:get_new", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:reset_old", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "zs_page_migrate:put_old", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "migrate_folio_move:clear_isolated", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "migrate_folio_move:unlock_dst", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "migrate_folio_move:put_dst", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "migrate_folio_move:unlock_src", "choice": 0},
      {"index": 1, "thread": "migrate", "label": "migrate_folio_done:put_src", "choice": 0},
      {"index": 1, "thread": "free_work", "label": "lock_zspage:lock_page", "choice": 0}
    ],
    "violation": {
      "kind": "step",
      "invariant": "no-page-use-after-free",
      "step": 40,
      "message": "lock_zspage: lock_page touches page[0], which is free in the buddy allocator"
    }
  },
};
