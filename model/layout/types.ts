/**
 * The layout of a C struct or union, as computed by the C layout engine or read from BTF.
 * Both producers emit this one shape, so assertions, pahole-style tables and the design rules
 * work on either.
 *
 * Offsets are absolute from the start of the outermost aggregate, in bits, so that nested
 * anonymous structs/unions and bitfields need no extra bookkeeping (pahole prints the same).
 */
export interface MemberLayout {
  /** Member name; '' for an anonymous struct/union member. */
  readonly name: string;
  /** Type as C spells it, e.g. `unsigned int`, `struct list_head`, `struct zpdesc *`. */
  readonly typeName: string;
  /** Absolute offset in bits from the start of the outermost aggregate. */
  readonly bitOffset: number;
  /** Size in bytes of the member's declared type (for a bitfield: its storage unit type). */
  readonly size: number;
  /** Width in bits when the member is a bitfield. */
  readonly bitSize?: number;
  /** Members of a nested struct/union (named or anonymous), with absolute offsets. */
  readonly members?: readonly MemberLayout[];
  /** For a nested aggregate: whether it is a struct or a union. */
  readonly aggregate?: 'struct' | 'union';
}

export interface StructLayout {
  readonly kind: 'struct' | 'union';
  readonly name: string;
  /** sizeof, in bytes. */
  readonly size: number;
  /** _Alignof, in bytes (BTF does not record it: readers derive it from the members). */
  readonly align: number;
  readonly members: readonly MemberLayout[];
}

export type Abi = 'lp64' | 'ilp32';
