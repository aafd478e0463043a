/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Proposed struct zspage for pageless zsmalloc (the "memdesc" design).
 *
 * Every page zsmalloc allocates becomes a tail page whose one word points at this descriptor
 * (bit 0 set: tail tag, low 4 bits: memdesc type). Generic mm code that still thinks in pages
 * follows that word and then reads the descriptor at struct page offsets:
 *   - trylock_page()/folio_lock() set PG_locked in the word at 0      -> flags
 *   - isolate_movable_page() finds the movable ops through ->mapping  -> mapping at 24
 *   - get_page_unless_zero()/put_page() act on ->_refcount            -> _refcount at 52
 *   - the word at 8 is compound_head: its bit 0 must stay clear, so only pointers (lru) sit there
 * so those slots are reserved, and zsmalloc's own fields fill the gaps (32..52, and from 56 on).
 * The slot between mapping and _refcount follows struct page (two unsigned longs, then 32 bits),
 * so the offsets also match struct page on ILP32.
 *
 * Checked by `memdesc-mc layout --design memdesc --c scenarios/layouts/memdesc-zspage.h`.
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
	atomic_t _refcount;
	/* zsmalloc's own state, past every struct page offset generic code reads */
	unsigned int inuse;
	unsigned int freeobj;
	struct zspage_lock zsl;
	struct list_head list;
	/* the component pages by chain index (replaces first_zpdesc and the per-page next link) */
	unsigned long pfn[ZS_MAX_PAGES_PER_ZSPAGE];
} __attribute__((aligned(16)));

/* The end state's struct page: one word, (unsigned long)zspage | type, bit 0 set on every tail. */
struct memdesc_page {
	unsigned long memdesc;
};

/* The two-word variant: the allocator's tagged descriptor, and a word for the page's user. */
struct memdesc_page_2w {
	unsigned long allocator;
	unsigned long allocatee;
};
