/**
 * BTF type graph -> StructLayout (model/layout/types.ts): sizes, C spellings of types, alignment
 * derived from members (BTF records no alignment), absolute bit offsets through nested anonymous
 * structs/unions, and bitfields in both encodings (kind_flag, and the older one where the INT
 * type carries nr_bits/offset).
 *
 * Every walk over type references is bounded: reference chains are followed at most
 * MAX_CHAIN steps and each operation has a step budget, so a malformed file with a reference
 * cycle ends in a BtfError('cycle') rather than a hang or a stack overflow.
 */
import type { MemberLayout, StructLayout } from '../layout/types.js';
import { BtfError } from './error.js';
import type { Btf, BtfType } from './reader.js';

/** Longest typedef/qualifier/array/pointer chain followed; real kernels need fewer than 20. */
const MAX_CHAIN = 256;
/** Work budget of one layout/type-name computation (nested members, prototype parameters). */
const STEP_BUDGET = 200_000;

export interface BtfLayoutOptions {
  /**
   * Also expand members whose type is a named struct/union (e.g. `struct zspage_lock zsl`), so
   * member paths like `zsl.cnt` resolve. pahole, and the default here, expand only anonymous ones.
   */
  readonly expandNamed?: boolean;
  /** Nesting limit of named expansion (anonymous nesting is always followed). */
  readonly maxDepth?: number;
}

class Budget {
  private steps = 0;
  constructor(
    private readonly btf: Btf,
    private readonly limit = STEP_BUDGET,
  ) {}
  tick(t: { id: number; byteOffset: number }): void {
    if (++this.steps > this.limit)
      throw new BtfError('cycle', this.btf.file, `type reference cycle or runaway nesting through type id ${t.id}`, t.byteOffset);
  }
}

/** Aggregates nested by value deeper than this are rejected (the kernel's deepest is ~10). */
const MAX_NESTING = 64;

function nestingError(btf: Btf, t: { id: number; byteOffset: number }): BtfError {
  return new BtfError('cycle', btf.file, `aggregates nested more than ${MAX_NESTING} deep at type id ${t.id}`, t.byteOffset);
}

function cycleError(btf: Btf, t: { id: number; byteOffset: number }): BtfError {
  return new BtfError('cycle', btf.file, `type reference cycle through type id ${t.id}`, t.byteOffset);
}

/** The one type a pointer, qualifier, typedef, tag or array refers to; undefined for others. */
const chainNext = (btf: Btf, id: number): number | undefined => btf.chainTarget(id);

/**
 * A reference chain from `start` went past MAX_CHAIN. Whether it is a cycle is decided, not
 * guessed (Floyd's tortoise and hare: linear time, constant memory), so a legal 2,000,000-long
 * pointer chain is reported as too long, never as a cycle.
 */
function chainError(btf: Btf, start: { id: number; byteOffset: number }): BtfError {
  let slow: number | undefined = start.id;
  let fast: number | undefined = start.id;
  let length = 0;
  for (;;) {
    fast = fast === undefined ? undefined : chainNext(btf, fast);
    fast = fast === undefined ? undefined : chainNext(btf, fast);
    slow = chainNext(btf, slow!);
    length += 2;
    if (fast === undefined) break;
    if (fast === slow) return cycleError(btf, btf.type(fast));
  }
  for (let id: number | undefined = start.id, n = 0; id !== undefined; id = chainNext(btf, id), n++) length = n;
  return new BtfError(
    'too-deep',
    btf.file,
    `a chain of ${length} pointer/qualifier/typedef/array types from type id ${start.id} is longer than memdesc-mc follows (${MAX_CHAIN}); it is not a cycle`,
    start.byteOffset,
  );
}

/** Follows typedefs, qualifiers and type tags to the type that determines size and layout. */
export function resolveType(btf: Btf, id: number, referencedAt = 0): BtfType {
  let t = btf.type(id, referencedAt);
  const start = t;
  for (let i = 0; i < MAX_CHAIN; i++) {
    switch (t.kind) {
      case 'TYPEDEF':
      case 'VOLATILE':
      case 'CONST':
      case 'RESTRICT':
      case 'TYPE_TAG':
        t = btf.type(t.type, t.byteOffset + 8);
        continue;
      default:
        return t;
    }
  }
  throw chainError(btf, start);
}

/** sizeof(type) in bytes. */
export function sizeOf(btf: Btf, id: number, referencedAt = 0): number {
  let t = resolveType(btf, id, referencedAt);
  const start = t;
  let factor = 1;
  for (let i = 0; i < MAX_CHAIN; i++) {
    switch (t.kind) {
      case 'ARRAY':
        factor *= t.nelems;
        t = resolveType(btf, t.elemType, t.byteOffset + 12);
        continue;
      case 'PTR':
        return factor * btf.pointerSize();
      case 'INT':
      case 'ENUM':
      case 'ENUM64':
      case 'FLOAT':
      case 'STRUCT':
      case 'UNION':
      case 'DATASEC':
        return factor * t.size;
      case 'VOID':
      case 'FWD':
      case 'FUNC':
      case 'FUNC_PROTO':
      case 'VAR':
      case 'DECL_TAG':
      case 'TYPEDEF':
      case 'VOLATILE':
      case 'CONST':
      case 'RESTRICT':
      case 'TYPE_TAG':
        // No object size (incomplete or not an object type).
        return 0;
    }
  }
  throw chainError(btf, start);
}

/** Alignment per type id of each file: nested aggregates are shared by many structs. */
const alignMemo = new WeakMap<Btf, Map<number, number>>();

/**
 * _Alignof(type), derived as libbpf's btf__align_of() does: scalars align to their size capped
 * at the pointer size (__int128 keeps 16 on LP64, as the x86-64 and arm64 ABIs say), aggregates
 * to their most aligned member, and an aggregate whose member offsets or size contradict that
 * alignment was packed, so 1. Explicit __aligned() is not recorded in BTF; where it left holes or
 * tail padding, the smallest alignment explaining them is taken (a lower bound, as pahole does).
 */
export function alignOf(btf: Btf, id: number, referencedAt = 0, budget = new Budget(btf), active = new Set<number>()): number {
  let memo = alignMemo.get(btf);
  if (!memo) alignMemo.set(btf, (memo = new Map()));
  const known = memo.get(id);
  if (known !== undefined) return known;
  const a = computeAlign(btf, id, referencedAt, budget, active);
  memo.set(id, a);
  return a;
}

function computeAlign(btf: Btf, id: number, referencedAt: number, budget: Budget, active: Set<number>): number {
  let t = resolveType(btf, id, referencedAt);
  const start = t;
  for (let i = 0; i < MAX_CHAIN; i++) {
    budget.tick(t);
    switch (t.kind) {
      case 'ARRAY':
        t = resolveType(btf, t.elemType, t.byteOffset + 12);
        continue;
      case 'PTR':
        return btf.pointerSize();
      case 'INT':
      case 'ENUM':
      case 'ENUM64':
      case 'FLOAT': {
        const ptr = btf.pointerSize();
        if (t.size === 16 && ptr === 8) return 16;
        return Math.max(1, Math.min(t.size, ptr));
      }
      case 'STRUCT':
      case 'UNION': {
        if (active.has(t.id)) throw cycleError(btf, t);
        if (active.size >= MAX_NESTING) throw nestingError(btf, t);
        active.add(t.id);
        let max = 1;
        let packed = false;
        // Explicit __aligned() is not in BTF, but it leaves traces pahole also reads: a hole
        // before a member that the member's own alignment does not explain, or tail padding
        // beyond the members' alignment. The smallest power of two that explains each is a
        // lower bound of the true alignment.
        let inferred = 1;
        let endBits = 0;
        for (const m of t.members) {
          const a = alignOf(btf, m.type, t.byteOffset, budget, active);
          max = Math.max(max, a);
          const bf = isBitfield(btf, m);
          if (!bf && m.bitOffset % (8 * a) !== 0) packed = true;
          if (!bf && t.kind === 'STRUCT' && m.bitOffset % 8 === 0) {
            const at = m.bitOffset / 8;
            const prevEnd = Math.ceil(endBits / 8);
            if (at > roundUp(prevEnd, a)) inferred = Math.max(inferred, explainingAlign(prevEnd, at, a));
          }
          const size = bf ? 0 : sizeOf(btf, m.type, t.byteOffset);
          endBits = Math.max(endBits, m.bitOffset + (bf ? bitfieldOf(btf, m)!.bits : size * 8));
        }
        active.delete(t.id);
        if (packed || t.size % max !== 0) return 1;
        const natural = Math.max(max, inferred);
        const end = Math.ceil(endBits / 8);
        if (t.size > roundUp(end, natural)) return explainingAlign(end, t.size, natural);
        return natural;
      }
      case 'VOID':
      case 'FWD':
      case 'FUNC':
      case 'FUNC_PROTO':
      case 'VAR':
      case 'DATASEC':
      case 'DECL_TAG':
      case 'TYPEDEF':
      case 'VOLATILE':
      case 'CONST':
      case 'RESTRICT':
      case 'TYPE_TAG':
        return 1;
    }
  }
  throw chainError(btf, start);
}

const roundUp = (x: number, a: number) => Math.ceil(x / a) * a;

/** The smallest power of two >= `from` that rounds `end` up to exactly `to`, or `from` if none. */
function explainingAlign(end: number, to: number, from: number): number {
  for (let p = from; p <= 1 << 16; p *= 2) {
    const r = roundUp(end, p);
    if (r === to) return p;
    if (r > to) break;
  }
  return from;
}

interface Bitfield {
  /** Absolute adjustment of the offset (old encoding: BTF_INT_OFFSET). */
  readonly extraOffset: number;
  readonly bits: number;
}

/** The bitfield encoded by a member, in either encoding, or null. */
function bitfieldOf(btf: Btf, m: { type: number; bitfieldSize: number }): Bitfield | null {
  if (m.bitfieldSize > 0) return { extraOffset: 0, bits: m.bitfieldSize };
  // Without kind_flag, a bitfield's type is an INT whose nr_bits/offset describe it directly.
  const t = btf.type(m.type);
  if (t.kind === 'INT' && (t.bits !== t.size * 8 || t.bitOffset !== 0) && t.bits > 0)
    return { extraOffset: t.bitOffset, bits: t.bits };
  return null;
}

function isBitfield(btf: Btf, m: { type: number; bitfieldSize: number }): boolean {
  return bitfieldOf(btf, m) !== null;
}

/**
 * The C spelling of a type, as pahole prints it (BTF's own base names, e.g. `long unsigned int`),
 * with `declarator` placed where C puts it: `struct page *`, `struct list_head [12]`,
 * `bool (*)(struct page *, isolate_mode_t)`.
 */
export function typeName(btf: Btf, id: number, declarator = '', budget = new Budget(btf)): string {
  return spell(btf, id, declarator, budget, 0);
}

function join(base: string, declarator: string): string {
  if (declarator === '') return base;
  if (declarator.startsWith('[')) return `${base}${declarator}`;
  return `${base} ${declarator}`;
}

function spell(btf: Btf, id: number, decl: string, budget: Budget, depth: number): string {
  const t = btf.type(id);
  budget.tick(t);
  if (depth > MAX_CHAIN) throw chainError(btf, t);
  switch (t.kind) {
    case 'VOID':
      return join('void', decl);
    case 'INT':
    case 'FLOAT':
    case 'TYPEDEF':
      return join(t.name, decl);
    case 'STRUCT':
      return join(t.name ? `struct ${t.name}` : 'struct', decl);
    case 'UNION':
      return join(t.name ? `union ${t.name}` : 'union', decl);
    case 'ENUM':
    case 'ENUM64':
      return join(t.name ? `enum ${t.name}` : 'enum', decl);
    case 'FWD':
      return join(`${t.union ? 'union' : 'struct'} ${t.name}`, decl);
    case 'PTR': {
      const target = btf.type(t.type);
      const inner = target.kind === 'ARRAY' || target.kind === 'FUNC_PROTO' ? `(*${decl})` : `*${decl}`;
      return spell(btf, t.type, inner, budget, depth + 1);
    }
    case 'CONST':
    case 'VOLATILE':
    case 'RESTRICT': {
      const q = t.kind === 'CONST' ? 'const' : t.kind === 'VOLATILE' ? 'volatile' : 'restrict';
      const target = btf.type(t.type);
      // A qualified pointer keeps the qualifier after the star: `char *const p`.
      if (target.kind === 'PTR') return spell(btf, t.type, decl ? `${q} ${decl}` : q, budget, depth + 1);
      return `${q} ${spell(btf, t.type, decl, budget, depth + 1)}`;
    }
    case 'TYPE_TAG':
      return spell(btf, t.type, decl, budget, depth + 1);
    case 'ARRAY':
      return spell(btf, t.elemType, `${decl}[${t.nelems === 0 ? '' : t.nelems}]`, budget, depth + 1);
    case 'FUNC_PROTO': {
      const params = t.params.map((p, i) =>
        p.type === 0 && i === t.params.length - 1 ? '...' : spell(btf, p.type, '', budget, depth + 1),
      );
      return spell(btf, t.returnType, `${decl}(${params.length ? params.join(', ') : 'void'})`, budget, depth + 1);
    }
    case 'FUNC':
    case 'VAR':
    case 'DATASEC':
    case 'DECL_TAG':
      return join(t.name, decl);
  }
}

/**
 * The type id of the struct or union `name` (optionally written `struct name` / `union name`).
 * BTF dedup keeps distinct definitions of one name apart (different units define different
 * `struct foo`s); such a name is ambiguous and refused, naming the ids, rather than silently
 * taken to mean the first. Forward declarations and empty placeholders (size 0, no members) do
 * not count when a real definition exists.
 */
export function findStructId(btf: Btf, name: string): number {
  const m = /^(struct|union)\s+(.+)$/.exec(name.trim());
  const want = m ? (m[1] as 'struct' | 'union') : undefined;
  const bare = m ? m[2]!.trim() : name.trim();
  const ids = btf.findAggregates(bare).filter((id) => {
    const t = btf.type(id);
    return want === undefined || t.kind === (want === 'struct' ? 'STRUCT' : 'UNION');
  });
  if (ids.length === 0)
    throw new BtfError('missing-type', btf.file, `no ${want ?? 'struct or union'} named '${bare}'`);
  const complete = ids.filter((id) => {
    const t = btf.type(id);
    return t.kind === 'STRUCT' || t.kind === 'UNION' ? t.size > 0 || t.members.length > 0 : false;
  });
  const candidates = complete.length > 0 ? complete : ids;
  if (candidates.length > 1) {
    const list = candidates.map((id) => `${btf.type(id).kind === 'UNION' ? 'union' : 'struct'} ${id}${btf.fileOf(id) !== btf.file ? ` in ${btf.fileOf(id)}` : ''}`);
    throw new BtfError(
      'ambiguous',
      btf.file,
      `'${bare}' is defined ${candidates.length} times (type ids: ${list.join(', ')}); choose one with --type-id`,
    );
  }
  return candidates[0]!;
}

/** The layout of the struct or union `name`; a name with several definitions is an error (findStructId). */
export function structLayout(btf: Btf, name: string, options: BtfLayoutOptions = {}): StructLayout {
  return structLayoutById(btf, findStructId(btf, name), options);
}

/** The layout of the struct/union with type id `id`. */
export function structLayoutById(btf: Btf, id: number, options: BtfLayoutOptions = {}): StructLayout {
  const t = btf.type(id);
  if (t.kind !== 'STRUCT' && t.kind !== 'UNION')
    throw new BtfError('bad-type', btf.file, `type id ${id} is ${t.kind}, not a struct or union`, t.byteOffset);
  const budget = new Budget(btf);
  const ctx: Ctx = { btf, budget, expandNamed: options.expandNamed ?? false, maxDepth: options.maxDepth ?? 8 };
  const active = new Set<number>([t.id]);
  return {
    kind: t.kind === 'STRUCT' ? 'struct' : 'union',
    name: t.name,
    size: t.size,
    align: alignOf(btf, id, 0, budget),
    members: membersOf(ctx, t, 0, 0, active),
  };
}

interface Ctx {
  readonly btf: Btf;
  readonly budget: Budget;
  readonly expandNamed: boolean;
  readonly maxDepth: number;
}

function membersOf(
  ctx: Ctx,
  t: Extract<BtfType, { kind: 'STRUCT' | 'UNION' }>,
  base: number,
  namedDepth: number,
  active: Set<number>,
): MemberLayout[] {
  const { btf, budget } = ctx;
  const out: MemberLayout[] = [];
  for (const m of t.members) {
    budget.tick(t);
    const bf = bitfieldOf(btf, m);
    const bitOffset = base + m.bitOffset + (bf?.extraOffset ?? 0);
    const size = sizeOf(btf, m.type, t.byteOffset);
    const typeStr = typeName(btf, m.type, '', budget);
    if (bf) {
      out.push({ name: m.name, typeName: typeStr, bitOffset, size, bitSize: bf.bits });
      continue;
    }
    // pahole expands a member whose type is directly an anonymous struct/union (through
    // qualifiers, not through typedefs: `atomic_t` stays a leaf).
    let inner = btf.type(m.type);
    for (let i = 0; i < MAX_CHAIN && (inner.kind === 'CONST' || inner.kind === 'VOLATILE' || inner.kind === 'TYPE_TAG'); i++)
      inner = btf.type(inner.type);
    if (inner.kind === 'STRUCT' || inner.kind === 'UNION') {
      const anonymous = inner.name === '';
      if (anonymous || (ctx.expandNamed && namedDepth < ctx.maxDepth)) {
        if (active.has(inner.id)) throw cycleError(btf, inner);
        if (active.size >= MAX_NESTING) throw nestingError(btf, inner);
        active.add(inner.id);
        const members = membersOf(ctx, inner, bitOffset, anonymous ? namedDepth : namedDepth + 1, active);
        active.delete(inner.id);
        out.push({
          name: m.name,
          typeName: typeStr,
          bitOffset,
          size,
          members,
          aggregate: inner.kind === 'STRUCT' ? 'struct' : 'union',
        });
        continue;
      }
    }
    out.push({ name: m.name, typeName: typeStr, bitOffset, size });
  }
  return out;
}
