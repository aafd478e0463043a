import { compactJson } from '../report/compact-json.js';
import type { TraceFile } from '../report/trace-file.js';
import type { ScenarioLike } from './source.js';

export interface RegressionInput {
  readonly name: string;
  /** The trace file's name, for the module's comment. */
  readonly from: string;
  readonly scenario: ScenarioLike;
  readonly trace: TraceFile;
}

/** The source text of scenarios/regressions/NAME.ts (see scenarios/regressions/types.ts). */
export function renderRegressionModule(i: RegressionInput): string {
  const t = i.trace;
  const { id: _id, expect: _expect, designs: _designs, title, mutation: _m, mutations: _ms, ...rest } = i.scenario;
  const scenario = {
    id: i.name,
    title: `Regression ${i.name}: ${title}`,
    ...rest,
    description: `Saved from ${i.from}: ${t.scenario} under ${t.design}${t.mutations.length ? ` with mutation ${t.mutations[0]}` : ''} violates ${t.violation.invariant} at step ${t.violation.step} (${t.violation.message}).`,
    designs: [t.design],
    ...(t.mutations.length ? { mutation: t.mutations[0] } : {}),
    expect: { [t.design]: { violates: t.violation.invariant } },
  };
  const trace = {
    design: t.design,
    mutations: t.mutations,
    initial: t.initial,
    steps: t.steps,
    violation: { kind: t.violation.kind, invariant: t.violation.invariant, step: t.violation.step, message: t.violation.message },
  };
  return `// Saved by \`memdesc-mc save ${i.from} --name ${i.name}\`. The regression test checks that the
// checker still finds ${t.violation.invariant} here and that the trace below still replays to it.
// Once the bug is fixed, change \`expect\` to { holds: true } and delete \`trace\`.
import type { Regression } from './types.js';

export const regression: Regression = {
  scenario: ${compactJson(scenario, 120, '  ')},
  trace: ${compactJson(trace, 120, '  ')},
};
`;
}
