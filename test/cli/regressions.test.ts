import { describe, expect, it } from 'vitest';
import { check, replay } from '../../explorer/index.js';
import { registry } from '../../cli/registry.js';
import { loadRegressions } from '../../cli/regressions.js';
import type { ScenarioLike } from '../../cli/source.js';
import { resolveTrace, TRACE_FORMAT, type TraceFile } from '../../report/trace-file.js';

/** Every regression file under scenarios/regressions/ (the project's own, in the format users save). */
const regressions = loadRegressions();

describe('saved regressions (scenarios/regressions/*.json)', () => {
  it('there is at least one', () => {
    expect(regressions.length).toBeGreaterThan(0);
  });

  it.each(regressions.map((r) => [r.scenario.id, r] as const))('%s: the checker reaches the expected outcome and the saved trace replays to it', (_id, regression) => {
    const s = regression.scenario;
    expect(regression.file).toMatch(new RegExp(`${s.id}\\.json$`));
    for (const design of s.designs) {
      const expected = s.expect[design]!;
      const system = registry.buildSystem({ scenario: s as unknown as ScenarioLike, design, mutations: s.mutation ? [s.mutation] : [] });
      const r = check(system, registry.checkOptions!(s as unknown as ScenarioLike));
      if ('holds' in expected) {
        expect(r.verdict).toBe('holds');
        continue;
      }
      expect(r.verdict).toBe('violated');
      expect(r.violation!.invariant).toBe(expected.violates);
      if (regression.trace.design !== design) continue;
      const t = regression.trace;
      const asFile: TraceFile = { format: TRACE_FORMAT, scenario: s.id, design, mutations: t.mutations, options: {}, initial: t.initial, steps: t.steps, violation: { ...t.violation, kind: t.violation.kind as TraceFile['violation']['kind'] } };
      const resolved = resolveTrace(system, asFile);
      if (!('trace' in resolved)) throw new Error(`${s.id}: step ${resolved.unresolved.step + 1}: ${resolved.unresolved.reason}`);
      const rep = replay(system, resolved.trace);
      expect(rep.divergence).toBeUndefined();
      expect(rep.violation).toMatchObject({ invariant: t.violation.invariant, step: t.violation.step });
      // The shortest counterexample is never longer than the saved one.
      expect(r.violation!.trace.steps.length).toBeLessThanOrEqual(t.steps.length);
    }
  });
});
