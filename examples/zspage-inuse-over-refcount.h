/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A struct zspage for the pageless (memdesc) design with one mistake: `inuse` sits at offset 52,
 * where struct page has `_refcount`. The generic migration core's get_page_unless_zero() and
 * put_page() on "the page" then count zsmalloc's objects-in-use instead of references.
 *
 *   memdesc-mc layout --design memdesc --c examples/zspage-inuse-over-refcount.h   # the static view
 *   memdesc-mc check --scenario-file examples/reader-vs-migrate.json \
 *       --zspage-layout examples/zspage-inuse-over-refcount.h                     # a corrupting trace
 */

/* CONFIG_ZSMALLOC_CHAIN_SIZE default (mm/Kconfig) */
#define ZS_MAX_PAGES_PER_ZSPAGE 8

struct list_head {
	struct list_head *next, *prev;
};

typedef struct {
	int counter;
} atomic_t;

/* A non-debug spinlock: one 32-bit word (no lockdep_map). */
typedef struct {
	unsigned int val;
} spinlock_t;

struct zspage_lock {
	spinlock_t lock;
	int cnt;
};

struct zs_pool;

struct zspage {
	/* page flags word: PG_locked for migration, PG_private */
	unsigned long flags;
	/* compound_head's word: a list head (pointers, bit 0 clear) for isolation lists */
	struct list_head lru;
	/* movable_operations of zsmalloc, read through page->mapping */
	unsigned long mapping;
	/* where struct page has index/private: */
	struct zs_pool *pool;
	/* a huge class's handle (kept in page->index in the legacy design) */
	unsigned long handle;
	/* where struct page has page_type; under the class lock (same-word bitfields, one lock) */
	unsigned int huge:1;
	unsigned int fullness:4;
	unsigned int class:9;
	unsigned int magic:8;
	/* MISTAKE: inuse moved up to save a hole, and now sits where struct page has _refcount */
	unsigned int inuse;
	atomic_t _refcount;
	/* zsmalloc's own state, past every struct page offset generic code reads */
	unsigned int freeobj;
	struct zspage_lock zsl;
	struct list_head list;
	/* the component pages by chain index (replaces first_zpdesc and the per-page next link) */
	unsigned long pfn[ZS_MAX_PAGES_PER_ZSPAGE];
} __attribute__((aligned(16)));
