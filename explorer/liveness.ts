import type { ProgressProperty, StateVector, TransitionSystem } from './system.js';
import { buildStateGraph, type StateGraph } from './state-graph.js';
import { ActionBuffer } from './action-buffer.js';
import { RecordingStepContext } from './step-context.js';

/**
 * Progress and liveness on the reachable graph (built by state-graph.ts after the safety
 * search), in the manner of SPIN's non-progress cycles and TLC's liveness checking:
 *
 * - non-progress: every reachable state must be able to reach a state where every thread is
 *   done, the model's `quiescent` holds, or nothing is enabled (a deadlock is the safety
 *   search's business). States that cannot form the stuck region; it is closed under
 *   successors and every state in it has one, so it contains a cycle. The counterexample is a
 *   lasso: the shortest path into the region, the shortest way on to a state on a cycle, and
 *   the shortest cycle through that state. No fairness is needed: no run from there can finish,
 *   whatever the scheduler does.
 * - progress properties (`eventually`, `always-eventually`, `leads-to`): a counterexample is a
 *   reachable strongly connected component of the states that avoid the goal in which a run can
 *   stay for ever, or a reachable goal-free state where nothing is enabled. Under per-thread
 *   weak fairness a component only counts when every thread either takes a step inside it or is
 *   disabled somewhere in it (a thread enabled throughout must eventually run); a run through
 *   every such step and state exists because the component is strongly connected. Under strong
 *   fairness (what FIFO locks such as the kernel's queued spinlocks give a waiter) every thread
 *   enabled somewhere in the component must take a step in it (see FairComponents).
 */
export interface Lasso {
  readonly initial: number;
  /** Action indices, the stem then the loop. */
  readonly indices: readonly number[];
  /** The loop starts after this many steps; the state after the last step equals the state
   *  after `loop` steps. `loop === indices.length`: the run stops there (nothing enabled). */
  readonly loop: number;
}

export interface LivenessFinding {
  readonly kind: 'non-progress' | 'liveness';
  readonly invariant: string;
  readonly message: string;
  readonly lasso: Lasso;
}

export const NON_PROGRESS = 'non-progress';

/** The goal of the non-progress check: every thread done, or declared quiescent. */
export function finished(system: TransitionSystem, s: StateVector): boolean {
  if (system.quiescent?.(s)) return true;
  for (let t = 0; t < system.threads.length; t++) if (!system.threadDone(s, t)) return false;
  return true;
}

export function nonProgressMessage(system: TransitionSystem, s: StateVector): string {
  const stuck = system.threads.filter((_, t) => !system.threadDone(s, t));
  return `no run from the loop ever finishes: ${stuck.join(', ')} can never complete; the loop repeats for ever`;
}

export function progressMessage(p: ProgressProperty, fairness: Fairness): string {
  const fair = fairness === 'none' ? 'a run' : `a ${fairness}ly fair run`;
  switch (p.kind) {
    case 'eventually': return `${fair} never reaches a state where ${p.name} holds: the loop repeats for ever`;
    case 'always-eventually': return `${fair} stops passing through states where ${p.name} holds: the loop repeats for ever`;
    case 'leads-to': return `${fair} reaches the trigger of ${p.name} and never reaches its goal after it: the loop repeats for ever`;
  }
}

export type Fairness = 'weak' | 'strong' | 'none';

/** A graph the safety search recorded, or 'time' when the deadline passed before the progress
 *  pass began: the time limit covers both passes, as when the pass builds its own graph. */
function inTime(recorded: StateGraph, deadline: number): StateGraph | 'time' {
  return performance.now() > deadline ? 'time' : recorded;
}

/** The predicates a progress graph records (for a search that records it: GraphRecorder). */
export function progressPredicates(system: TransitionSystem): ((s: StateVector) => boolean)[] {
  return livenessPredicates(system).predicates;
}

/** The predicates the progress graph records: predicate 0 is `finished`, then each progress
 *  property's `holds` (and a leads-to's trigger after it). */
function livenessPredicates(system: TransitionSystem): {
  props: readonly ProgressProperty[]; predicates: ((s: StateVector) => boolean)[]; holdsAt: number[]; triggerAt: number[];
} {
  const props = system.progressProperties ?? [];
  const predicates: ((s: StateVector) => boolean)[] = [(s) => finished(system, s)];
  const holdsAt: number[] = [], triggerAt: number[] = [];
  for (const p of props) {
    holdsAt.push(predicates.length);
    predicates.push((s) => p.holds(s));
    // Stryker disable next-line ConditionalExpression,UnaryOperator: the trigger is read only for leads-to, whose index is set here
    triggerAt.push(p.kind === 'leads-to' ? predicates.length : -1);
    if (p.kind === 'leads-to') predicates.push((s) => p.trigger!(s));
  }
  return { props, predicates, holdsAt, triggerAt };
}

/**
 * The progress pass on the symmetry quotient (states replaced by their representatives, see
 * state-graph.ts), as a first try that can only say "nothing to find". Why it is sound: the
 * declared symmetry maps reachable states and their successors to reachable states and
 * successors and leaves every property unchanged (`finished`, `quiescent`, each progress
 * property's `holds` and `trigger` included: SymmetryGroup's contract), so every run of the
 * full graph has an image in the quotient, step by step, through states that agree on every
 * predicate. A state that cannot finish has an image that cannot either; a fair run that
 * avoids a goal for ever becomes a quotient run that avoids it for ever, i.e. a reachable
 * goal-free cycle or stop, which the search here finds with no fairness at all (a thread's
 * identity is permuted along the quotient's edges, so per-thread fairness cannot be read
 * there; dropping it only adds candidates). So 'clean' means the full pass would find
 * nothing; 'suspect' (a quotient loop, fair or not in the full graph) means the full pass
 * must decide and give the concrete lasso. `recorded`: the quotient the safety search recorded
 * (GraphRecorder), else it is built here.
 */
export function progressOnQuotient(
  system: TransitionSystem, canonicalInto: (state: StateVector, out: StateVector) => boolean, maxStates: number,
  deadline = Infinity, onProgress?: (states: number, edges: number, queued: number) => void, expectedStates = 1024,
  recorded: StateGraph | null = null,
): { states: number; edges: number; bytes: number } | 'suspect' | 'states' | 'time' {
  const { props, predicates, holdsAt, triggerAt } = livenessPredicates(system);
  const g = recorded === null ? buildStateGraph(system, maxStates, predicates, deadline, onProgress, expectedStates, canonicalInto) : inTime(recorded, deadline);
  if (typeof g === 'string') return g;
  const cyclic = cyclicStates(g);
  if (nonProgress(g, cyclic) !== null) return 'suspect';
  for (let i = 0; i < props.length; i++) {
    if (progressLasso(g, cyclic, props[i], g.pred[holdsAt[i]], triggerAt[i] >= 0 ? g.pred[triggerAt[i]] : null, 'none') !== null) return 'suspect';
  }
  return { states: g.size, edges: g.edgeCount, bytes: g.bytes };
}

/** The graph's size, and the first violation (non-progress first, then the properties in
 *  order); or why the graph was not finished (more than `maxStates`, or past `deadline`).
 *  `recorded`: the full graph the safety search recorded (GraphRecorder), else it is built. */
export function checkLiveness(
  system: TransitionSystem, maxStates: number, fairness: Fairness, deadline = Infinity,
  onProgress?: (states: number, edges: number, queued: number) => void, expectedStates = 1024,
  recorded: StateGraph | null = null,
): { finding: LivenessFinding | null; states: number; edges: number; bytes: number } | 'states' | 'time' {
  const { props, predicates, holdsAt, triggerAt } = livenessPredicates(system);
  const g = recorded === null ? buildStateGraph(system, maxStates, predicates, deadline, onProgress, expectedStates) : inTime(recorded, deadline);
  if (typeof g === 'string') return g;
  const done = (finding: LivenessFinding | null) => ({ finding, states: g.size, edges: g.edgeCount, bytes: g.bytes });
  const cyclic = cyclicStates(g);
  const np = nonProgress(g, cyclic);
  if (np !== null) {
    const last = stateAfter(system, np.lasso.initial, np.lasso.indices);
    return done({ kind: 'non-progress', invariant: NON_PROGRESS, message: nonProgressMessage(system, last), lasso: np.lasso });
  }
  for (let i = 0; i < props.length; i++) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the trigger is read only for leads-to, whose index is at least 2
    const lasso = progressLasso(g, cyclic, props[i], g.pred[holdsAt[i]], triggerAt[i] >= 0 ? g.pred[triggerAt[i]] : null, fairness);
    if (lasso !== null) return done({ kind: 'liveness', invariant: props[i].name, message: progressMessage(props[i], fairness), lasso });
  }
  return done(null);
}

/** The state reached from initial state `initial` through the action indices. */
function stateAfter(system: TransitionSystem, initial: number, indices: readonly number[]): StateVector {
  let cur = Int32Array.from(system.initialStates()[initial]);
  const buf = new ActionBuffer();
  const ctx = new RecordingStepContext();
  for (const k of indices) {
    buf.clear();
    system.actions(cur, buf);
    const next = Int32Array.from(cur);
    system.apply(cur, buf.get(k), next, ctx);
    cur = next;
  }
  return cur;
}

function nonProgress(g: StateGraph, cyclic: Uint8Array): { lasso: Lasso; entry: number } | null {
  const n = g.size;
  const fin = g.pred[0];
  const canFinish = new Uint8Array(n);
  const queue = new Int32Array(n);
  let qt = 0;
  // Stryker disable next-line EqualityOperator: id n is past the graph: it has no predicate bit, and no empty edge row unless there are no edges at all (then every state finishes)
  for (let i = 0; i < n; i++) {
    if (g.edgeStart[i] === g.edgeStart[i + 1] || fin[i] === 1) { canFinish[i] = 1; queue[qt++] = i; }
  }
  const rev = g.reverse();
  for (let qh = 0; qh < qt; qh++) {
    const v = queue[qh];
    for (let k = rev.start[v]; k < rev.start[v + 1]; k++) {
      const u = rev.from[k];
      if (canFinish[u] === 0) { canFinish[u] = 1; queue[qt++] = u; }
    }
  }
  // Stryker disable next-line ConditionalExpression: with no stuck state the search below starts past the last id and finds no lasso: null as well
  if (qt === n) return null;
  const stuck = new Uint8Array(n);
  // Stryker disable next-line EqualityOperator: `<=` writes one slot past the array, which a typed array ignores
  for (let i = 0; i < n; i++) stuck[i] = canFinish[i] ^ 1;
  // Ids are in BFS order: the least stuck id is the nearest stuck state.
  let first = 0;
  while (canFinish[first] === 1) first++;
  return lassoFrom(g, cyclic, stuck, [first], 'none');
}

function progressLasso(g: StateGraph, cyclic: Uint8Array, p: ProgressProperty, holds: Uint8Array, trigger: Uint8Array | null, fairness: Fairness): Lasso | null {
  const n = g.size;
  const avoid = new Uint8Array(n);
  // Stryker disable next-line ArrayDeclaration: a start that is not a state id is skipped by lassoFrom (it is not in the region)
  const starts: number[] = [];
  // Stryker disable next-line EqualityOperator: `<=` may add start n, past the graph, which lassoFrom skips
  for (let i = 0; i < n; i++) {
    if (holds[i] === 1) continue;
    avoid[i] = 1;
    const start = p.kind === 'eventually' ? g.parent[i] < 0 : p.kind === 'always-eventually' ? true : trigger![i] === 1;
    if (start) starts.push(i);
  }
  // Stryker disable next-line ConditionalExpression: with no start the region is empty and lassoFrom returns null as well
  if (starts.length === 0) return null;
  return lassoFrom(g, cyclic, avoid, starts, fairness)?.lasso ?? null;
}

/** 1 for the states on a cycle of the whole graph (in a strongly connected component of
 *  several states, or with a self-loop), found once per graph. Every cycle inside a region of
 *  `lassoFrom` runs through such states only, and dropping the others from a region removes
 *  no edge between the states kept, so the region's cyclic components are found among them
 *  alone: one component search of the graph instead of one per property over most of it. */
function cyclicStates(g: StateGraph): Uint8Array {
  const all = new Int32Array(g.size);
  // Stryker disable next-line EqualityOperator: `<=` also writes index n of an n-element typed array, a no-op
  for (let i = 0; i < all.length; i++) all[i] = i;
  // Stryker disable next-line StringLiteral: cyclicMembers reads no fairness
  return new FairComponents(g, 'none').cyclicMembers(all);
}

/**
 * A lasso that starts at one of `starts` (reached by the shortest path from an initial state),
 * stays inside `allowed`, and ends in a loop through a component that is fair under `fairness`,
 * or in an allowed state with no successor. Null when there is none. `cyclic`: the graph's
 * states on a cycle (`cyclicStates`); only those can be in a loop.
 */
function lassoFrom(g: StateGraph, cyclic: Uint8Array, allowed: Uint8Array, starts: readonly number[], fairness: Fairness): { lasso: Lasso; entry: number } | null {
  const n = g.size;
  // The region: allowed states reachable from a start through allowed states, BFS order.
  const regParent = new Int32Array(n).fill(-2);
  // Stryker disable next-line UnaryOperator: read only for region states with a parent, which set it
  const regEdge = new Int32Array(n).fill(-1);
  // Stryker disable next-line UnaryOperator: read only for region states, which set it
  const rank = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let size = 0;
  // Stryker disable next-line ConditionalExpression: the starts are distinct state ids
  for (const st of starts) if (regParent[st] === -2) { regParent[st] = -1; rank[st] = size; queue[size++] = st; }
  for (let h = 0; h < size; h++) {
    const v = queue[h];
    for (let e = g.edgeStart[v]; e < g.edgeStart[v + 1]; e++) {
      const w = g.edgeTo[e];
      if (allowed[w] === 1 && regParent[w] === -2) { regParent[w] = v; regEdge[w] = e; rank[w] = size; queue[size++] = w; }
    }
  }
  const order = queue.subarray(0, size);
  // The nearest state that stops (nothing enabled), and the nearest fair component.
  let best = -1;
  for (const v of order) if (g.edgeStart[v] === g.edgeStart[v + 1]) { best = v; break; }
  // Stryker disable next-line MethodExpression,ConditionalExpression: a filter that keeps more states only costs time: find() still finds the region's cyclic components among them
  const onCycles = order.filter((v) => cyclic[v] === 1);
  // Stryker disable next-line ConditionalExpression: rank[-1] is undefined, and no rank compares >= undefined: unbounded, as order.length is
  const fair = onCycles.length === 0 ? null : new FairComponents(g, fairness).find(onCycles, best < 0 ? order.length : rank[best], rank);
  let loopEdges: number[] = [];
  if (fair !== null) {
    best = fair.entry;
    const inside = (w: number) => fair.member[w] === 1;
    loopEdges = fairness === 'none' ? shortestCycle(g, best, inside) : cycleThrough(g, best, inside, fair.taken, fair.disabled);
  }
  if (best < 0) return null;
  // Stem: shortest path to the start, then the region's BFS path to the entry.
  const inner: number[] = [];
  let u = best;
  // Stryker disable next-line EqualityOperator: `> 0` stops at a child of state 0, whose own shortest path (graph.pathTo) is no longer than through 0: a real stem as short
  while (regParent[u] >= 0) { inner.push(g.edgeIndex[regEdge[u]]); u = regParent[u]; }
  inner.reverse();
  const head = g.pathTo(u);
  const stem = [...head.indices, ...inner];
  return { lasso: { initial: head.initial, indices: [...stem, ...loopEdges], loop: stem.length }, entry: best };
}

/** Some state ids (a plain array, or a typed one from a BFS queue). */
type StateList = readonly number[] | Int32Array;

interface FairComponent {
  /** The component's state with the least BFS rank. */
  readonly entry: number;
  /** 1 for its states (an array over all states). */
  readonly member: Uint8Array;
  /** Per thread: takes a step inside it; is disabled in one of its states. */
  readonly taken: Uint8Array;
  readonly disabled: Uint8Array;
}

/**
 * Strongly connected components (Tarjan, iterative) of a set of states, and the fair ones:
 * - none: every cyclic component;
 * - weak: every thread takes a step inside it or is disabled in one of its states;
 * - strong: every thread enabled in one of its states takes a step inside it. A component that
 *   fails only because of threads enabled in some states and never taken may still hold a fair
 *   sub-component without those states: it is searched again with them removed (the classic
 *   Streett emptiness check). Weak fairness conditions hold for a sub-component only when they
 *   hold for the component, so there is nothing to search again.
 */
class FairComponents {
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly inSet: Uint8Array;
  private readonly T: number;
  /** Tarjan's stacks and the components found, reused from call to call. */
  private readonly stack: Int32Array;
  private readonly callV: Int32Array;
  private readonly callE: Int32Array;
  private readonly members: Int32Array;
  private readonly compStart: Int32Array;

  constructor(private readonly g: StateGraph, private readonly fairness: Fairness) {
    const n = g.size;
    this.index = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.inSet = new Uint8Array(n);
    this.T = g.threads;
    this.stack = new Int32Array(n);
    this.callV = new Int32Array(n);
    this.callE = new Int32Array(n);
    this.members = new Int32Array(n);
    this.compStart = new Int32Array(n + 1);
  }

  /** The fair component whose least-ranked state ranks below `bound`, least such, or null. */
  find(states: StateList, bound: number, rank: Int32Array): FairComponent | null {
    const g = this.g, T = this.T;
    let best: FairComponent | null = null;
    let bestRank = bound;
    const work: StateList[] = [states];
    const taken = new Uint8Array(T), disabled = new Uint8Array(T), enabledSome = new Uint8Array(T);
    while (work.length > 0) {
      const set = work.pop()!;
      for (const v of set) this.inSet[v] = 1;
      const count = this.components(set);
      const members = this.members, start = this.compStart;
      for (let ci = 0; ci < count; ci++) {
        const from = start[ci], to = start[ci + 1];
        // Stryker disable next-line ConditionalExpression,ArithmeticOperator: a shortcut: a single state without a self-loop is found not cyclic below anyway
        if (to - from === 1 && !this.selfLoop(members[from])) continue;
        for (let k = from; k < to; k++) this.inSet[members[k]] = 2; // marks the component
        // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: a single state that gets here has a self-loop, which sets cyclic below
        let cyclic = to - from > 1;
        taken.fill(0); disabled.fill(0); enabledSome.fill(0);
        let entry = members[from];
        for (let k = from; k < to; k++) {
          const v = members[k];
          // Stryker disable next-line EqualityOperator: ranks are distinct
          if (rank[v] < rank[entry]) entry = v;
          // Stryker disable next-line EqualityOperator: `<=` also writes index T of arrays of T threads, a no-op
          for (let t = 0; t < T; t++) {
            if (g.enabled[v * T + t] === 0) disabled[t] = 1; else enabledSome[t] = 1;
          }
          for (let e = g.edgeStart[v]; e < g.edgeStart[v + 1]; e++) {
            const w = g.edgeTo[e];
            if (this.inSet[w] !== 2) continue;
            taken[g.edgeThread[e]] = 1;
            // Stryker disable next-line ConditionalExpression: an edge inside a component of several states, or a single state's self-loop: cyclic either way
            if (w === v) cyclic = true;
          }
        }
        for (let k = from; k < to; k++) this.inSet[members[k]] = 1;
        // Stryker disable next-line EqualityOperator: two components never share an entry, and a state that stops (the bound) is in no cyclic component
        if (!cyclic || rank[entry] >= bestRank) continue;
        const bad: number[] = [];
        // Stryker disable next-line EqualityOperator: `<=` also reads index T of arrays of T threads: undefined, never 0
        for (let t = 0; t < T; t++) {
          if (this.fairness === 'weak' && taken[t] === 0 && disabled[t] === 0) bad.push(t);
          if (this.fairness === 'strong' && taken[t] === 0 && enabledSome[t] === 1) bad.push(t);
        }
        if (bad.length === 0) {
          const member = new Uint8Array(g.size);
          for (let k = from; k < to; k++) member[members[k]] = 1;
          best = { entry, member, taken: taken.slice(), disabled: disabled.slice() };
          bestRank = rank[entry];
        } else if (
          // Stryker disable next-line ConditionalExpression: under weak fairness a bad thread is enabled in every state, so no state would be kept
          this.fairness === 'strong') {
          const rest: number[] = [];
          for (let k = from; k < to; k++) if (bad.every((t) => g.enabled[members[k] * T + t] === 0)) rest.push(members[k]);
          // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty set has no components
          if (rest.length > 0) work.push(rest);
        }
      }
      for (const v of set) this.inSet[v] = 0;
    }
    return best;
  }

  /** 1 for the states of `states` that lie on a cycle through states of `states` only. Its
   *  one use is as a filter before `find`, which checks every component again: marking more
   *  states than needed only costs time, so mutants that only add states (the mutation tests'
   *  Stryker comments below) cannot fail a test; leaving a cyclic state out is caught. */
  cyclicMembers(states: StateList): Uint8Array {
    const out = new Uint8Array(this.g.size);
    for (const v of states) this.inSet[v] = 1;
    const count = this.components(states);
    const members = this.members, start = this.compStart;
    // Stryker disable next-line EqualityOperator: `<=` reads one component past the last, whose bounds are stale or empty: marks nothing or more
    for (let ci = 0; ci < count; ci++) {
      const from = start[ci], to = start[ci + 1];
      // Stryker disable next-line ConditionalExpression,ArithmeticOperator: keeping single states without a self-loop only adds states
      if (to - from === 1 && !this.selfLoop(members[from])) continue;
      // Stryker disable next-line EqualityOperator: `<=` also marks the next component's first state: only adds states
      for (let k = from; k < to; k++) out[members[k]] = 1;
    }
    for (const v of states) this.inSet[v] = 0;
    return out;
  }

  /** Whether `v` has an edge to itself: the one cycle a component of one state can have. */
  // Stryker disable all: a wrong "true" only adds states to cyclicMembers' filter, and find() skips such a state as not cyclic (see cyclicMembers); a wrong "false" is caught
  private selfLoop(v: number): boolean {
    const g = this.g;
    for (let e = g.edgeStart[v]; e < g.edgeStart[v + 1]; e++) if (g.edgeTo[e] === v) return true;
    return false;
  }
  // Stryker restore all

  /** Tarjan's algorithm over the states marked in `inSet`, iteratively (no recursion depth).
   *  Returns the number of components; component c is `members[compStart[c] .. compStart[c + 1])`
   *  (flat arrays: most components of a large graph are single states, and an array each made
   *  the progress pass spend its time collecting garbage). */
  private components(set: StateList): number {
    const g = this.g, index = this.index, low = this.low, onStack = this.onStack, inSet = this.inSet;
    const stack = this.stack, callV = this.callV, callE = this.callE, members = this.members, compStart = this.compStart;
    let sp = 0, cp = 0, count = 0, filled = 0;
    let next = 0;
    for (const root of set) {
      if (index[root] >= 0) continue;
      callV[cp] = root; callE[cp] = g.edgeStart[root]; cp++;
      index[root] = low[root] = next++; stack[sp++] = root; onStack[root] = 1;
      while (cp > 0) {
        const v = callV[cp - 1];
        const e = callE[cp - 1];
        if (e < g.edgeStart[v + 1]) {
          callE[cp - 1] = e + 1;
          const w = g.edgeTo[e];
          if (inSet[w] === 0) continue;
          if (index[w] < 0) {
            index[w] = low[w] = next++; stack[sp++] = w; onStack[w] = 1;
            callV[cp] = w; callE[cp] = g.edgeStart[w]; cp++;
          } else if (
            // Stryker disable next-line EqualityOperator: `<=` also assigns an equal value
            onStack[w] === 1 && index[w] < low[v]) {
            low[v] = index[w];
          }
          continue;
        }
        cp--;
        // Stryker disable next-line ConditionalExpression,EqualityOperator: at cp = 0 the parent is callV[-1], undefined, and low[undefined] is never written
        if (cp > 0) {
          const p = callV[cp - 1];
          // Stryker disable next-line EqualityOperator: `<=` also assigns an equal value
          if (low[v] < low[p]) low[p] = low[v];
        }
        if (low[v] === index[v]) {
          compStart[count++] = filled;
          let w: number;
          do { w = stack[--sp]; onStack[w] = 0; members[filled++] = w; } while (w !== v);
        }
      }
    }
    compStart[count] = filled;
    for (const v of set) index[v] = -1;
    return count;
  }
}

/** The shortest cycle through `v` inside its component, as action indices. */
function shortestCycle(g: StateGraph, v: number, inside: (w: number) => boolean): number[] {
  let best: number[] | null = null;
  for (let e = g.edgeStart[v]; e < g.edgeStart[v + 1]; e++) {
    const w = g.edgeTo[e];
    if (!inside(w)) continue;
    const back = pathInside(g, w, v, inside);
    if (best === null || back.length + 1 < best.length) best = [e, ...back];
  }
  return best!.map((e) => g.edgeIndex[e]);
}

/** Shortest path (edge ids) from `a` to `b` inside `inside`; [] when a === b. */
function pathInside(g: StateGraph, a: number, b: number, inside: (v: number) => boolean): number[] {
  if (a === b) return [];
  // Stryker disable next-line ArrayDeclaration,UnaryOperator: without `a` in the map it may be queued once more; the walk back stops at `a` all the same
  const prev = new Map<number, number>([[a, -1]]);
  const q = [a];
  // Stryker disable next-line EqualityOperator: `<=` reads q[q.length], undefined, whose row is empty, only after b was not found, which in a strongly connected component never happens
  for (let h = 0; h < q.length; h++) {
    const v = q[h];
    for (let e = g.edgeStart[v]; e < g.edgeStart[v + 1]; e++) {
      const w = g.edgeTo[e];
      if (!inside(w) || prev.has(w)) continue;
      prev.set(w, e);
      if (w === b) {
        const edges: number[] = [];
        let x = b;
        while (x !== a) { const pe = prev.get(x)!; edges.push(pe); x = sourceOf(g, pe); }
        return edges.reverse();
      }
      q.push(w);
    }
  }
  throw new Error(`internal: no path inside a strongly connected component from ${a} to ${b}`);
}

function sourceOf(g: StateGraph, e: number): number {
  // Edge rows are sorted by source: binary search the row that holds e.
  // Stryker disable next-line ArithmeticOperator: a higher bound only adds steps: lo never passes the row of e, which is below size
  let lo = 0, hi = g.size - 1;
  // Stryker disable next-line ConditionalExpression: skipping the binary search leaves lo = 0, and the walk below finds the row
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a search that ends on an earlier row is corrected by the walk below
    if (g.edgeStart[mid] <= e) lo = mid; else hi = mid - 1;
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: the binary search already ends on the row that holds e; this walk only guards it (its body never runs)
  while (g.edgeStart[lo + 1] <= e) lo++;
  return lo;
}

/**
 * A closed walk from `v` inside its component that, for every thread, takes one of the
 * thread's steps when the component has one, or else passes a state where the thread is
 * disabled (a fair component, weak or strong, has what its fairness needs), and takes at least
 * one step.
 */
function cycleThrough(g: StateGraph, v: number, inside: (w: number) => boolean, taken: Uint8Array, disabled: Uint8Array): number[] {
  const T = g.threads;
  const edges: number[] = [];
  let cur = v;
  // Stryker disable next-line ArrayDeclaration: an entry that is not a state has no edges and no enabled flags, so it is never chosen
  const members: number[] = [];
  {
    // Stryker disable next-line ArrayDeclaration: without v in `seen` it is listed again when reached, a duplicate that changes no choice
    const seen = new Set([v]);
    const q = [v];
    // Stryker disable next-line EqualityOperator: `<=` also lists q[q.length], undefined, which has no edges and no enabled flags
    for (let h = 0; h < q.length; h++) {
      members.push(q[h]);
      // Stryker disable next-line EqualityOperator: `<=` also follows the next row's first edge, which only lists the component's states in another order (its target is inside or skipped)
      for (let e = g.edgeStart[q[h]]; e < g.edgeStart[q[h] + 1]; e++) {
        const w = g.edgeTo[e];
        if (inside(w) && !seen.has(w)) { seen.add(w); q.push(w); }
      }
    }
  }
  // Stryker disable next-line EqualityOperator: `<=` also looks at thread T, neither taken nor disabled
  for (let t = 0; t < T; t++) {
    if (taken[t] === 1) {
      let best = -1;
      for (const m of members) {
        // Stryker disable next-line EqualityOperator: `<=` may take the next row's first edge, a step of t inside all the same (sourceOf finds its real source)
        for (let e = g.edgeStart[m]; e < g.edgeStart[m + 1]; e++) {
          if (g.edgeThread[e] === t && inside(g.edgeTo[e])) { best = e; break; }
        }
        if (best >= 0) break;
      }
      edges.push(...pathInside(g, cur, sourceOf(g, best), inside), best);
      cur = g.edgeTo[best];
    } else if (
      // Stryker disable next-line ConditionalExpression: in a fair component a thread is taken or disabled somewhere (weak), or taken or never enabled (strong): never neither
      disabled[t] === 1) {
      const target = members.find((m) => g.enabled[m * T + t] === 0)!;
      edges.push(...pathInside(g, cur, target, inside));
      cur = target;
    }
  }
  // The walk has a step: the component is cyclic, so some thread steps inside it (taken).
  // Back to v (no steps when it is there already).
  edges.push(...pathInside(g, cur, v, inside));
  return edges.map((e) => g.edgeIndex[e]);
}
