/**
 * What the CLI needs from the model side, as one interface: the scenario registry, the mutation
 * list and the invariant catalogue. Commands take a ScenarioSource instead of importing the
 * registry so their tests can run them on small fixture systems with known answers.
 */
import type { CheckOptions, TransitionSystem } from '../explorer/index.js';
import type { TraceFile } from '../report/trace-file.js';

export type DesignName = string;

/** What a scenario expects under one design. */
export type Expectation = { readonly holds: true } | { readonly violates: string };

export interface ThreadLike {
  readonly name: string;
  readonly ops: readonly unknown[];
}

/** The part of a scenario the CLI reads; the registry's scenarios have more. */
export interface ScenarioLike {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly designs: readonly DesignName[];
  readonly threads: readonly ThreadLike[];
  readonly expect: Readonly<Partial<Record<DesignName, Expectation>>>;
  readonly mutation?: string;
  readonly mutations?: readonly string[];
  readonly options?: unknown;
  readonly [more: string]: unknown;
}

export interface MutationInfo {
  readonly id: string;
  readonly title: string;
  readonly invariant: string;
  readonly designs?: readonly DesignName[];
  readonly design?: DesignName;
  readonly doc?: string;
  /** Where the fix is: the kernel commit (id, subject, release) or the rule it breaks. */
  readonly bug?: string;
  readonly commit?: string;
  /** What the bug was, in one sentence. */
  readonly summary?: string;
  /** Step labels whose code the mutation changes. */
  readonly steps?: readonly string[];
}

export interface InvariantInfo {
  readonly name: string;
  readonly description: string;
  readonly kernelRule?: string;
  readonly designs?: readonly DesignName[];
}

export interface BuildSpec {
  readonly scenario: ScenarioLike;
  readonly design: DesignName;
  readonly mutations?: readonly string[];
}

export interface ScenarioSource {
  readonly designs: readonly DesignName[];
  scenarios(): readonly ScenarioLike[];
  findScenario(id: string): ScenarioLike | undefined;
  buildSystem(spec: BuildSpec): TransitionSystem;
  /** How a worker thread builds the same system (`check --workers`); without it, runs stay
   *  in the main thread. */
  systemRef?(spec: BuildSpec): import('../explorer/index.js').SystemRef;
  /** Check options a scenario asks for (symmetry, bounds), merged under the command line's. */
  checkOptions?(scenario: ScenarioLike): CheckOptions;
  readonly mutations: readonly MutationInfo[];
  readonly invariants: readonly InvariantInfo[];
  /** The scenario with `n` extra threads that have nothing to do with its bug (what
   *  `minimize --extra-threads` starts from, to show that minimization removes them). */
  padScenario?(scenario: ScenarioLike, n: number): ScenarioLike;
  /** A user's scenario file (`check --scenario-file`); a bad file throws InputError. */
  readScenarioFile?(file: string): ScenarioLike;
  /** The scenarios of every saved regression in a folder (`check --regressions`). */
  readRegressionDir?(dir: string): ScenarioLike[];
  /** The scenario in the scenario file format (what `minimize` prints and `save` writes). */
  scenarioToJson?(scenario: ScenarioLike): unknown;
  /** A regression file's text: the scenario expecting the trace's violation, and the trace. */
  regressionText?(scenario: ScenarioLike, trace: TraceFile, name: string, from: string): string;
  /** Switches of the model's protocol that `--protocol NAME=VALUE` may set. */
  readonly protocolSwitches?: readonly ProtocolSwitch[];
  /** Whether protocol switches change this scenario (it runs under a design that has them). */
  protocolApplies?(scenario: ScenarioLike): boolean;
}

export interface ProtocolSwitch {
  readonly name: string;
  /** The value a command-line string means; throws InputError when it means none. */
  parse(value: string): unknown;
}

/** The mutations a scenario applies by itself (mutation scenarios re-create a historical bug). */
export function scenarioMutations(s: ScenarioLike): readonly string[] {
  if (s.mutations) return s.mutations;
  return s.mutation !== undefined ? [s.mutation] : [];
}

export function mutationDesigns(m: MutationInfo): readonly DesignName[] | undefined {
  if (m.designs) return m.designs;
  return m.design !== undefined ? [m.design] : undefined;
}
