/**
 * Which (scenario, design, mutations) runs a command line asks for, what each is expected to
 * give, and running them. Shared by check, compare and minimize.
 */
import { check, replay, type CheckOptions, type CheckResult, type TransitionSystem } from '../explorer/index.js';
import { walkTrace, type WalkedTrace } from '../report/walk.js';
import { InputError } from './errors.js';
import { mutationDesigns, scenarioMutations, type DesignName, type Expectation, type ScenarioLike, type ScenarioSource } from './source.js';

export interface PlannedRun {
  readonly scenario: ScenarioLike;
  readonly design: DesignName;
  readonly mutations: readonly string[];
  readonly expected: Expectation;
}

export interface Selection {
  readonly scenarios: readonly string[];
  readonly design?: string;
  readonly mutation?: string;
}

export function requireDesign(source: ScenarioSource, design: string | undefined): DesignName | undefined {
  if (design === undefined) return undefined;
  if (!source.designs.includes(design)) throw new InputError(`unknown design '${design}' (designs: ${source.designs.join(', ')})`);
  return design;
}

export function requireScenario(source: ScenarioSource, id: string): ScenarioLike {
  const s = source.findScenario(id);
  if (!s) {
    const ids = source.scenarios().map((x) => x.id);
    const near = ids.filter((x) => x.includes(id) || id.includes(x)).slice(0, 5);
    throw new InputError(`unknown scenario '${id}' (${near.length > 0 ? `did you mean ${near.join(', ')}?` : `${ids.length} scenarios: memdesc-mc check --list`})`);
  }
  return s;
}

export function requireMutation(source: ScenarioSource, id: string | undefined) {
  if (id === undefined) return undefined;
  const m = source.mutations.find((x) => x.id === id);
  if (!m) throw new InputError(`unknown mutation '${id}' (mutations: ${source.mutations.map((x) => x.id).join(', ')})`);
  return m;
}

/**
 * Every design a scenario lists (or just --design), each with the scenario's expectation.
 * With --mutation the expectation becomes the mutation's: it re-creates a bug, so the checker
 * must report the invariant the bug breaks.
 */
export function planRuns(source: ScenarioSource, sel: Selection): PlannedRun[] {
  const design = requireDesign(source, sel.design);
  const mutation = requireMutation(source, sel.mutation);
  const scenarios = sel.scenarios.length > 0 ? sel.scenarios.map((id) => requireScenario(source, id)) : source.scenarios();
  const runs: PlannedRun[] = [];
  for (const scenario of scenarios) {
    for (const d of scenario.designs) {
      if (design !== undefined && d !== design) continue;
      if (mutation) {
        const md = mutationDesigns(mutation);
        if (md && !md.includes(d)) continue;
        const muts = [...new Set([...scenarioMutations(scenario), mutation.id])];
        runs.push({ scenario, design: d, mutations: muts, expected: { violates: mutation.invariant } });
        continue;
      }
      const expected = scenario.expect[d];
      if (!expected) continue;
      runs.push({ scenario, design: d, mutations: scenarioMutations(scenario), expected });
    }
  }
  if (runs.length === 0) {
    const what = [sel.scenarios.length > 0 ? `scenario ${sel.scenarios.join(', ')}` : 'any scenario', design ? `design ${design}` : '', mutation ? `mutation ${mutation.id}` : '']
      .filter(Boolean).join(' with ');
    throw new InputError(`nothing to run: no ${what}`);
  }
  return runs;
}

export function expectationText(e: Expectation): string {
  return 'holds' in e ? 'holds' : `violates ${e.violates}`;
}

export function expectationMet(e: Expectation, r: CheckResult): boolean {
  if ('holds' in e) return r.verdict === 'holds';
  return r.verdict === 'violated' && r.violation!.invariant === e.violates;
}

export interface FinishedRun {
  readonly run: PlannedRun;
  readonly system: TransitionSystem;
  readonly options: CheckOptions;
  readonly result: CheckResult;
  readonly met: boolean;
}

/** Check options of a run: the scenario's own (e.g. symmetry), then the command line's. */
export function runOptions(source: ScenarioSource, run: PlannedRun, cli: CheckOptions): CheckOptions {
  return { ...(source.checkOptions?.(run.scenario) ?? {}), ...cli };
}

export function executeRun(source: ScenarioSource, run: PlannedRun, cli: CheckOptions): FinishedRun {
  const system = source.buildSystem({ scenario: run.scenario, design: run.design, mutations: run.mutations });
  const options = runOptions(source, run, cli);
  const result = check(system, options);
  return { run, system, options, result, met: expectationMet(run.expected, result) };
}

export function invariantDescription(source: ScenarioSource, system: TransitionSystem, name: string): string | undefined {
  return (
    source.invariants.find((i) => i.name === name)?.description ??
    system.invariants.find((i) => i.name === name)?.description ??
    system.actionProperties?.find((i) => i.name === name)?.description ??
    system.terminalProperties?.find((i) => i.name === name)?.description ??
    system.progressProperties?.find((i) => i.name === name)?.description
  );
}

export function runTitle(run: PlannedRun): string {
  const m = run.mutations.length > 0 ? `, mutation ${run.mutations.join('+')}` : '';
  return `${run.scenario.id} (${run.design}${m})`;
}

/** The violation of a finished run re-executed to get its states, for rendering. */
export function walkViolation(source: ScenarioSource, f: FinishedRun): WalkedTrace {
  const v = f.result.violation!;
  const r = replay(f.system, v.trace, {
    checkDeadlock: f.options.checkDeadlock, fairness: f.options.fairness,
    ...(v.trace.loop !== undefined ? { property: v.invariant } : {}),
  });
  return walkTrace(f.system, v.trace, r.states, `Counterexample: ${runTitle(f.run)}, ${v.trace.steps.length} steps`, {
    step: v.trace.steps.length,
    kind: v.kind,
    invariant: v.invariant,
    message: v.message,
    description: invariantDescription(source, f.system, v.invariant),
  });
}

/** Options worth recording in a trace file: the ones that change what a replay sees. */
export function recordedOptions(o: CheckOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['strategy', 'checkDeadlock', 'symmetry', 'partialOrder', 'fairness', 'seed'] as const) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
