/**
 * The designs' layout rules, as data. Each rule is one thing a kernel developer would write as a
 * static_assert, or would check by eye in pahole, and each says why (which kernel code depends on
 * it). The evaluator (evaluate.ts) turns a rule plus StructLayouts into pass/fail and, on failure,
 * into messages naming both fields with byte ranges and what would have to move.
 */

export type { Design } from '../zsmalloc/designs.js';
export { designs as DESIGNS } from '../zsmalloc/designs.js';

/**
 * The structs a rule talks about, by role. `page` is the kernel's struct page (from BTF): the
 * offsets generic mm code uses. `memdesc_page` / `memdesc_page_2w` are the end state's
 * one-word and two-word struct page.
 */
export type StructRole = 'page' | 'zpdesc' | 'zspage' | 'memdesc_page' | 'memdesc_page_2w';

/** A member of a struct; `paths` are alternative spellings, the first one found is used
 *  (6.18 renamed struct page's `index` to `__folio_index`). */
export interface FieldRef {
  readonly struct: StructRole;
  readonly paths: readonly string[];
}

interface RuleBase {
  /** Stable short id, e.g. `ZPDESC_MATCH(flags, flags)`, `zspage-mapping-exclusive`. */
  readonly id: string;
  /** The kernel rule or code that needs it. */
  readonly why: string;
}

export type LayoutRule =
  /** offsetof(left) == offsetof(right), as ZPDESC_MATCH writes it. */
  | (RuleBase & { readonly kind: 'offset-match'; readonly left: FieldRef; readonly right: FieldRef })
  /** `field` sits exactly where `slot` is (offset and size): generic code reaches it through struct page. */
  | (RuleBase & { readonly kind: 'same-slot'; readonly field: FieldRef; readonly slot: FieldRef })
  /** sizeof(struct) <= sizeof(limit). */
  | (RuleBase & { readonly kind: 'size-at-most'; readonly struct: StructRole; readonly limit: StructRole })
  /** Every member of `struct` ends at or before offsetof(limit). */
  | (RuleBase & { readonly kind: 'ends-before'; readonly struct: StructRole; readonly limit: FieldRef })
  /** In `struct`, nothing but `owner` overlaps the bytes of `range` (a struct page field). */
  | (RuleBase & { readonly kind: 'exclusive-range'; readonly struct: StructRole; readonly range: FieldRef; readonly owner: string })
  /** Every member of `struct` overlapping `range` is made of pointers only (bit 0 always clear). */
  | (RuleBase & { readonly kind: 'pointers-only'; readonly struct: StructRole; readonly range: FieldRef })
  /** _Alignof(struct) >= align. */
  | (RuleBase & { readonly kind: 'min-align'; readonly struct: StructRole; readonly align: number })
  /** `struct` is exactly `words`, each one unsigned long-sized scalar, in order from offset 0;
   *  the first is the tagged word (bit 0 set on every tail page, type in the low bits). */
  | (RuleBase & { readonly kind: 'tagged-words'; readonly struct: StructRole; readonly words: readonly string[] })
  /** The field exists (the design's code uses it). */
  | (RuleBase & { readonly kind: 'field-exists'; readonly field: FieldRef });

export type LayoutRuleKind = LayoutRule['kind'];
