import type { Action, Field, StateVector, Trace, TransitionSystem, ViolationKind } from '../explorer/index.js';
import { changedFields, locksByThread, type FieldChange } from './diff.js';
import { statePicture, type Picture } from './picture.js';
import { decodeValue, hiddenUnlessRaw, memberOf, objectOf, type ValueContext } from './values.js';

/** What a counterexample broke, and after how many steps (0: the initial state). */
export interface BrokenInvariant {
  readonly step: number;
  readonly kind: ViolationKind;
  readonly invariant: string;
  readonly message: string;
  /** The catalogue's explanation of the invariant, when it has one. */
  readonly description?: string;
}

/** A changed field as the view shows it: decoded, or the raw numbers with --raw. */
export interface ShownChange {
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

/** One step as people read it: who did what, what changed, who holds which locks after it. */
export interface WalkedStep {
  /** 1-based. */
  readonly number: number;
  readonly thread: number;
  readonly threadName: string;
  readonly label: string;
  readonly choice: number;
  /** Every field that changed, raw (what trace files and replays speak). */
  readonly changes: readonly FieldChange[];
  /** The changes as shown: control fields left out unless raw, values decoded unless raw. */
  readonly shown: readonly ShownChange[];
  /** The label the thread jumped to when the step did not fall through to the next one. */
  readonly branch?: string;
  /** Mutations that changed this step's code (their ids). */
  readonly mutations: readonly string[];
  /** Per thread, after the step. */
  readonly locks: readonly (readonly string[])[];
}

/** One object's fields in the initial state (only those worth showing). */
export interface InitialObject {
  readonly object: string;
  readonly fields: readonly { readonly member: string; readonly value: string }[];
}

/** A counterexample with the states the replay went through, ready for any renderer. */
export interface WalkedTrace {
  readonly title: string;
  readonly threads: readonly string[];
  readonly initialLocks: readonly (readonly string[])[];
  /** The initial state of the objects the trace touches. */
  readonly initial: readonly InitialObject[];
  readonly steps: readonly WalkedStep[];
  readonly broken?: BrokenInvariant;
  /** A lasso: steps numbered above this repeat for ever (see Trace.loop). */
  readonly loop?: number;
  /** Values are raw numbers (--raw) rather than decoded. */
  readonly raw: boolean;
  /** Mutations applied to the run (ids), for the legend of the tags. */
  readonly mutations: readonly string[];
  /** Per state (index 0: initial, i: after step i): every shown field, for the full-state view. */
  readonly states: readonly (readonly ShownField[])[];
  /** Per state: the pages/zspages picture. */
  readonly pictures: readonly Picture[];
}

export interface ShownField {
  readonly field: string;
  readonly value: string;
}

export interface WalkOptions {
  /** Raw values and control fields (pc, ret, op), as the model stores them. */
  readonly raw?: boolean;
  /** Per step label, the mutations whose code changed that step. */
  readonly mutatedLabels?: ReadonlyMap<string, readonly string[]>;
  /** The mutations the run applies. */
  readonly mutations?: readonly string[];
}

/**
 * Pairs each step of `trace` with the states before and after it (`states[i]` is the state
 * after i steps, as the explorer's replay returns them).
 */
export function walkTrace(system: TransitionSystem, trace: Trace, states: readonly StateVector[], title: string, broken?: BrokenInvariant, options: WalkOptions = {}): WalkedTrace {
  const raw = options.raw ?? false;
  const ctx: ValueContext = { threads: system.threads, labels: system.labels };
  const show = (f: Field, v: number) => (raw ? String(v) : decodeValue(f, v, ctx));
  const visible = (i: number) => raw || !hiddenUnlessRaw(system.fields[i]);
  const pcField = system.threads.map((_, t) => system.fields.findIndex((f) => f.kind?.kind === 'control' && f.kind.role === 'pc' && f.kind.thread === t));
  const steps: WalkedStep[] = [];
  for (let i = 0; i < trace.steps.length && i + 1 < states.length; i++) {
    const a: Action = trace.steps[i].action;
    const label = system.labels[a.label] ?? `label ${a.label}`;
    const changes = changedFields(system, states[i], states[i + 1]);
    const pc = pcField[a.thread];
    const after = pc >= 0 ? states[i + 1][pc] : a.label + 1;
    const branch = branchTaken(label, a.label, after, system.labels);
    steps.push({
      number: i + 1,
      thread: a.thread,
      threadName: system.threads[a.thread] ?? `thread ${a.thread}`,
      label,
      choice: a.choice,
      changes,
      shown: changes.flatMap((c) => {
        const idx = system.fields.findIndex((f) => f.name === c.field);
        if (!visible(idx)) return [];
        const f = system.fields[idx];
        return [{ field: c.field, from: show(f, c.from), to: show(f, c.to) }];
      }),
      ...(branch !== undefined ? { branch } : {}),
      mutations: options.mutatedLabels?.get(label) ?? [],
      locks: locksByThread(system, states[i + 1]),
    });
  }
  const shownStates = states.slice(0, steps.length + 1).map((s) =>
    system.fields.flatMap((f, i) => (visible(i) ? [{ field: f.name, value: show(f, s[i]) }] : [])));
  return {
    title,
    threads: system.threads,
    initialLocks: states.length > 0 ? locksByThread(system, states[0]) : system.threads.map(() => []),
    initial: states.length > 0 ? initialObjects(system, states[0], steps, visible, show) : [],
    steps,
    broken,
    raw,
    mutations: options.mutations ?? [],
    states: shownStates,
    pictures: states.slice(0, steps.length + 1).map((s) => statePicture(system, s)),
    ...(trace.loop !== undefined ? { loop: trace.loop } : {}),
  };
}

/**
 * Where a step jumped when it did not fall through: a target in the same function other than the
 * next label (an if/goto taken), or the end of the thread. Calls and returns into another
 * function are what the next step's label shows anyway.
 */
function branchTaken(label: string, from: number, to: number, labels: readonly string[]): string | undefined {
  if (to === from + 1) return undefined;
  if (to === labels.length) return undefined;
  const target = labels[to];
  if (target === undefined) return undefined;
  const fn = (l: string) => l.slice(0, l.indexOf(':'));
  return label.includes(':') && fn(target) === fn(label) ? target.slice(target.indexOf(':') + 1) : undefined;
}

/**
 * The initial state of every object a step changes, so the first change of a field can be read
 * against where it started. Shown: each field the trace changes, and the object's other fields
 * that are neither 0 nor -1 (the empty values), to keep the block short.
 */
function initialObjects(
  system: TransitionSystem, s: StateVector, steps: readonly WalkedStep[],
  visible: (i: number) => boolean, show: (f: Field, v: number) => string,
): InitialObject[] {
  const changed = new Set(steps.flatMap((st) => st.changes.map((c) => c.field)));
  const touched = new Set([...changed].filter((n) => visible(system.fields.findIndex((f) => f.name === n))).map(objectOf));
  const threads = new Set(system.threads);
  const out = new Map<string, { member: string; value: string }[]>();
  system.fields.forEach((f, i) => {
    const o = objectOf(f.name);
    if (!touched.has(o) || !visible(i)) return;
    // A thread's locals start empty; only the ones the trace uses are worth a line.
    const worth = changed.has(f.name) || (!threads.has(o) && s[i] !== 0 && s[i] !== -1);
    if (!worth) return;
    if (!out.has(o)) out.set(o, []);
    out.get(o)!.push({ member: memberOf(f.name), value: show(f, s[i]) });
  });
  return [...out].map(([object, fields]) => ({ object, fields }));
}
