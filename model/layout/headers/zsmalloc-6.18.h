/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zsmalloc's descriptors as of Linux 6.18 (x86-64, CONFIG_MEMCG=y, no lockdep), for the layout
 * checker: struct page (only what overlays concern, matching the 6.18 BTF offsets),
 * struct zpdesc with its ZPDESC_MATCH assertions (mm/zpdesc.h), struct zspage and
 * struct zspage_lock (mm/zsmalloc.c), struct size_class and struct zs_pool.
 *
 * In 6.18 page->index is named __folio_index, so the two index assertions name it.
 */
#include <linux/mm_types.h>
#include <linux/migrate.h>

#define NR_FULLNESS_GROUPS	12	/* ZS_INUSE_RATIO_0 .. ZS_INUSE_RATIO_100, 6.3+ */
#define NR_CLASS_STAT_TYPES	14	/* 12 fullness groups + ZS_OBJS_ALLOCATED + ZS_OBJS_INUSE */
#define ZS_SIZE_CLASSES		255	/* 4 KiB pages */

/* include/linux/mm_types.h */
struct page {
	memdesc_flags_t flags;
	union {
		struct {	/* Page cache and anonymous pages */
			union {
				struct list_head lru;
				struct list_head buddy_list;
				struct list_head pcp_list;
				struct llist_node pcp_llist;
			};
			struct address_space *mapping;
			union {
				pgoff_t __folio_index;
				unsigned long share;
				unsigned long buddy_since;
			};
			unsigned long private;
		};
		struct {	/* page_pool used by netstack */
			unsigned long pp_magic;
			struct page_pool *pp;
			unsigned long _pp_mapping_pad;
			unsigned long dma_addr;
			atomic_long_t pp_ref_count;
		};
		struct {	/* Tail pages of compound page */
			unsigned long compound_head;	/* Bit zero is set */
		};
		struct {	/* ZONE_DEVICE pages */
			void *_unused_pgmap_compound_head;
			void *zone_device_data;
		};
		struct rcu_head callback_head;
	};
	union {
		unsigned int page_type;
		atomic_t _mapcount;
	};
	atomic_t _refcount;
	unsigned long memcg_data;
};

/* include/linux/migrate.h */
struct movable_operations {
	bool (*isolate_page)(struct page *, isolate_mode_t);
	int (*migrate_page)(struct page *dst, struct page *src, enum migrate_mode);
	void (*putback_page)(struct page *);
};

/* mm/zpdesc.h */
struct zpdesc {
	unsigned long flags;
	struct list_head lru;
	unsigned long movable_ops;
	union {
		struct zpdesc *next;
		unsigned long handle;
	};
	struct zspage *zspage;
	/*
	 * Only the lower 24 bits are available for offset, limiting a page
	 * to 16 MiB. The upper 8 bits are reserved for PGTY_zsmalloc.
	 */
	unsigned int first_obj_offset;
	atomic_t _refcount;
};
#define ZPDESC_MATCH(pg, zp) \
	static_assert(offsetof(struct page, pg) == offsetof(struct zpdesc, zp))

ZPDESC_MATCH(flags, flags);
ZPDESC_MATCH(lru, lru);
ZPDESC_MATCH(mapping, movable_ops);
ZPDESC_MATCH(__folio_index, next);
ZPDESC_MATCH(__folio_index, handle);
ZPDESC_MATCH(private, zspage);
ZPDESC_MATCH(page_type, first_obj_offset);
ZPDESC_MATCH(_refcount, _refcount);
#undef ZPDESC_MATCH
static_assert(sizeof(struct zpdesc) <= sizeof(struct page));

/* mm/zsmalloc.c */
#define CLASS_BITS	8
#define MAGIC_VAL_BITS	8
#define FULLNESS_BITS	4
#define HUGE_BITS	1

struct zs_size_stat {
	unsigned long objs[NR_CLASS_STAT_TYPES];
};

struct size_class {
	spinlock_t lock;
	struct list_head fullness_list[NR_FULLNESS_GROUPS];
	/*
	 * Size of objects stored in this class. Must be multiple
	 * of ZS_ALIGN.
	 */
	int size;
	int objs_per_zspage;
	/* Number of PAGE_SIZE sized pages to combine to form a 'zspage' */
	int pages_per_zspage;

	unsigned int index;
	struct zs_size_stat stats;
};

struct zs_pool_stats {
	/* How many pages were migrated (freed) */
	atomic_long_t pages_compacted;
};

struct zs_pool {
	const char *name;

	struct size_class *size_class[ZS_SIZE_CLASSES];
	struct kmem_cache *handle_cachep;
	struct kmem_cache *zspage_cachep;

	atomic_long_t pages_allocated;

	struct zs_pool_stats stats;

	/* Compact classes */
	struct shrinker *shrinker;

	struct work_struct free_work;
	/* protect zspage migration/compaction */
	rwlock_t lock;
	atomic_t compaction_in_progress;
};

struct zspage_lock {
	spinlock_t lock;
	int cnt;
	struct lockdep_map dep_map;
};

struct zspage {
	struct {
		unsigned int huge:HUGE_BITS;
		unsigned int fullness:FULLNESS_BITS;
		unsigned int class:CLASS_BITS + 1;
		unsigned int magic:MAGIC_VAL_BITS;
	};
	unsigned int inuse;
	unsigned int freeobj;
	struct zpdesc *first_zpdesc;
	struct list_head list; /* fullness list */
	struct zs_pool *pool;
	struct zspage_lock zsl;
};
