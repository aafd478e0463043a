import { check, type CheckOptions, type CheckResult, type TransitionSystem } from '../../explorer/index.js';
import type { Design } from '../../model/zsmalloc/designs.js';
import type { MutationId } from '../../model/zsmalloc/mutations/index.js';
import type { ProtocolOptions } from '../../model/zsmalloc/memdesc/options.js';
import { buildMachine, toTransitionSystem } from '../../model/zsmalloc/system.js';
import { propertiesFor } from '../../invariants/zsmalloc/index.js';
import type { Expectation, Scenario } from './types.js';

export interface SystemSpec {
  readonly scenario: Scenario;
  readonly design: Design;
  /** Defaults to the scenario's own mutation (if any). Pass [] for the unmutated design. */
  readonly mutations?: readonly MutationId[];
  readonly options?: Partial<ProtocolOptions>;
  /** Declare the partial-order footprints (see model/zsmalloc/system.ts SystemOptions). */
  readonly footprints?: boolean;
}

/** The transition system of a scenario under a design. Deterministic: the same spec gives
 *  the same system, so saved traces replay. */
export function buildSystem(spec: SystemSpec): TransitionSystem {
  const { scenario, design } = spec;
  if (!scenario.designs.includes(design)) {
    throw new Error(`scenario ${scenario.id} does not run under design ${design} (it runs under ${scenario.designs.join(', ')})`);
  }
  const machine = buildMachine({
    design,
    pool: scenario.shape,
    threads: scenario.threads,
    setup: scenario.setup,
    mutations: spec.mutations ?? (scenario.mutation ? [scenario.mutation] : []),
    protocol: { ...(scenario.options ?? {}), ...(spec.options ?? {}) },
    config: scenario.config,
  });
  return toTransitionSystem(machine, propertiesFor, { footprints: spec.footprints });
}

export interface RunOverrides {
  readonly mutations?: readonly MutationId[];
  readonly options?: Partial<ProtocolOptions>;
  readonly footprints?: boolean;
  readonly check?: CheckOptions;
}

export interface ScenarioRun {
  readonly result: CheckResult;
  readonly expected: Expectation;
  readonly met: boolean;
}

export function expectationMet(expected: Expectation, result: CheckResult): boolean {
  if ('holds' in expected) return result.verdict === 'holds';
  return result.verdict === 'violated' && result.violation?.invariant === expected.violates;
}

/** Checks a scenario under a design (BFS, shortest counterexample). With `mutations: []` on a
 *  mutation scenario the expectation is that the unmutated design holds. */
export function runScenario(scenario: Scenario, design: Design, overrides: RunOverrides = {}): ScenarioRun {
  const system = buildSystem({ scenario, design, mutations: overrides.mutations, options: overrides.options, footprints: overrides.footprints });
  const unmutated = scenario.mutation !== undefined && overrides.mutations !== undefined && !overrides.mutations.includes(scenario.mutation);
  const expected: Expectation = unmutated ? { holds: true } : scenario.expect[design] ?? { holds: true };
  const result = check(system, {
    strategy: 'bfs',
    maxStates: scenario.bounds.maxStates,
    maxDepth: scenario.bounds.maxDepth,
    ...(overrides.check ?? {}),
  });
  return { result, expected, met: expectationMet(expected, result) };
}
