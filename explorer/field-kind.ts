/**
 * How a field's value reads to a person. The engine never looks at it: it is metadata the model
 * declares next to a field's bounds so that renderers (text trace, HTML view, ITF) can decode
 * values without knowing the model. A field without a kind is a plain integer.
 *
 * Every kind may name special values (`sentinels`, e.g. -1 → "no zspage"), which win over the
 * kind's own decoding.
 */
export type FieldKind =
  /** A plain count or number. */
  | { readonly kind: 'int'; readonly sentinels?: Sentinels; readonly picture?: PictureRole }
  /** 0 or 1. */
  | { readonly kind: 'flag'; readonly sentinels?: Sentinels; readonly picture?: PictureRole }
  /** Control state of a thread (program counter, return slot, op index): an encoding of the
   *  model's own interpreter, hidden from the decoded view. `role: 'pc'` values index the
   *  system's labels (labels.length = done). */
  | { readonly kind: 'control'; readonly role: 'pc' | 'ret' | 'op'; readonly thread: number; readonly sentinels?: Sentinels; readonly picture?: PictureRole }
  /** A lock's owner: 0 = free, t + 1 = held by thread t. */
  | { readonly kind: 'owner'; readonly sentinels?: Sentinels; readonly picture?: PictureRole }
  /** A set of threads as a bit mask: bit t = thread t (e.g. an rwlock's readers). */
  | { readonly kind: 'threadSet'; readonly sentinels?: Sentinels; readonly picture?: PictureRole }
  /** Named values (the model's enum, by the names its source uses). */
  | { readonly kind: 'enum'; readonly names: Readonly<Record<number, string>>; readonly sentinels?: Sentinels; readonly picture?: PictureRole }
  /** A word best read in hexadecimal (magic numbers, flag words). */
  | { readonly kind: 'hex'; readonly sentinels?: Sentinels; readonly picture?: PictureRole }
  /** A reference to an instance of another object: value i → `${of}[i]`, or `names[i]`. With
   *  `span`, the value packs an instance and a slot: v → `${of}[v / span]` slot `v % span`. */
  | { readonly kind: 'ref'; readonly of: string; readonly names?: readonly string[]; readonly offset?: number; readonly span?: number; readonly slot?: string; readonly sentinels?: Sentinels; readonly picture?: PictureRole };

export type Sentinels = Readonly<Record<number, string>>;

/**
 * What the state picture does with the field: `show` prints `name=value` in its object's box,
 * `alive` draws the object faded while the value is 0 (a freed descriptor), `free` draws it
 * faded while the value is non-zero (a page back in the buddy allocator).
 */
export type PictureRole = 'show' | 'alive' | 'free';
