import type { Footprint, StateVector, TransitionSystem } from './system.js';
import type { ActionBuffer } from './action-buffer.js';

/**
 * Partial-order reduction for safety checking: an ample set made of all enabled actions of one
 * thread, chosen from the model's declared footprints (`stepFootprint`, `futureFootprint`).
 *
 * Thread t's actions in state s form the ample set when
 * - C1 (independence, by construction): no other thread u can, in any of its future steps,
 *   write a field t's next step reads, or read or write a field it writes. Since t's enabled
 *   actions and their effects depend only on what its step footprint reads, nothing another
 *   thread does before t moves can enable, disable or change them, and each of them commutes
 *   with every step other threads take meanwhile.
 * - C2 (invisibility): no state invariant or action property reads what t's step writes
 *   (a property without declared `reads` reads everything).
 * - C0: t has an enabled action, so the set is empty only when nothing is enabled: every
 *   deadlock and terminal state of the full graph stays reachable.
 * - C3 (cycle proviso): the search expands a state fully when some successor through the ample
 *   set was already visited (in BFS and DFS alike), so every cycle of the reduced graph has a
 *   fully expanded state and no action is postponed for ever.
 *
 * The earlier `isLocal` hook ("touches only thread-private state") lacked the first half of
 * C1: a private step whose guard reads a shared field can be disabled by another thread, and
 * expanding it alone lost a reachable invariant violation and a reachable deadlock
 * (test/explorer/por-contract.test.ts keeps both systems).
 */
export class AmpleChooser {
  private readonly visible: Uint8Array;
  /** Per field: stamp of the candidate thread's reads / writes. */
  private readonly readMark: Uint32Array;
  private readonly writeMark: Uint32Array;
  private stamp = 0;
  private readonly futures: (Footprint | null)[];
  private readonly seen: Uint8Array;
  /** States expanded through a reduced set (statistics). */
  reducedStates = 0;

  constructor(private readonly system: TransitionSystem) {
    const n = system.fields.length;
    this.visible = new Uint8Array(n);
    this.readMark = new Uint32Array(n);
    this.writeMark = new Uint32Array(n);
    // Stryker disable next-line ArrayDeclaration: choose() sets every slot to null before any is read
    this.futures = new Array(system.threads.length).fill(null);
    this.seen = new Uint8Array(system.threads.length);
    const props: { reads?: readonly number[] }[] = [...system.invariants, ...(system.actionProperties ?? [])];
    for (const p of props) {
      if (p.reads === undefined) { this.visible.fill(1); break; }
      for (const f of p.reads) this.visible[f] = 1;
    }
  }

  /** The thread whose enabled actions (in `buf`) alone are to be expanded, or -1 for all. */
  choose(state: StateVector, buf: ActionBuffer): number {
    const n = buf.count;
    const T = this.system.threads.length;
    this.seen.fill(0);
    let enabledThreads = 0;
    for (let k = 0; k < n; k++) {
      const t = buf.thread[k];
      if (this.seen[t] === 0) { this.seen[t] = 1; enabledThreads++; }
    }
    // One enabled thread: its actions are already all there is.
    if (enabledThreads < 2) return -1;
    // Stryker disable next-line EqualityOperator: `<=` also clears one slot past the threads, which is never read
    for (let u = 0; u < T; u++) this.futures[u] = null;
    for (let t = 0; t < T; t++) {
      if (this.seen[t] === 0) continue;
      if (this.independent(state, t)) {
        this.reducedStates++;
        return t;
      }
    }
    return -1;
  }

  private independent(state: StateVector, t: number): boolean {
    const sys = this.system;
    const step = sys.stepFootprint!(state, t);
    const st = ++this.stamp;
    const rm = this.readMark, wm = this.writeMark, vis = this.visible;
    for (const f of step.reads) rm[f] = st;
    for (const f of step.writes) { if (vis[f] === 1) return false; wm[f] = st; }
    if (step.locks !== undefined) {
      for (const f of step.locks) { if (vis[f] === 1) return false; rm[f] = st; wm[f] = st; }
    }
    for (let u = 0; u < sys.threads.length; u++) {
      if (u === t) continue;
      let fu = this.futures[u];
      // Stryker disable next-line ConditionalExpression: asking again gives the same footprint (the slot only caches it for this state)
      if (fu === null) { fu = sys.futureFootprint!(state, u); this.futures[u] = fu; }
      for (const f of fu.writes) if (rm[f] === st || wm[f] === st) return false;
      for (const f of fu.reads) if (wm[f] === st) return false;
      if (fu.locks !== undefined) for (const f of fu.locks) if (rm[f] === st || wm[f] === st) return false;
    }
    return true;
  }
}
