/**
 * Which (scenario, design, mutations) runs a command line asks for, what each is expected to
 * give, and running them. Shared by check, compare and minimize.
 */
import { check, replay, type CheckOptions, type CheckResult, type TransitionSystem } from '../explorer/index.js';
import { walkTrace, type WalkedTrace } from '../report/walk.js';
import { EXIT_FAILED, EXIT_INCOMPLETE, EXIT_OK, InputError } from './errors.js';
import { didYouMean } from './suggest.js';
import { mutationDesigns, scenarioMutations, type DesignName, type Expectation, type ScenarioLike, type ScenarioSource } from './source.js';

/**
 * What a run is expected to give: the scenario's expectation, or (a mutation tried on a scenario
 * that is not its own) nothing in particular: whatever it finds is reported as a finding.
 */
export type RunExpectation = Expectation | { readonly findings: true };

export interface PlannedRun {
  readonly scenario: ScenarioLike;
  readonly design: DesignName;
  readonly mutations: readonly string[];
  readonly expected: RunExpectation;
}

export interface Selection {
  readonly scenarios: readonly string[];
  readonly design?: string;
  readonly mutation?: string;
  /** With `mutation`: apply it to every scenario of its designs, not only its own. */
  readonly allScenarios?: boolean;
}

export function requireDesign(source: ScenarioSource, design: string | undefined): DesignName | undefined {
  if (design === undefined) return undefined;
  if (!source.designs.includes(design)) throw new InputError(`unknown design '${design}' (${didYouMean(design, source.designs) || `designs: ${source.designs.join(', ')}`})`);
  return design;
}

export function requireScenario(source: ScenarioSource, id: string): ScenarioLike {
  const s = source.findScenario(id);
  if (!s) {
    const ids = source.scenarios().map((x) => x.id);
    throw new InputError(`unknown scenario '${id}' (${didYouMean(id, ids) || `${ids.length} scenarios: memdesc-mc check --list`})`);
  }
  return s;
}

export function requireMutation(source: ScenarioSource, id: string | undefined) {
  if (id === undefined) return undefined;
  const m = source.mutations.find((x) => x.id === id);
  if (!m) {
    const ids = source.mutations.map((x) => x.id);
    throw new InputError(`unknown mutation '${id}' (${didYouMean(id, ids) || `mutations: ${ids.join(', ')}`}; memdesc-mc mutations lists them)`);
  }
  return m;
}

/**
 * Every design a scenario lists (or just --design), each with the scenario's expectation.
 *
 * With --mutation X: X's own scenarios (the ones that re-create its bug), as they are. With
 * --all-scenarios (or named scenarios that are not X's own), X alone (never stacked on a
 * scenario's own mutation) on each scenario of X's designs; what such a run finds is a finding,
 * not a failed expectation: a bug may break other invariants in other scenarios.
 */
export function planRuns(source: ScenarioSource, sel: Selection): PlannedRun[] {
  const design = requireDesign(source, sel.design);
  const mutation = requireMutation(source, sel.mutation);
  if (sel.allScenarios && !mutation) throw new InputError('--all-scenarios needs --mutation M (the mutation to apply to every scenario)');
  if (sel.allScenarios && sel.scenarios.length > 0) throw new InputError('--all-scenarios runs every scenario: name scenarios or give --all-scenarios, not both');
  const own = (s: ScenarioLike) => mutation !== undefined && scenarioMutations(s).includes(mutation.id);
  const named = sel.scenarios.map((id) => requireScenario(source, id));
  const scenarios = named.length > 0 ? named
    : mutation && !sel.allScenarios ? source.scenarios().filter(own)
    : source.scenarios();
  const runs: PlannedRun[] = [];
  for (const scenario of scenarios) {
    for (const d of scenario.designs) {
      if (design !== undefined && d !== design) continue;
      if (mutation && !own(scenario)) {
        const md = mutationDesigns(mutation);
        if (md && !md.includes(d)) continue;
        runs.push({ scenario, design: d, mutations: [mutation.id], expected: { findings: true } });
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

export function expectationText(e: RunExpectation): string {
  if ('findings' in e) return 'findings';
  return 'holds' in e ? 'holds' : `violates ${e.violates}`;
}

/** A findings run meets its expectation whatever it finds: only a bound can leave it short. */
export function expectationMet(e: RunExpectation, r: CheckResult): boolean {
  if ('findings' in e) return r.verdict !== 'incomplete';
  if ('holds' in e) return r.verdict === 'holds';
  return r.verdict === 'violated' && r.violation!.invariant === e.violates;
}

/**
 * The exit code of a set of runs: 1 when a run broke an expectation with an answer (an
 * unexpected violation, an expected one that did not happen), else 4 when a bound stopped a run
 * before an answer (incomplete), else 0.
 */
export function runsExitCode(runs: readonly FinishedRun[]): number {
  if (runs.some((f) => !f.met && f.result.verdict !== 'incomplete')) return EXIT_FAILED;
  if (runs.some((f) => f.result.verdict === 'incomplete')) return EXIT_INCOMPLETE;
  return EXIT_OK;
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

/** Per step label, the applied mutations whose code changed it (what the trace tags). */
export function mutatedLabels(source: ScenarioSource, applied: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const id of applied) {
    for (const label of source.mutations.find((m) => m.id === id)?.steps ?? []) out.set(label, [...(out.get(label) ?? []), id]);
  }
  return out;
}

/** How a trace is shown: decoded values (default) or the model's raw numbers. */
export interface ViewOptions {
  readonly raw?: boolean;
}

/** The violation of a finished run re-executed to get its states, for rendering. */
export function walkViolation(source: ScenarioSource, f: FinishedRun, view: ViewOptions = {}): WalkedTrace {
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
  }, { raw: view.raw ?? false, mutatedLabels: mutatedLabels(source, f.run.mutations), mutations: f.run.mutations });
}

/** Options worth recording in a trace file: the ones that change what a replay sees. */
export function recordedOptions(o: CheckOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['strategy', 'checkDeadlock', 'symmetry', 'partialOrder', 'fairness', 'seed'] as const) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
