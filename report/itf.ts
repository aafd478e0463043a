import type { Field, StateVector, Trace, TransitionSystem } from '../explorer/index.js';
import { decodeValue, hiddenUnlessRaw, memberOf, objectOf, type ValueContext } from './values.js';

/**
 * A counterexample in the Informal Trace Format (ITF, Apalache ADR-015), the JSON trace format
 * that Apalache, Quint and their trace viewers read: `#meta`, `vars`, `states` (each with its
 * own `#meta.index`) and, for a lasso, `loop`.
 *
 * Variables are the model's objects grouped by kind: an object kind with instances (`zspage[0]`,
 * `page[1]`, `handle[A]`) is one variable holding a `#map` from instance to record; a plain
 * object (`pool`) is a record; the threads' locals are the variable `threads`, a `#map` from
 * thread name to record; `action` names the step that led to the state. Values are decoded as
 * the text view decodes them: counts and flags stay numbers, thread sets are `#set`s of thread
 * names, everything else (owners, enums, references, hex words, sentinels) is its decoded text.
 * The model's control state (pc, return slot, op index) is left out.
 */
export type ItfValue = number | string | boolean | ItfValue[] | { readonly [k: string]: ItfValue };

export interface ItfTrace {
  readonly '#meta': Readonly<Record<string, ItfValue>>;
  readonly vars: readonly string[];
  readonly states: readonly Readonly<Record<string, ItfValue>>[];
  readonly loop?: number;
}

export interface ItfMeta {
  readonly source: string;
  readonly description: string;
  /** The state index the run loops back to (a lasso), when it does. */
  readonly loop?: number;
}

function itfValue(f: Field, v: number, ctx: ValueContext): ItfValue {
  const k = f.kind;
  if (!k || ((k.kind === 'int' || k.kind === 'flag') && k.sentinels?.[v] === undefined)) return v;
  if (k.kind === 'threadSet') return { '#set': ctx.threads.filter((_, t) => (v & (1 << t)) !== 0) };
  if (k.kind === 'owner') return v === 0 ? 'none' : (ctx.threads[v - 1] ?? `thread ${v - 1}`);
  return decodeValue(f, v, ctx);
}

function instanceOf(object: string): { kind: string; key: string } | undefined {
  const m = /^([^[]+)\[([^\]]+)\]$/.exec(object);
  return m ? { kind: m[1], key: m[2] } : undefined;
}

export function toItf(system: TransitionSystem, trace: Trace, states: readonly StateVector[], meta: ItfMeta): ItfTrace {
  const ctx: ValueContext = { threads: system.threads, labels: system.labels };
  const threads = new Set(system.threads);
  const varOf = (object: string) => (threads.has(object) ? 'threads' : instanceOf(object)?.kind ?? object);
  const vars: string[] = [];
  for (const f of system.fields) {
    if (hiddenUnlessRaw(f)) continue;
    const v = varOf(objectOf(f.name));
    if (!vars.includes(v)) vars.push(v);
  }
  vars.push('action');
  const out = states.map((s, index) => {
    const state: Record<string, ItfValue> = { '#meta': { index } };
    const maps = new Map<string, Map<string, Record<string, ItfValue>>>();
    system.fields.forEach((f, i) => {
      if (hiddenUnlessRaw(f)) return;
      const object = objectOf(f.name);
      const value = itfValue(f, s[i], ctx);
      const inst = threads.has(object) ? { kind: 'threads', key: object } : instanceOf(object);
      if (!inst) {
        if (object === f.name) state[object] = value;
        else ((state[object] ??= {}) as Record<string, ItfValue>)[memberOf(f.name)] = value;
        return;
      }
      if (!maps.has(inst.kind)) maps.set(inst.kind, new Map());
      const m = maps.get(inst.kind)!;
      if (!m.has(inst.key)) m.set(inst.key, {});
      m.get(inst.key)![memberOf(f.name)] = value;
    });
    for (const [kind, m] of maps) state[kind] = { '#map': [...m].map(([k, r]) => [/^\d+$/.test(k) ? Number(k) : k, r]) };
    const step = index === 0 ? undefined : trace.steps[index - 1];
    state.action = step
      ? { thread: system.threads[step.action.thread] ?? `thread ${step.action.thread}`, label: system.labels[step.action.label] ?? `label ${step.action.label}`, choice: step.action.choice }
      : { thread: 'none', label: 'init', choice: 0 };
    return state;
  });
  return {
    '#meta': { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', source: meta.source, description: meta.description },
    vars,
    states: out,
    ...(meta.loop !== undefined ? { loop: meta.loop } : {}),
  };
}
