/**
 * The real ScenarioSource: the scenario registry, the mutation list and the invariant catalogue
 * of the zsmalloc model, followed by the other allocator systems (cli/systems/).
 */
import { designs, type Design } from '../model/zsmalloc/designs.js';
import { mutations, type MutationId } from '../model/zsmalloc/mutations/index.js';
import { invariantCatalogue } from '../invariants/zsmalloc/index.js';
import { allScenarios, buildSystem, findScenario, type Scenario } from '../scenarios/zsmalloc/index.js';
import type { Op } from '../model/zsmalloc/program.js';
import { loadRegressions } from './regressions.js';
import type { ProtocolSwitch, ScenarioLike, ScenarioSource } from './source.js';
import { PROTOCOL_SWITCHES, readScenarioFile, ScenarioFileError, scenarioToJson } from '../scenarios/file/scenario-file.js';
import { readRegressionDir, serializeRegression } from '../scenarios/file/regression-file.js';
import { BUILTIN_LAYOUTS, resolveZspageLayout, ZspageLayoutError } from '../model/zsmalloc/memdesc/zspage-layout.js';
import type { TraceFile } from '../report/trace-file.js';
import { InputError } from './errors.js';
import { combineSources } from './systems/combine.js';
import { registrySystemRef } from './worker-systems.js';
import { zbudSource } from './systems/zbud.js';
import { buddySource } from './systems/buddy.js';

/** The allocator systems after zsmalloc, each with its own designs, scenarios and invariants. */
const otherSystems: readonly ScenarioSource[] = [zbudSource, buddySource];

/** The CLI reads scenarios through ScenarioLike; the registry's objects are Scenarios. */
const asScenario = (s: ScenarioLike) => s as unknown as Scenario;

/** The registry's scenarios followed by `extra` (the saved regressions), then the other systems. */
export function registryWith(extra: readonly Scenario[]): ScenarioSource {
  const all = [...allScenarios(), ...extra] as unknown as readonly ScenarioLike[];
  return withSystemRef(combineSources([{
    ...zsmallocSource,
    scenarios: () => all,
    findScenario: (id) => all.find((s) => s.id === id),
  }, ...otherSystems]));
}

/** Worker threads rebuild a run's system from the registry by scenario id; a scenario that is
 *  not the registry's own object (a user's file, or one with command-line protocol settings)
 *  travels as data. */
function withSystemRef(source: ScenarioSource): ScenarioSource {
  return { ...source, systemRef: (spec) => registrySystemRef(spec, source.findScenario(spec.scenario.id) === spec.scenario) };
}

const zsmallocSource: ScenarioSource = {
  designs,
  scenarios: () => allScenarios() as unknown as readonly ScenarioLike[],
  findScenario: (id) => findScenario(id) as unknown as ScenarioLike | undefined,
  buildSystem: (spec) => buildSystem({
    scenario: asScenario(spec.scenario),
    design: spec.design as Design,
    mutations: (spec.mutations ?? []) as MutationId[],
  }),
  // A scenario's bounds make a run `incomplete` rather than endless.
  checkOptions: (s) => {
    const b = asScenario(s).bounds;
    return b ? { maxStates: b.maxStates, ...(b.maxDepth !== undefined ? { maxDepth: b.maxDepth } : {}) } : {};
  },
  mutations,
  invariants: invariantCatalogue,
  padScenario: (s, n) => padScenario(asScenario(s), n) as unknown as ScenarioLike,
  readScenarioFile: (file) => userInput(() => readScenarioFile(file)) as unknown as ScenarioLike,
  readRegressionDir: (dir) => userInput(() => readRegressionDir(dir)).map((r) => r.scenario as unknown as ScenarioLike),
  scenarioToJson: (s) => scenarioToJson(asScenario(s)),
  regressionText: (s, t, name, from) => serializeRegression(regressionOf(asScenario(s), t, name, from)),
  protocolSwitches: PROTOCOL_SWITCHES.map((sw): ProtocolSwitch => ({ name: sw.name, parse: (v) => parseSwitch(sw.name, sw.values, v) })),
  protocolApplies: (s) => s.designs.includes('memdesc'),
};

/** A user file's error is bad input: one line, exit 2. */
function userInput<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ScenarioFileError || e instanceof ZspageLayoutError) throw new InputError(e.message);
    throw e;
  }
}

function parseSwitch(name: string, values: string, v: string): unknown {
  if (values === 'true|false') {
    if (v === 'true' || v === 'false') return v === 'true';
  } else if (values === 'page|folio') {
    if (v === 'page' || v === 'folio') return v;
  } else {
    // zspageLayout: a shipped layout, or a header the user wrote (read now, so a bad one fails
    // before any exploration, and traces carry the resolved table).
    return userInput(() => ((BUILTIN_LAYOUTS as readonly string[]).includes(v) ? v : resolveZspageLayout(v)));
  }
  throw new InputError(`--protocol ${name}=${v}: expected ${values}`);
}

/** A trace's scenario as a regression: expecting what the trace showed, under its design. */
function regressionOf(s: Scenario, t: TraceFile, name: string, from: string) {
  const scenario: Scenario = {
    ...s,
    id: name,
    title: `Regression ${name}: ${s.title}`,
    description: `Saved from ${from}: ${t.scenario} under ${t.design}${t.mutations.length ? ` with mutation ${t.mutations[0]}` : ''} violates ${t.violation.invariant} at step ${t.violation.step} (${t.violation.message}).`,
    designs: [t.design as Design],
    ...(t.mutations.length ? { mutation: t.mutations[0] as MutationId } : { mutation: undefined }),
    expect: { [t.design]: { violates: t.violation.invariant } },
  };
  const trace = {
    design: t.design as Design,
    mutations: t.mutations as MutationId[],
    initial: t.initial,
    steps: t.steps,
    violation: { kind: t.violation.kind, invariant: t.violation.invariant, step: t.violation.step, message: t.violation.message },
  };
  return { scenario, trace };
}

export const registry: ScenarioSource = withSystemRef(combineSources([zsmallocSource, ...otherSystems]));

/**
 * Extra readers that cannot take part in the scenario's bug: they read an object of their own
 * in a size class of its own (a huge class: one object per page, so compaction never touches
 * it), allocated at setup on a page of its own. They only add interleavings.
 */
export function padScenario(s: Scenario, n: number): Scenario {
  if (n === 0) return s;
  const handle = s.shape.handles;
  const cls = s.shape.classes.length;
  const extra: Op[] = [{ kind: 'read', handle }];
  return {
    ...s,
    shape: {
      ...s.shape,
      classes: [...s.shape.classes, { size: s.shape.pageUnits, pagesPerZspage: 1 }],
      pageFrames: s.shape.pageFrames + 1,
      zspageSlots: s.shape.zspageSlots + 1,
      handles: s.shape.handles + 1,
    },
    setup: [...s.setup, { kind: 'malloc', handle, cls, payload: 1 }],
    threads: [...s.threads, ...Array.from({ length: n }, (_, i) => ({ name: `extra${i + 1}`, ops: extra }))],
  };
}

/** The registry with every saved regression (what the CLI runs). */
export async function loadRegistry(): Promise<ScenarioSource> {
  return registryWith(loadRegressions().map((r) => r.scenario));
}
