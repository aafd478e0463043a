import type { Action, StateVector, TransitionSystem } from './system.js';
import type { CheckResult, Trace, Verdict, Violation, ViolationKind } from './result.js';
import type { ResolvedOptions } from './options.js';
import type { VisitedSet } from './visited-set.js';
import { StateLayout } from './packing.js';
import { fingerprint, fingerprintOut, collisionProbability } from './fingerprint.js';
import { ParentLinks } from './parent-links.js';
import { ActionBuffer, newMutableAction } from './action-buffer.js';
import { RecordingStepContext } from './step-context.js';
import { rebuildTrace } from './trace.js';
import { AmpleChooser } from './ample-set.js';
import { packedCanonicaliser, searchCanonicaliser, symmetryGroupNames } from './symmetry.js';
import { ChangeTriggers, InvariantTriggers, LabelTriggers } from './incremental.js';

/** What broke, before a trace is attached. */
export interface Finding {
  readonly kind: ViolationKind;
  readonly invariant: string;
  readonly message: string;
}

const PROGRESS_INTERVAL_MS = 500;

/**
 * The machinery every strategy shares: packing and fingerprinting states, the visited set and
 * parent links, stepping one action with all transition checks, the checks of a state, time
 * and progress, and turning a finding into a Violation with a re-executed trace.
 * Buffers (`cur`, `next`, the action buffer, the action object) are reused for every state.
 */
export class Search {
  readonly layout: StateLayout;
  readonly words: number;
  readonly visited: VisitedSet;
  readonly links = new ParentLinks();
  readonly coverage: Float64Array;
  readonly buf = new ActionBuffer();
  readonly act = newMutableAction();
  readonly ctx = new RecordingStepContext();
  readonly cur: StateVector;
  /** Where `step` writes the successor. `successors()` swaps it with a kept buffer after each
   *  step, so read it after `step`, never keep the reference. */
  next: StateVector;
  readonly symmetry: boolean;
  readonly partialOrder: boolean;
  transitions = 0;
  maxDepthSeen = 0;
  finding: Finding | null = null;
  /** Action index of the transition that produced the last finding of `successors()`. */
  // Stryker disable next-line UnaryOperator: set with `finding` before it is read
  findingAction = -1;
  /** Set by `successors()`: some successor was already visited. */
  // Stryker disable next-line BooleanLiteral: set by successors() before it is read
  revisited = false;
  private touchSink = 0;
  /** Successors of the last `successors()` call: packed words, action index, new or not. */
  succWords: Uint32Array;
  succAction = new Int32Array(16);
  succNew = new Uint8Array(16);
  /** The fingerprint `addIfNew` last added or found (the representative's under symmetry). */
  addedHi = 0;
  addedLo = 0;
  private succHi = new Uint32Array(16);
  private succLo = new Uint32Array(16);
  /** Unpacked successors of the last `successors()` call (checked without unpacking again). */
  private succStates: StateVector[] = [];
  private readonly canon: StateVector;
  /** The representative of a state's orbit: writes it to `out` and returns true, or returns
   *  false when the state is its own (the model's `canonicalise` always copies and says true;
   *  the one derived from declared symmetry groups finds most states canonical on its own). */
  private readonly canonicalInto: ((state: StateVector, out: StateVector) => boolean) | undefined;
  private readonly ample: AmpleChooser | null;
  private readonly canonWords: Uint32Array;
  /** Packs only the words a representative can differ in (declared symmetry), else null. */
  private readonly packTouched: ((state: StateVector, out: Uint32Array, offset: number) => void) | null;
  /** The representative's packed words straight from the state (one declared group with
   *  generated code: symmetry.ts packedCanonicaliser), else null. */
  private readonly packedCanonical: ((state: StateVector, words: Uint32Array, offset: number, out: Uint32Array) => boolean) | null;
  /** Packed words of `cur`, which successors are compared with to find what a step changed
   *  (valid after `loadState`, else packed again by `successors`). */
  private readonly curWords: Uint32Array;
  // Stryker disable next-line BooleanLiteral: every search loads a state (loadState) before its first successors(); only the value successors() leaves matters
  private curLoaded = false;
  /** Incremental invariants: which ones a step may have changed the verdict of. */
  readonly incremental: boolean;
  private readonly triggers: InvariantTriggers;
  /** Which action properties a step may have broken: those that declare no `changes`, and
   *  those a field of whose `changes` the step changed; null when no property declares
   *  `changes` or `labels`. */
  private readonly actionTriggers: ChangeTriggers | null;
  /** Which action properties may fail on an action's label (with `actionTriggers`). */
  private readonly actionLabels: LabelTriggers;
  /** Successors are compared with `curWords` (incremental invariants or action properties). */
  private readonly compareWithParent: boolean;
  private readonly start = performance.now();
  private lastProgress = this.start;

  constructor(readonly system: TransitionSystem, readonly opts: ResolvedOptions) {
    this.layout = new StateLayout(system.fields);
    this.words = this.layout.wordsPerState;
    this.visited = opts.visitedSet(this.words);
    this.coverage = new Float64Array(system.labels.length);
    this.cur = this.layout.newState();
    this.next = this.layout.newState();
    this.canon = this.layout.newState();
    this.canonWords = new Uint32Array(this.words);
    this.succWords = new Uint32Array(16 * this.words);
    // Without the declarations a reduction is simply not applied: exploring everything is sound.
    const canonical = opts.symmetry ? searchCanonicaliser(system) : undefined;
    this.canonicalInto = canonical?.into;
    this.packTouched = canonical !== undefined && canonical.touched !== null ? this.layout.partialPacker(canonical.touched) : null;
    this.symmetry = this.canonicalInto !== undefined;
    this.packedCanonical = this.symmetry ? packedCanonicaliser(system, this.layout) : null;
    this.partialOrder = opts.partialOrder && system.stepFootprint !== undefined && system.futureFootprint !== undefined;
    this.ample = this.partialOrder ? new AmpleChooser(system) : null;
    this.curWords = new Uint32Array(this.words);
    this.triggers = new InvariantTriggers(system.invariants, system.fields, this.layout);
    this.incremental = opts.incrementalChecks && this.triggers.declared;
    const actionTriggers = new ChangeTriggers(system.actionProperties ?? [], this.layout);
    this.actionLabels = new LabelTriggers(system.actionProperties ?? [], system.labels.length);
    this.actionTriggers = opts.incrementalChecks && (actionTriggers.declared || this.actionLabels.declared) ? actionTriggers : null;
    this.compareWithParent = this.incremental || this.actionTriggers !== null;
  }

  /** Unpacks the state at `words[offset ..]` into `cur` to expand it, keeping its packed words
   *  to compare its successors with (incremental invariants). */
  loadState(words: Uint32Array, offset: number): void {
    this.layout.unpack(words, offset, this.cur);
    if (!this.compareWithParent) return;
    const cw = this.curWords;
    for (let w = 0; w < cw.length; w++) cw[w] = words[offset + w];
    // Stryker disable next-line BooleanLiteral: false only makes successors() pack `cur` again, to the same words
    this.curLoaded = true;
  }

  /** The fingerprints of the last `successors()` call's successors (the representatives'
   *  under symmetry), beside `succAction` and `succNew`. */
  get successorHi(): Uint32Array { return this.succHi; }
  get successorLo(): Uint32Array { return this.succLo; }

  /** The initial states, validated against the field declarations. */
  initialStates(): StateVector[] {
    const inits = this.system.initialStates();
    for (const s of inits) this.layout.validate(s);
    return inits;
  }

  /**
   * Packs `state` at `words[offset]` and adds it to the visited set; true when new.
   * Under symmetry the fingerprint is that of the canonical representative, while the packed
   * words stay those of the concrete state: the search expands concrete states, so the parent
   * links re-execute to exactly the states it saw and the trace replays without canonicalising.
   */
  addIfNew(state: StateVector, words: Uint32Array, offset: number): boolean {
    this.layout.pack(state, words, offset);
    const canonical = this.symmetry && this.canonicalWordsOf(state, words, offset);
    if (canonical) fingerprint(this.canonWords, 0, this.words);
    else fingerprint(words, offset, this.words);
    this.addedHi = fingerprintOut[0];
    this.addedLo = fingerprintOut[1];
    return canonical ? this.visited.add(this.canonWords, 0, this.addedHi, this.addedLo) : this.visited.add(words, offset, this.addedHi, this.addedLo);
  }


  /** Whether `state` (packed at `words[offset ..]`) is not its own representative; if so, the
   *  representative's packed words are in `canonWords`. */
  private canonicalWordsOf(state: StateVector, words: Uint32Array, offset: number): boolean {
    if (this.packedCanonical !== null) return this.packedCanonical(state, words, offset, this.canonWords);
    if (!this.canonicalInto!(state, this.canon)) return false;
    this.packCanonical(words, offset);
    return true;
  }

  /** Packs `canon`, the representative of the state packed at `words[offset ..]`, into
   *  `canonWords`: the words it shares with that state are copied, the others packed. */
  private packCanonical(words: Uint32Array, offset: number): void {
    const cw = this.canonWords;
    if (this.packTouched === null) {
      this.layout.pack(this.canon, cw, 0);
      return;
    }
    for (let w = 0; w < cw.length; w++) cw[w] = words[offset + w];
    this.packTouched(this.canon, cw, 0);
  }

  /**
   * Generates the successors of `cur` through the enabled actions in `buf` that are selected
   * (all when `ample < 0`, else those of thread `ample` when `inAmple`, the others when not),
   * checking each transition, then deduplicates them against the visited set and checks the
   * invariants of the new ones. Returns the number of successors (flags in `succNew`), or -1
   * on a violation (`finding`, `findingAction`).
   *
   * Why batched: the fingerprint table is far larger than the caches, so nearly every lookup
   * misses. Touching all home slots first lets the CPU overlap those misses instead of paying
   * them one after another.
   */
  successors(ample: number, inAmple: boolean): number {
    const n = this.buf.count;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: growing when not needed only allocates (same results)
    if (this.succAction.length < n) this.growSuccessors(n);
    const W = this.words;
    const thread = this.buf.thread;
    const visited = this.visited;
    const words = this.succWords, hi = this.succHi, lo = this.succLo, act = this.succAction, isNew = this.succNew;
    // A caller that wrote `cur` itself (not through loadState): pack it to compare with.
    if (this.compareWithParent && !this.curLoaded) this.layout.pack(this.cur, this.curWords, 0);
    this.curLoaded = false;
    let m = 0;
    for (let k = 0; k < n; k++) {
      if (ample >= 0 && (thread[k] === ample) !== inAmple) continue;
      if (!(this.actionTriggers === null ? this.step(k) : this.applyStep(k))) {
        this.findingAction = k;
        return -1;
      }
      const off = m * W;
      // Keep the unpacked successor: swap buffers instead of unpacking it again below.
      if (m === this.succStates.length) this.succStates.push(this.layout.newState());
      const kept = this.next;
      this.next = this.succStates[m];
      this.succStates[m] = kept;
      // Packed and fingerprinted in one pass; under symmetry packed, then fingerprinted once:
      // a state that is not its own representative takes the representative's fingerprint.
      if (this.actionTriggers === null) {
        if (this.symmetry) {
          this.layout.pack(kept, words, off);
        } else {
          this.layout.packFingerprint(kept, words, off);
          hi[m] = fingerprintOut[0];
          lo[m] = fingerprintOut[1];
        }
      } else if (!this.packAndCheckStep(kept, words, off, m)) {
        this.findingAction = k;
        return -1;
      }
      if (this.symmetry) {
        if (this.canonicalWordsOf(kept, words, off)) fingerprint(this.canonWords, 0, W);
        else fingerprint(words, off, W);
        hi[m] = fingerprintOut[0];
        lo[m] = fingerprintOut[1];
      }
      act[m] = k;
      m++;
    }
    // Stryker disable all: prefetch only (reads home slots so their cache misses overlap); skipping or changing it changes no result
    if (visited.touch !== undefined) {
      let sink = 0;
      for (let j = 0; j < m; j++) sink += visited.touch(hi[j], lo[j]);
      this.touchSink = sink; // keeps the reads from being optimised away
    }
    // Stryker restore all
    this.revisited = false;
    const states = this.succStates;
    for (let j = 0; j < m; j++) {
      // Under symmetry the exact set must see the canonical words; re-pack them.
      let added: boolean;
      if (this.symmetry && !visited.lossy && this.canonicalWordsOf(states[j], words, j * W)) {
        added = visited.add(this.canonWords, 0, hi[j], lo[j]);
      } else {
        added = visited.add(words, j * W, hi[j], lo[j]);
      }
      if (added) {
        isNew[j] = 1;
        if (!(this.incremental ? this.invariantsHoldAfterStep(states[j], words, j * W) : this.invariantsHold(states[j]))) {
          this.findingAction = act[j];
          return -1;
        }
      } else {
        isNew[j] = 0;
        this.revisited = true;
      }
    }
    return m;
  }

  private growSuccessors(n: number): void {
    let c = this.succAction.length;
    // Stryker disable next-line EqualityOperator: `<=` doubles once more than needed (a bigger buffer, same results)
    while (c < n) c *= 2;
    this.succWords = new Uint32Array(c * this.words);
    this.succAction = new Int32Array(c);
    this.succNew = new Uint8Array(c);
    this.succHi = new Uint32Array(c);
    this.succLo = new Uint32Array(c);
  }

  /** Checks every state invariant; on failure records the finding and returns false. */
  invariantsHold(state: StateVector): boolean {
    const inv = this.system.invariants;
    for (let i = 0; i < inv.length; i++) {
      const m = inv[i].check(state);
      if (m !== null) {
        this.finding = { kind: 'invariant', invariant: inv[i].name, message: m };
        return false;
      }
    }
    return true;
  }

  /**
   * `invariantsHold` for a successor of `cur` (packed at `words[offset ..]`): an invariant that
   * declares `reads` is evaluated only when the step changed one of those fields (one it
   * declares a view of: changed its view). Sound because `cur` is only expanded after every
   * invariant held there, and an invariant gives the same answer on two states that agree on
   * what it reads (incremental.ts); the first invariant to fail, in declaration order, is the
   * one full evaluation reports.
   */
  invariantsHoldAfterStep(state: StateVector, words: Uint32Array, offset: number): boolean {
    const inv = this.system.invariants;
    const due = this.triggers.dueAfter(this.curWords, words, offset);
    if (inv.length <= 32) {
      // Only the due ones, lowest bit (first declared) first: a few of many on most states.
      for (let d = due[0]; d !== 0; d &= d - 1) {
        const i = 31 - Math.clz32(d & -d);
        const m = inv[i].check(state);
        if (m !== null) {
          this.finding = { kind: 'invariant', invariant: inv[i].name, message: m };
          return false;
        }
      }
      return true;
    }
    for (let i = 0; i < inv.length; i++) {
      if ((due[i >>> 5] & (1 << (i & 31))) === 0) continue;
      const m = inv[i].check(state);
      if (m !== null) {
        this.finding = { kind: 'invariant', invariant: inv[i].name, message: m };
        return false;
      }
    }
    return true;
  }

  /** Enumerates the enabled actions of `state` into `buf`; returns their number. */
  enumerate(state: StateVector): number {
    this.buf.clear();
    this.system.actions(state, this.buf);
    return this.buf.count;
  }

  /**
   * Applies enabled action `k` of `cur` into `next`, counting the transition and its label,
   * then checks StepContext failures and action properties. False (with the finding) on a
   * violation.
   */
  step(k: number): boolean {
    return this.applyStep(k) && this.actionPropertiesHold(this.cur, this.act, this.next);
  }

  /** `step` without the action properties. */
  private applyStep(k: number): boolean {
    const a = this.buf.load(k, this.act);
    const cur = this.cur, next = this.next;
    next.set(cur);
    this.ctx.reset();
    this.system.apply(cur, a, next, this.ctx);
    this.transitions++;
    this.coverage[a.label]++;
    if (this.ctx.failed) {
      this.finding = { kind: 'step', invariant: this.ctx.invariant, message: this.ctx.message };
      return false;
    }
    return true;
  }

  /**
   * Packs the successor `after` of `cur` (by the action in `act`) at `words[offset ..]`, its
   * fingerprint to successor slot `slot`, then checks the action properties, skipping one that
   * declares `changes` when none of those fields changed, and one that declares `labels` not
   * listing the action's. The order of findings is `step`'s: a property that fails on a
   * successor with a field out of range is reported before the model error.
   */
  private packAndCheckStep(after: StateVector, words: Uint32Array, offset: number, slot: number): boolean {
    const props = this.system.actionProperties!;
    try {
      // Under symmetry the caller fingerprints the state (or its representative) after this.
      if (this.symmetry) this.layout.pack(after, words, offset);
      else this.layout.packFingerprint(after, words, offset);
    } catch (e) {
      if (!this.actionPropertiesHold(this.cur, this.act, after)) return false;
      throw e;
    }
    this.succHi[slot] = fingerprintOut[0];
    this.succLo[slot] = fingerprintOut[1];
    const triggers = this.actionTriggers!, labels = this.actionLabels, label = this.act.label;
    let due = 0;
    if (triggers.masked) {
      // The fields are compared only when some property may fail on this label.
      const onLabel = labels.maskOf(label);
      if (onLabel === 0) return true;
      due = onLabel & triggers.dueMask(this.curWords, words, offset);
    }
    for (let i = 0; i < props.length; i++) {
      if (triggers.masked ? (due & (1 << i)) === 0 : !(labels.dueOn(i, label) && triggers.due(i, this.curWords, words, offset))) continue;
      const m = props[i].check(this.cur, this.act, after);
      if (m !== null) {
        this.finding = { kind: 'action', invariant: props[i].name, message: m };
        return false;
      }
    }
    return true;
  }

  private actionPropertiesHold(cur: StateVector, a: Action, next: StateVector): boolean {
    const props = this.system.actionProperties;
    if (props !== undefined) {
      for (let i = 0; i < props.length; i++) {
        const m = props[i].check(cur, a, next);
        if (m !== null) {
          this.finding = { kind: 'action', invariant: props[i].name, message: m };
          return false;
        }
      }
    }
    return true;
  }

  /** Checks a state with no enabled action: a deadlock when some thread is not done,
   *  otherwise a terminal state whose terminal properties must hold. */
  quiescentStateOk(state: StateVector): boolean {
    const sys = this.system;
    for (let t = 0; t < sys.threads.length; t++) {
      if (!sys.threadDone(state, t)) {
        if (!this.opts.checkDeadlock) return true;
        this.finding = {
          kind: 'deadlock',
          invariant: 'deadlock',
          message: `no thread can take a step, but ${sys.threads[t]} has not finished`,
        };
        return false;
      }
    }
    const props = sys.terminalProperties;
    if (props !== undefined) {
      for (let i = 0; i < props.length; i++) {
        const m = props[i].check(state);
        if (m !== null) {
          this.finding = { kind: 'terminal', invariant: props[i].name, message: m };
          return false;
        }
      }
    }
    return true;
  }

  /** The thread whose actions alone are to be expanded in `cur`, or -1 to expand all. */
  ampleThread(): number {
    return this.ample !== null ? this.ample.choose(this.cur, this.buf) : -1;
  }

  elapsedMs(): number {
    return performance.now() - this.start;
  }

  /** Called every so often from a search loop: reports progress, true when time is up. */
  poll(queued: number, depth: number): boolean {
    const now = performance.now();
    const elapsed = now - this.start;
    // Stryker disable next-line EqualityOperator: `>` instead of `>=` differs only at exactly 500 ms; `<` reports on every poll and fails the progress tests
    if (this.opts.onProgress !== undefined && now - this.lastProgress >= PROGRESS_INTERVAL_MS) {
      this.lastProgress = now;
      this.opts.onProgress({
        distinctStates: this.distinctStates(),
        transitions: this.transitions,
        queued,
        depth,
        elapsedMs: elapsed,
      });
    }
    // Stryker disable next-line EqualityOperator: `>` instead of `>=` changes the verdict only if elapsed equals the limit to the microsecond
    return elapsed >= this.opts.timeLimitMs;
  }

  distinctStates(): number {
    return this.links.size > 0 ? this.links.size : this.visited.size;
  }

  /** The recorded finding, with the trace to state `id` plus optionally one more step. */
  violationAt(id: number, extraIndex = -1): Violation {
    const { initial, indices } = this.links.path(id);
    if (extraIndex >= 0) indices.push(extraIndex);
    return this.violation(rebuildTrace(this.system, initial, indices));
  }

  violation(trace: Trace): Violation {
    const f = this.finding!;
    return { kind: f.kind, invariant: f.invariant, message: f.message, trace };
  }

  result(verdict: Verdict, extra: { violation?: Violation; incompleteReason?: string } = {}): CheckResult {
    const elapsedMs = this.elapsedMs();
    const distinctStates = this.distinctStates();
    return {
      verdict,
      ...(extra.violation !== undefined ? { violation: extra.violation } : {}),
      ...(verdict === 'incomplete' ? { incompleteReason: extra.incompleteReason } : {}),
      stats: {
        distinctStates,
        transitions: this.transitions,
        maxDepth: this.maxDepthSeen,
        elapsedMs,
        // Stryker disable next-line ConditionalExpression,EqualityOperator: elapsedMs is never 0 after a run, so the guard only keeps a division by zero out
        statesPerSecond: elapsedMs > 0 ? (distinctStates * 1000) / elapsedMs : 0,
        visitedBytes: this.visited.bytes + this.links.bytes,
        collisionProbability: this.visited.lossy ? collisionProbability(this.visited.size) : 0,
        reductions: {
          partialOrder: this.partialOrder,
          symmetry: this.symmetry,
          symmetryGroups: this.symmetry ? symmetryGroupNames(this.system) : [],
          reducedExpansions: this.ample?.reducedStates ?? 0,
        },
      },
      coverage: Array.from(this.coverage),
    };
  }
}
