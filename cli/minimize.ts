/**
 * Shrinks a violating scenario while it still violates the same invariant: greedy delta
 * debugging over the scenario's structure, to a fixpoint. Passes, cheapest to judge first:
 * drop a whole thread, drop one operation of a thread, drop one setup operation, then shrink
 * the pool (each numeric field of the shape by one, each list entry such as a size class).
 * A candidate the model rejects (it does not build, or breaks the engine's contract) or that
 * does not violate the same invariant is discarded.
 */
import { check, type CheckOptions, type CheckResult } from '../explorer/index.js';
import type { ScenarioLike, ScenarioSource, ThreadLike } from './source.js';

export interface MinimizeRequest {
  readonly scenario: ScenarioLike;
  readonly design: string;
  readonly mutations: readonly string[];
  readonly options: CheckOptions;
}

export interface MinimizeOutcome {
  readonly invariant: string;
  readonly original: ScenarioLike;
  readonly minimized: ScenarioLike;
  readonly result: CheckResult;
  /** Candidates checked. */
  readonly attempts: number;
}

/** The fields of a scenario the minimizer changes (what a trace file must carry to rebuild it). */
export const SHRINKABLE_KEYS = ['threads', 'setup', 'shape', 'pool'] as const;

export function scenarioDefinition(s: ScenarioLike): { threads: ThreadLike[]; [k: string]: unknown } {
  const out: { threads: ThreadLike[]; [k: string]: unknown } = { threads: s.threads.map((t) => ({ name: t.name, ops: [...t.ops] })) };
  for (const k of SHRINKABLE_KEYS) if (k !== 'threads' && s[k] !== undefined) out[k] = s[k];
  return out;
}

/** A size measure that every accepted step strictly decreases (so the loop ends). */
export function scenarioSize(s: ScenarioLike): number {
  let n = s.threads.length * 1000 + s.threads.reduce((k, t) => k + t.ops.length, 0) * 100;
  if (Array.isArray(s.setup)) n += s.setup.length * 10;
  for (const key of ['shape', 'pool'] as const) {
    const shape = s[key];
    if (shape && typeof shape === 'object') {
      for (const v of Object.values(shape)) n += typeof v === 'number' ? v : Array.isArray(v) ? v.length : 0;
    }
  }
  return n;
}

function* candidates(s: ScenarioLike): Generator<ScenarioLike> {
  const threads = s.threads;
  for (let i = 0; i < threads.length; i++) {
    if (threads.length > 1) yield { ...s, threads: threads.filter((_, j) => j !== i) };
  }
  for (let i = 0; i < threads.length; i++) {
    for (let k = 0; k < threads[i].ops.length; k++) {
      if (threads[i].ops.length <= 1) continue;
      const t = { ...threads[i], ops: threads[i].ops.filter((_, j) => j !== k) };
      yield { ...s, threads: threads.map((x, j) => (j === i ? t : x)) };
    }
  }
  if (Array.isArray(s.setup)) {
    const setup = s.setup as unknown[];
    for (let k = setup.length - 1; k >= 0; k--) yield { ...s, setup: setup.filter((_, j) => j !== k) };
  }
  for (const key of ['shape', 'pool'] as const) {
    const shape = s[key] as Record<string, unknown> | undefined;
    if (!shape || typeof shape !== 'object') continue;
    for (const [f, v] of Object.entries(shape)) {
      if (typeof v === 'number' && Number.isInteger(v) && v > 1) yield { ...s, [key]: { ...shape, [f]: v - 1 } };
      if (Array.isArray(v) && v.length > 1) {
        for (let k = v.length - 1; k >= 0; k--) yield { ...s, [key]: { ...shape, [f]: v.filter((_, j) => j !== k) } };
      }
    }
  }
}

export class NotViolatingError extends Error {}

export function minimizeScenario(source: ScenarioSource, req: MinimizeRequest): MinimizeOutcome {
  let attempts = 0;
  const violates = (s: ScenarioLike, invariant?: string): CheckResult | undefined => {
    attempts++;
    try {
      const system = source.buildSystem({ scenario: s, design: req.design, mutations: req.mutations });
      const r = check(system, req.options);
      if (r.verdict !== 'violated') return undefined;
      if (invariant !== undefined && r.violation!.invariant !== invariant) return undefined;
      return r;
    } catch {
      // A candidate the model cannot build or run (e.g. an op naming a class that was removed).
      return undefined;
    }
  };
  const first = violates(req.scenario);
  if (!first) throw new NotViolatingError(`scenario ${req.scenario.id} does not violate any invariant under ${req.design}${req.mutations.length ? ` with ${req.mutations.join('+')}` : ''}: nothing to minimize`);
  const invariant = first.violation!.invariant;
  let current = req.scenario;
  let result = first;
  for (let progress = true; progress;) {
    progress = false;
    for (const c of candidates(current)) {
      if (scenarioSize(c) >= scenarioSize(current)) continue;
      const r = violates(c, invariant);
      if (r) {
        current = c;
        result = r;
        progress = true;
        break;
      }
    }
  }
  return { invariant, original: req.scenario, minimized: current, result, attempts };
}
