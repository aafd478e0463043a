import { buildMachine } from '../../model/zsmalloc/system.js';
import type { Machine } from '../../model/zsmalloc/machine.js';
import type { ThreadProgram } from '../../model/zsmalloc/program.js';
import type { PoolShape } from '../../model/zsmalloc/shape.js';
import type { Design } from '../../model/designs.js';
import type { ProtocolOptions } from '../../model/memdesc/options.js';
import type { ModelConfig } from '../../model/zsmalloc/config.js';
import type { MutationId } from '../../model/zsmalloc/mutations/ids.js';
import type { ActionProperty, ProgressProperty, StateInvariant, TerminalProperty } from '../../explorer/system.js';
import { findInvariant } from '../../invariants/zsmalloc/index.js';
import * as accounting from '../../invariants/zsmalloc/accounting.js';
import * as guardedBy from '../../invariants/zsmalloc/guarded-by.js';
import * as isolation from '../../invariants/zsmalloc/isolation.js';
import * as layout from '../../invariants/zsmalloc/layout.js';
import * as lists from '../../invariants/zsmalloc/lists.js';
import * as lockRules from '../../invariants/zsmalloc/lock-rules.js';
import * as locks from '../../invariants/zsmalloc/locks.js';
import * as objects from '../../invariants/zsmalloc/objects.js';
import * as pool from '../../invariants/zsmalloc/pool.js';
import * as progress from '../../invariants/zsmalloc/progress.js';
import * as refcount from '../../invariants/zsmalloc/refcount.js';
import * as uaf from '../../invariants/zsmalloc/use-after-free.js';

/**
 * Hand-built pool states for invariant unit tests: a machine after its setup ops (run to
 * completion by the model itself), whose fields a test then edits by their kernel names, and
 * one invariant or terminal property evaluated on that single state. No exploration.
 */

/** pageUnits 3, class 0 of size 2 over 2 pages: 3 objects, object 1 spanning both pages.
 *  Class 1 of size 3 over 1 page: huge (one object per page, handle kept in the page). */
export const POOL: PoolShape = {
  pageUnits: 3,
  classes: [{ size: 2, pagesPerZspage: 2 }, { size: 3, pagesPerZspage: 1 }],
  pageFrames: 5,
  zspageSlots: 3,
  handles: 4,
};

/** zspage[0] = page[0] -> page[1] (class 0) holding A (object 0) and B (object 1); zspage[1] =
 *  page[2] (class 1, huge) holding C. page[3], page[4] free. */
export const SETUP = [
  { kind: 'malloc', handle: 0, cls: 0, payload: 1 },
  { kind: 'malloc', handle: 1, cls: 0, payload: 2 },
  { kind: 'malloc', handle: 2, cls: 1, payload: 3 },
] as const;

export interface PoolState {
  readonly m: Machine;
  readonly s: Int32Array;
  set(field: string, v: number): void;
  get(field: string): number;
  /** Puts thread `name` at step `label` with the given locals (e.g. { zspage: 0 }). */
  at(name: string, label: string, locals?: Record<string, number>): void;
  /** The message of state invariant or terminal property `name` on the current state. */
  check(name: string): string | null;
  /** The message of action property `name` for thread `name` taking step `label` from the
   *  current state to the state `edit` makes of a copy of it (the step's effect, by hand). */
  step(name: string, thread: string, label: string, edit: (after: PoolState) => void): string | null;
  /** Whether progress property `name`'s "eventually" predicate holds in the current state. */
  holds(name: string): boolean;
}

export function poolState(design: Design, threads: readonly ThreadProgram[] = [], opts: { pool?: PoolShape; setup?: readonly object[]; protocol?: Partial<ProtocolOptions>; config?: Partial<ModelConfig>; mutations?: readonly MutationId[] } = {}): PoolState {
  const key = JSON.stringify([design, threads, opts]);
  let built = machines.get(key);
  if (!built) {
    const m = buildMachine({
      design,
      pool: opts.pool ?? POOL,
      setup: [...(opts.setup ?? SETUP)] as never,
      threads: [{ name: 'setup', ops: [] }, ...threads],
      protocol: opts.protocol,
      config: opts.config,
      mutations: opts.mutations,
    });
    const index = new Map(m.f.fields.map((f, i) => [f.name, i]));
    built = { m, s: m.initialState(), index };
    machines.set(key, built);
  }
  return stateOf(built.m, built.s.slice(), built.index, new Map());
}

/** The invariant modules, each with its catalogue entries and the properties it builds. */
const modules: readonly {
  readonly docs: readonly { readonly name: string; readonly designs: readonly string[] }[];
  stateInvariants?(m: Machine): StateInvariant[];
  terminalProperties?(m: Machine): TerminalProperty[];
  actionProperties?(m: Machine): ActionProperty[];
  progressProperties?(m: Machine): ProgressProperty[];
}[] = [accounting, guardedBy, isolation, layout, lists, lockRules, locks, objects, pool, progress, refcount, uaf];

type Kind = 'state' | 'action' | 'progress';
type Built = StateInvariant | TerminalProperty | ActionProperty | ProgressProperty;

/**
 * Property `name` of machine m, built by the one module that catalogues it, for the designs its
 * catalogue entry names (propertiesFor's filter, which the catalogue test checks). The
 * properties are built for each state, not cached with the machine: building them is invariant
 * code that each test must run itself, and only the module under test, so that mutation
 * testing's per-test coverage reruns a test only for mutants of what it checks.
 */
function property(m: Machine, kind: Kind, name: string): Built {
  const doc = findInvariant(name) ?? progress.docs.find((d) => d.name === name);
  const mod = modules.find((x) => x.docs.some((d) => d.name === name));
  const list: readonly Built[] = !mod || !doc?.designs.includes(m.design) ? []
    : kind === 'state' ? [...(mod.stateInvariants?.(m) ?? []), ...(mod.terminalProperties?.(m) ?? [])]
    : kind === 'action' ? mod.actionProperties?.(m) ?? []
    : mod.progressProperties?.(m) ?? [];
  const p = list.find((x) => x.name === name);
  if (!p) throw new Error(`no ${kind === 'state' ? '' : `${kind} `}property ${name} for design ${m.design}`);
  return p;
}

/** Machines and their initial states by spec: model code only (the model is not under test
 *  here), built once per test file. */
const machines = new Map<string, { m: Machine; s: Int32Array; index: Map<string, number> }>();

function stateOf(m: Machine, s: Int32Array, fieldIndex: Map<string, number>, props: Map<string, Built>): PoolState {
  const design = m.design;
  const get = (kind: Kind, name: string) => {
    let p = props.get(`${kind}:${name}`);
    if (!p) { p = property(m, kind, name); props.set(`${kind}:${name}`, p); }
    return p;
  };
  const index = (field: string) => {
    const i = fieldIndex.get(field);
    if (i === undefined) throw new Error(`no field ${field} in design ${design}`);
    return i;
  };
  const self: PoolState = {
    m,
    s,
    set: (field, v) => { s[index(field)] = v; },
    get: (field) => s[index(field)],
    at(name, label, locals = {}) {
      s[index(`${name}.pc`)] = m.id(label);
      for (const [k, v] of Object.entries(locals)) s[index(`${name}.${k}`)] = v;
    },
    check(name) {
      const p = get('state', name) as StateInvariant;
      const got = new Set<number>();
      const message = p.check(recording(s, got));
      undeclared(m, p, got);
      return message;
    },
    step(name, thread, label, edit) {
      const p = get('action', name) as ActionProperty;
      const after = stateOf(m, s.slice(), fieldIndex, props);
      edit(after);
      const t = m.threadNames.indexOf(thread);
      if (t < 0) throw new Error(`no thread ${thread}`);
      const got = new Set<number>();
      const message = p.check(recording(s, got), { thread: t, label: m.id(label), choice: 0 }, recording(after.s, got));
      undeclared(m, p, got);
      unchangedButFailing(m, p, s, after.s, message);
      unlistedButFailing(m, p, m.id(label), message);
      return message;
    },
    holds(name) {
      return (get('progress', name) as ProgressProperty).holds(s);
    },
  };
  return self;
}

/** A view of `s` that notes every field index read through it. */
function recording(s: Int32Array, into: Set<number>): Int32Array {
  return new Proxy(s, {
    get(o, k) {
      if (typeof k === 'string' && /^\d+$/.test(k)) { into.add(Number(k)); return o[Number(k)]; }
      const v = Reflect.get(o, k, o);
      return typeof v === 'function' ? v.bind(o) : v;
    },
  });
}

/**
 * Every state invariant and action property declares the fields its check reads
 * (StateInvariant.reads: partial-order reduction and the search's re-check skipping rely on it,
 * and under-declaring hides violations). Each hand-built state drives a check down one branch,
 * so recording what it read there tests the declaration branch by branch, as
 * test/invariants/reads.test.ts does on the reachable states of the scenarios.
 */
function undeclared(m: Machine, p: StateInvariant | ActionProperty, got: Set<number>): void {
  if (p.reads === undefined) return; // absent: every field
  const declared = new Set(p.reads);
  const missing = [...got].filter((i) => !declared.has(i)).map((i) => m.f.fields[i].name);
  if (missing.length > 0) throw new Error(`${p.name} reads fields it does not declare: ${missing.join(', ')}`);
}

/**
 * An action property that declares `changes` is skipped by the search on every transition that
 * changes none of those fields (explorer/incremental.ts ChangeTriggers), so each must be a field
 * of the machine, and a step that the property fails must change one of them: otherwise the
 * search would never report it. Each hand-built failing step tests the declaration.
 */
function unchangedButFailing(m: Machine, p: ActionProperty, before: Int32Array, after: Int32Array, message: string | null): void {
  if (p.changes === undefined) return; // absent: due on every transition
  const bad = p.changes.filter((i) => !(Number.isInteger(i) && i >= 0 && i < m.f.fields.length));
  if (bad.length > 0) throw new Error(`${p.name} declares changes of fields that do not exist: ${bad.join(', ')}`);
  if (message !== null && !p.changes.some((i) => before[i] !== after[i])) {
    throw new Error(`${p.name} fails on a step that changes none of the fields it declares in changes (the search skips it there): ${message}`);
  }
}

/**
 * An action property that declares `labels` is skipped by the search on every transition by an
 * action of another label (explorer/incremental.ts LabelTriggers), so a step that the property
 * fails must be of a listed label. Each hand-built failing step tests the declaration.
 */
function unlistedButFailing(m: Machine, p: ActionProperty, label: number, message: string | null): void {
  if (p.labels === undefined) return; // absent: due on every label
  if (message !== null && !p.labels.includes(label)) {
    throw new Error(`${p.name} fails at ${m.labels[label]}, a label it does not list in labels (the search skips it there): ${message}`);
  }
}

/** A thread that is not running anything yet (its program is one compaction). */
export const idleThread = (name: string): ThreadProgram => ({ name, ops: [{ kind: 'compact' }] });
