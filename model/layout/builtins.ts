/**
 * The kernel's common types, as a C prelude parsed before every header. Definitions follow
 * x86 kernel headers for a build without lockdep or spinlock debugging (include/linux/types.h,
 * spinlock_types*.h, asm-generic/qrwlock_types.h, atomic types), which is how distribution
 * kernels and the 6.18 BTF in the spec are built: spinlock_t is 4 bytes, rwlock_t 8,
 * struct lockdep_map empty.
 */
export const KERNEL_PRELUDE = `
typedef _Bool bool;
typedef unsigned char u8;   typedef signed char s8;
typedef unsigned short u16; typedef short s16;
typedef unsigned int u32;   typedef int s32;
typedef unsigned long long u64; typedef long long s64;
typedef unsigned char __u8;   typedef signed char __s8;
typedef unsigned short __u16; typedef short __s16;
typedef unsigned int __u32;   typedef int __s32;
typedef unsigned long long __u64; typedef long long __s64;
typedef __u16 __le16; typedef __u16 __be16; typedef __u32 __le32; typedef __u32 __be32;
typedef __u64 __le64; typedef __u64 __be64;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
typedef unsigned long uintptr_t;
typedef long intptr_t;
typedef u8 uint8_t; typedef u16 uint16_t; typedef u32 uint32_t; typedef u64 uint64_t;
typedef s8 int8_t; typedef s16 int16_t; typedef s32 int32_t; typedef s64 int64_t;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned long pgoff_t;
typedef long long loff_t;
typedef unsigned int gfp_t;
typedef unsigned int fmode_t;
typedef unsigned int isolate_mode_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned short umode_t;
typedef long long time64_t;
typedef unsigned long pteval_t;

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
/* i386 forces 8-byte alignment for cmpxchg8b (arch/x86/include/asm/atomic64_32.h). */
typedef struct { s64 counter __attribute__((aligned(8))); } atomic64_t;
typedef struct refcount_struct { atomic_t refs; } refcount_t;
typedef struct { unsigned long val; } swp_entry_t;
typedef struct { unsigned long f; } memdesc_flags_t;
typedef struct { unsigned long pte; } pte_t;

struct lockdep_map { };
typedef struct qspinlock {
	union {
		atomic_t val;
		struct { u8 locked; u8 pending; };
		struct { u16 locked_pending; u16 tail; };
	};
} arch_spinlock_t;
typedef struct qrwlock {
	union {
		atomic_t cnts;
		struct { u8 wlocked; u8 __lstate[3]; };
	};
	arch_spinlock_t wait_lock;
} arch_rwlock_t;
typedef struct raw_spinlock { arch_spinlock_t raw_lock; } raw_spinlock_t;
typedef struct spinlock { union { struct raw_spinlock rlock; }; } spinlock_t;
typedef struct { arch_rwlock_t raw_lock; } rwlock_t;
typedef struct seqcount { unsigned sequence; } seqcount_t;
typedef struct { seqcount_t seqcount; spinlock_t lock; } seqlock_t;

struct list_head { struct list_head *next, *prev; };
struct hlist_head { struct hlist_node *first; };
struct hlist_node { struct hlist_node *next, **pprev; };
struct llist_node { struct llist_node *next; };
struct llist_head { struct llist_node *first; };
struct callback_head { struct callback_head *next; void (*func)(struct callback_head *head); };
/* The kernel spells it '#define rcu_head callback_head'; a tag alias is not C, so a twin. */
struct rcu_head { struct rcu_head *next; void (*func)(struct rcu_head *head); };
struct rb_node { unsigned long __rb_parent_color; struct rb_node *rb_right; struct rb_node *rb_left; } __attribute__((aligned(sizeof(long))));
struct rb_root { struct rb_node *rb_node; };
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct { atomic_long_t data; struct list_head entry; work_func_t func; };
struct wait_queue_head { spinlock_t lock; struct list_head head; };
typedef struct wait_queue_head wait_queue_head_t;
struct mutex { atomic_long_t owner; raw_spinlock_t wait_lock; struct list_head wait_list; };

struct address_space;
struct page;
struct folio;
struct kmem_cache;
struct zone;
struct mem_cgroup;
struct dev_pagemap;
struct page_pool;
struct shrinker;
struct inode;
struct movable_operations;
enum migrate_mode { MIGRATE_ASYNC, MIGRATE_SYNC_LIGHT, MIGRATE_SYNC };
`;
