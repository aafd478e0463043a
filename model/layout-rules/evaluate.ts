/**
 * Evaluates layout rules over StructLayouts (from BTF or from the C layout engine, the same
 * contract). A failing rule explains itself: both fields with byte ranges, and what would have to
 * move, e.g. "zspage.list (24..40) overlaps page.mapping (24..32): move list past 56 or put mapping
 * at 24".
 */
import { match } from 'ts-pattern';
import type { StructLayout } from '../layout/types.js';
import { DESIGN_RULES, ROLE_STRUCT } from './designs.js';
import { formatRange, isPointerType, leaves, overlaps, resolve, units, type ByteRange } from './members.js';
import type { Design, FieldRef, LayoutRule, StructRole } from './rules.js';

export type RoleLayouts = Partial<Record<StructRole, StructLayout>>;

export interface RuleResult {
  readonly rule: LayoutRule;
  readonly passed: boolean;
  /** The rule as a C-like assertion, e.g. `offsetof(struct page, mapping) == offsetof(struct zpdesc, movable_ops)`. */
  readonly assertion: string;
  /** Why it failed, one sentence each; empty when it passed. */
  readonly failures: readonly string[];
}

/** A rule needs a struct that was not supplied: a usage problem, not a rule failure. */
export class MissingStructError extends Error {
  constructor(readonly role: StructRole) {
    super(`struct ${ROLE_STRUCT[role]} is needed but was not found in the BTF or header`);
    this.name = 'MissingStructError';
  }
}

function need(layouts: RoleLayouts, role: StructRole): StructLayout {
  const l = layouts[role];
  if (!l) throw new MissingStructError(role);
  return l;
}

const sname = (role: StructRole) => ROLE_STRUCT[role];
const fname = (f: FieldRef) => f.paths[0]!;

/** Where the free area after the bytes generic code owns begins (the end of the last exclusive range). */
function freeFrom(rules: readonly LayoutRule[], layouts: RoleLayouts, struct: StructRole): number {
  let end = 0;
  for (const r of rules) {
    if (r.kind !== 'exclusive-range' || r.struct !== struct) continue;
    const lim = layouts[r.range.struct] && resolve(layouts[r.range.struct]!, r.range.paths);
    if (lim) end = Math.max(end, lim.range.end);
  }
  return end;
}

export function evaluateRule(rule: LayoutRule, layouts: RoleLayouts, context: readonly LayoutRule[] = [rule]): RuleResult {
  const failures: string[] = [];
  const field = (f: FieldRef) => {
    const layout = need(layouts, f.struct);
    const found = resolve(layout, f.paths);
    return { layout, found };
  };
  const assertion = match(rule)
    .with({ kind: 'offset-match' }, (r) => {
      const a = field(r.left);
      const b = field(r.right);
      if (!a.found) failures.push(`struct ${sname(r.left.struct)} has no member '${fname(r.left)}'`);
      if (!b.found) failures.push(`struct ${sname(r.right.struct)} has no member '${fname(r.right)}'`);
      if (a.found && b.found && a.found.range.start !== b.found.range.start)
        failures.push(
          `${sname(r.right.struct)}.${b.found.path} (${formatRange(b.found.range)}) is not at ${sname(r.left.struct)}.${a.found.path} (${formatRange(a.found.range)}): move ${b.found.path} to ${a.found.range.start}`,
        );
      return `offsetof(struct ${sname(r.left.struct)}, ${a.found?.path ?? fname(r.left)}) == offsetof(struct ${sname(r.right.struct)}, ${b.found?.path ?? fname(r.right)})`;
    })
    .with({ kind: 'same-slot' }, (r) => {
      const slot = field(r.slot);
      const f = field(r.field);
      if (!slot.found) failures.push(`struct ${sname(r.slot.struct)} has no member '${fname(r.slot)}'`);
      else if (!f.found)
        failures.push(
          `struct ${sname(r.field.struct)} has no member '${fname(r.field)}': it must occupy ${formatRange(slot.found.range)}, where struct ${sname(r.slot.struct)} has ${slot.found.path}`,
        );
      else if (f.found.range.start !== slot.found.range.start || f.found.range.end !== slot.found.range.end)
        failures.push(
          `${sname(r.field.struct)}.${f.found.path} (${formatRange(f.found.range)}) is not at ${sname(r.slot.struct)}.${slot.found.path} (${formatRange(slot.found.range)}): put ${f.found.path} at ${slot.found.range.start} with size ${slot.found.range.end - slot.found.range.start}`,
        );
      return `offsetof(struct ${sname(r.field.struct)}, ${fname(r.field)}) == offsetof(struct ${sname(r.slot.struct)}, ${fname(r.slot)}) && same size`;
    })
    .with({ kind: 'size-at-most' }, (r) => {
      const s = need(layouts, r.struct);
      const l = need(layouts, r.limit);
      if (s.size > l.size)
        failures.push(`sizeof(struct ${s.name}) is ${s.size}, over sizeof(struct ${l.name}) ${l.size}: shrink it by ${s.size - l.size} bytes`);
      return `sizeof(struct ${sname(r.struct)}) <= sizeof(struct ${sname(r.limit)})`;
    })
    .with({ kind: 'ends-before' }, (r) => {
      const s = need(layouts, r.struct);
      const lim = field(r.limit);
      if (!lim.found) failures.push(`struct ${sname(r.limit.struct)} has no member '${fname(r.limit)}'`);
      else
        for (const u of units(s))
          if (u.end > lim.found.range.start)
            failures.push(
              `${s.name}.${u.label} (${formatRange(u)}) reaches ${sname(r.limit.struct)}.${lim.found.path} (${formatRange(lim.found.range)}): it must end by ${lim.found.range.start}`,
            );
      return `every member of struct ${sname(r.struct)} ends by offsetof(struct ${sname(r.limit.struct)}, ${fname(r.limit)})`;
    })
    .with({ kind: 'exclusive-range' }, (r) => {
      const s = need(layouts, r.struct);
      const range = field(r.range);
      if (!range.found) failures.push(`struct ${sname(r.range.struct)} has no member '${fname(r.range)}'`);
      else {
        const reserved = range.found.range;
        const after = freeFrom(context, layouts, r.struct);
        for (const u of units(s)) {
          if (u.names.length === 1 && u.names[0] === r.owner) continue;
          if (!overlaps(u, reserved)) continue;
          const culprits = u.leaves.filter((l) => overlaps(l, reserved));
          const detail =
            u.leaves.length > 1 && culprits.length < u.leaves.length && !u.label.startsWith('bitfield')
              ? `; ${culprits.map((l) => `${l.path} ${formatRange(l)}`).join(', ')}`
              : '';
          const what = u.label.startsWith('bitfield') ? `${s.name} ${u.label}` : `${s.name}.${u.label}`;
          const it = u.label.startsWith('bitfield') ? 'it' : u.label;
          failures.push(
            `${what} (${formatRange(u)}${detail}) overlaps ${sname(r.range.struct)}.${range.found.path} (${formatRange(reserved)}): move ${it} past ${Math.max(after, reserved.end)} or put ${r.owner} at ${reserved.start}`,
          );
        }
      }
      return `no member of struct ${sname(r.struct)} but ${r.owner} overlaps ${sname(r.range.struct)}.${fname(r.range)}${range.found ? ` (${formatRange(range.found.range)})` : ''}`;
    })
    .with({ kind: 'pointers-only' }, (r) => {
      const s = need(layouts, r.struct);
      const range = field(r.range);
      if (!range.found) failures.push(`struct ${sname(r.range.struct)} has no member '${fname(r.range)}'`);
      else {
        const reserved = range.found.range;
        for (const u of units(s)) {
          if (!overlaps(u, reserved)) continue;
          const bad = u.leaves.filter((l) => overlaps(l, reserved) && !isPointerType(l.typeName));
          // A list head left unexpanded (named struct) is two pointers.
          const listHead = u.leaves.length === 1 && /^struct (list_head|hlist_node|llist_node)$/.test(u.leaves[0]!.typeName);
          if (bad.length === 0 || listHead) continue;
          const what = u.label.startsWith('bitfield') ? `${s.name} ${u.label}` : `${s.name}.${u.label}`;
          failures.push(
            `${what} (${formatRange(u)}, ${bad.map((l) => l.typeName).join(', ')}) overlaps ${sname(r.range.struct)}.${range.found.path} (${formatRange(reserved)}) and may have bit 0 set: only pointers or list heads may sit there; move it past ${freeFrom(context, layouts, r.struct) || reserved.end}`,
          );
        }
      }
      return `members of struct ${sname(r.struct)} over ${sname(r.range.struct)}.${fname(r.range)}${range.found ? ` (${formatRange(range.found.range)})` : ''} are pointers`;
    })
    .with({ kind: 'min-align' }, (r) => {
      const s = need(layouts, r.struct);
      if (s.align < r.align)
        failures.push(
          `_Alignof(struct ${s.name}) is ${s.align}, under ${r.align}: the low ${Math.log2(r.align)} bits of a descriptor pointer must be free; add __aligned(${r.align})`,
        );
      return `_Alignof(struct ${sname(r.struct)}) >= ${r.align}`;
    })
    .with({ kind: 'tagged-words' }, (r) => {
      const s = need(layouts, r.struct);
      const word = pointerSize(layouts);
      const top = leaves(s);
      r.words.forEach((w, i) => {
        const found = resolve(s, [w]);
        const want: ByteRange = { start: i * word, end: (i + 1) * word };
        if (!found) failures.push(`struct ${s.name} has no member '${w}': it must be the word at ${formatRange(want)}`);
        else if (found.range.start !== want.start || found.range.end !== want.end || found.member.bitSize !== undefined || found.member.members)
          failures.push(`${s.name}.${w} (${formatRange(found.range)}) must be one unsigned long at ${formatRange(want)}`);
      });
      const extra = top.filter((l) => !r.words.includes(l.path.split('.')[0]!));
      for (const l of extra) failures.push(`${s.name}.${l.path} (${formatRange(l)}) is more than the ${r.words.length}-word struct page: remove it`);
      if (s.size !== r.words.length * word)
        failures.push(`sizeof(struct ${s.name}) is ${s.size}, not ${r.words.length} word${r.words.length > 1 ? 's' : ''} (${r.words.length * word})`);
      return `struct ${sname(r.struct)} is { ${r.words.map((w) => `unsigned long ${w};`).join(' ')} } (bit 0 of ${r.words[0]}: tail tag)`;
    })
    .with({ kind: 'field-exists' }, (r) => {
      const f = field(r.field);
      if (!f.found) failures.push(`struct ${sname(r.field.struct)} has no member ${r.field.paths.map((p) => `'${p}'`).join(' or ')}`);
      return `struct ${sname(r.field.struct)} has ${f.found?.path ?? fname(r.field)}${f.found ? ` (${formatRange(f.found.range)})` : ''}`;
    })
    .exhaustive();
  return { rule, passed: failures.length === 0, assertion, failures };
}

/** The machine word of the layouts: the size of struct page's flags word (unsigned long). */
function pointerSize(layouts: RoleLayouts): number {
  const flags = layouts.page && resolve(layouts.page, ['flags']);
  return flags ? flags.range.end - flags.range.start : 8;
}

export function evaluateRules(rules: readonly LayoutRule[], layouts: RoleLayouts): RuleResult[] {
  return rules.map((r) => evaluateRule(r, layouts, rules));
}

export function evaluateDesign(design: Design, layouts: RoleLayouts): RuleResult[] {
  return evaluateRules(DESIGN_RULES[design], layouts);
}
