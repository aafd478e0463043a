import { match } from 'ts-pattern';
import type { Field, FieldKind } from '../explorer/index.js';

/** What decoding needs besides the field: who the threads are and what the labels are called. */
export interface ValueContext {
  readonly threads: readonly string[];
  readonly labels: readonly string[];
}

/**
 * A field's value as a person reads it, driven only by the kind the model declared for the field
 * (explorer/field-kind.ts): lock owners as thread names, thread sets as `{a, b}`, enums by their
 * source names, words in hex, references as `zspage[2]`, sentinels in words. A field without a
 * kind is a plain integer. Trace files keep the raw numbers; this is a view.
 */
export function decodeValue(field: Field, value: number, ctx: ValueContext): string {
  const k = field.kind;
  if (!k) return String(value);
  const sentinel = k.sentinels?.[value];
  if (sentinel !== undefined) return sentinel;
  return match<FieldKind, string>(k)
    .with({ kind: 'int' }, { kind: 'flag' }, () => String(value))
    .with({ kind: 'control' }, (c) => (c.role === 'pc' || c.role === 'ret' ? labelName(value, ctx, c.role) : String(value)))
    .with({ kind: 'owner' }, () => (value === 0 ? 'free' : `held by ${threadName(value - 1, ctx)}`))
    .with({ kind: 'threadSet' }, () => {
      const members = ctx.threads.map((_, t) => t).filter((t) => (value & (1 << t)) !== 0).map((t) => threadName(t, ctx));
      // Bits beyond the thread list would be a model fault; show them rather than hide them.
      const extra = value >> ctx.threads.length;
      if (extra !== 0) members.push(`0x${(extra << ctx.threads.length).toString(16)}`);
      return `{${members.join(', ')}}`;
    })
    .with({ kind: 'enum' }, (e) => e.names[value] ?? String(value))
    .with({ kind: 'hex' }, () => (value < 0 ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`))
    .with({ kind: 'ref' }, (r) => {
      const v = value - (r.offset ?? 0);
      if (r.span !== undefined) {
        const instance = Math.floor(v / r.span);
        return `${refName(r.of, instance, r.names)} ${r.slot ?? 'slot'} ${v % r.span}`;
      }
      return refName(r.of, v, r.names);
    })
    .exhaustive();
}

function refName(of: string, i: number, names: readonly string[] | undefined): string {
  return names?.[i] !== undefined ? `${of}[${names[i]}]` : `${of}[${i}]`;
}

function threadName(t: number, ctx: ValueContext): string {
  return ctx.threads[t] ?? `thread ${t}`;
}

function labelName(v: number, ctx: ValueContext, role: 'pc' | 'ret'): string {
  if (v === ctx.labels.length) return 'done';
  if (v < 0) return role === 'ret' ? 'none' : String(v);
  return ctx.labels[v] ?? String(v);
}

/** Fields the decoded view leaves out: the model's own control state (pc, return slot, op). */
export function hiddenUnlessRaw(field: Field): boolean {
  return field.kind?.kind === 'control';
}

/** The object a field belongs to: its name up to the first dot (`zspage[0]`, `pool`, `free`). */
export function objectOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/** The field's name within its object (`flags.PG_locked`). */
export function memberOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(dot + 1);
}
