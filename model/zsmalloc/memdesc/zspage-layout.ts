/**
 * Which `struct zspage` member generic mm code hits in the memdesc design.
 *
 * In the pageless end-state every zsmalloc page is a tail page whose one word points at its
 * `struct zspage`; code that still thinks in pages (trylock_page/folio_lock on the flags word,
 * get_page_unless_zero/folio_try_get/folio_put on `_refcount`, page_movable_ops through
 * `->mapping`) follows that word and then reads the descriptor at *struct page* offsets. So the
 * behaviour of the model depends on the layout: whatever member of the user's `struct zspage`
 * lies under those offsets is what the generic core writes. The layout engine reads the header
 * (gcc's rules, LP64), struct page comes from the shipped 6.18 header, and the result is a small
 * table the machine follows: a PG_locked store sets bit 0 of the member under offset 0, a
 * `_refcount` get/put moves the member under offsetof(struct page, _refcount).
 *
 * Simplification: `->mapping` is only reported (the model's core reads PG_movable_ops from the
 * page, as 6.18's page_movable_ops() does), not redirected.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bundledHeaderPath, HeaderError, membersOverlapping, NoPreprocessorError, readHeaderFile, resolveMember,
  type MemberRange, type StructLayout,
} from '../../layout/index.js';

/** The zspage members the model keeps a field for (names as the kernel spells them). */
export const TRACKED_MEMBERS = ['flags', '_refcount', 'mapping', 'huge', 'fullness', 'class', 'magic', 'inuse', 'freeobj', 'zsl.cnt'] as const;
export type ZspageMember = (typeof TRACKED_MEMBERS)[number];

/** A resolved layout: where the generic core's page-offset accesses land. Plain data, so it
 *  travels in trace files and replays without the header. */
export interface ZspageLayout {
  /** `proposed`, `6.18`, or the header's file name. */
  readonly name: string;
  /** The member under PG_locked (bit 0 of the flags word at struct page offset 0). */
  readonly lockBit: ZspageMember;
  /** The member under `_refcount`. */
  readonly refcount: ZspageMember;
  /** The member under `->mapping`, or null when that is no tracked member (reported only). */
  readonly mapping: string | null;
}

/** The two layouts shipped with the tool, each a header the user can read and copy. */
export const BUILTIN_LAYOUTS = ['proposed', '6.18'] as const;
export type BuiltinLayout = (typeof BUILTIN_LAYOUTS)[number];

/** What a scenario or the command line names: a built-in, a header path, or a resolved table. */
export type ZspageLayoutChoice = BuiltinLayout | string | ZspageLayout;

/** A header that cannot serve as the zspage layout: one line naming the file. */
export class ZspageLayoutError extends Error {
  override readonly name = 'ZspageLayoutError';
}

function builtinHeader(name: BuiltinLayout): string {
  if (name === '6.18') return bundledHeaderPath('zsmalloc-6.18.h');
  // scenarios/layouts/ sits beside model/ in the source tree and in the package (dist/ holds
  // only compiled code), so look three and four levels up.
  for (const rel of ['../../../scenarios/layouts/memdesc-zspage.h', '../../../../scenarios/layouts/memdesc-zspage.h']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new ZspageLayoutError('the shipped header scenarios/layouts/memdesc-zspage.h is missing from this installation');
}

/** struct page of 6.18 (LP64): where the generic core reads. */
let pageCache: StructLayout | undefined;
function structPage(): StructLayout {
  if (pageCache) return pageCache;
  const page = readHeaderFile(bundledHeaderPath('zsmalloc-6.18.h'), { abi: 'lp64' }).layoutOf('page');
  if (!page) throw new ZspageLayoutError('the shipped 6.18 header defines no struct page');
  pageCache ??= page;
  return pageCache;
}

function memberName(r: MemberRange): string {
  // `_refcount.counter` (atomic_t) and `flags.f` (memdesc_flags_t) are the member itself.
  return r.path.replace(/\.(counter|f)$/, '');
}

function tracked(name: string): ZspageMember | undefined {
  return (TRACKED_MEMBERS as readonly string[]).includes(name) ? (name as ZspageMember) : undefined;
}

/** The zspage member lying over bits [bitStart, bitEnd) of the descriptor. */
function memberAt(zspage: StructLayout, bitStart: number, bitEnd: number): MemberRange | undefined {
  return membersOverlapping(zspage, Math.floor(bitStart / 8), Math.ceil(bitEnd / 8))
    .find((r) => r.bitStart < bitEnd && bitStart < r.bitEnd);
}

/** Resolves `struct zspage` of a header into the table the machine follows. */
export function zspageLayoutFromHeader(file: string, name = basename(file)): ZspageLayout {
  let zspage: StructLayout | undefined;
  try {
    zspage = readHeaderFile(file, { abi: 'lp64' }).layoutOf('zspage');
  } catch (e) {
    if (e instanceof HeaderError || e instanceof NoPreprocessorError) throw new ZspageLayoutError(e.message);
    throw new ZspageLayoutError(`${file}: ${(e as Error).message}`);
  }
  if (!zspage) throw new ZspageLayoutError(`${file}: defines no struct zspage`);
  const z = zspage;
  const page = structPage();
  const where = (pageMember: string, bits?: number): { member: string; tracked?: ZspageMember; at: string } => {
    const r = resolveMember(page, pageMember);
    const end = bits !== undefined ? r.bitStart + bits : r.bitEnd;
    const hit = memberAt(z, r.bitStart, end);
    const at = bits !== undefined ? `bit ${r.bitStart} of offset ${r.byteStart}` : `offset ${r.byteStart}`;
    if (!hit) return { member: '', at };
    const m = memberName(hit);
    return { member: m, tracked: tracked(m), at };
  };
  const need = (what: string, w: ReturnType<typeof where>): ZspageMember => {
    if (w.tracked) return w.tracked;
    const lands = w.member ? `lands on member '${w.member}'` : 'lands on no member (a hole or past the end)';
    throw new ZspageLayoutError(
      `${file}: struct page's ${what} (${w.at}) ${lands} of struct zspage, which the model does not track ` +
      `(tracked: ${TRACKED_MEMBERS.join(', ')})`);
  };
  const lock = where('flags', 1);
  const ref = where('_refcount');
  const mapping = where('mapping');
  return { name, lockBit: need('PG_locked', lock), refcount: need('_refcount', ref), mapping: mapping.member || null };
}

const resolved = new Map<string, ZspageLayout>();

/** A built-in name, a header path, or an already resolved table → the table. */
export function resolveZspageLayout(choice: ZspageLayoutChoice): ZspageLayout {
  if (typeof choice !== 'string') return choice;
  let hit = resolved.get(choice);
  if (!hit) {
    hit = (BUILTIN_LAYOUTS as readonly string[]).includes(choice)
      ? zspageLayoutFromHeader(builtinHeader(choice as BuiltinLayout), choice)
      : zspageLayoutFromHeader(choice);
    resolved.set(choice, hit);
  }
  return hit;
}

/** The header a built-in layout is read from (for `--help` and the README). */
export function builtinLayoutHeader(name: BuiltinLayout): string {
  return builtinHeader(name);
}
