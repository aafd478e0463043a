import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, replay } from '../../explorer/index.js';
import { registry } from '../../cli/registry.js';
import type { ScenarioLike } from '../../cli/source.js';
import { resolveTrace, TRACE_FORMAT, type TraceFile } from '../../report/trace-file.js';
import type { Regression } from '../../scenarios/regressions/types.js';

/** Every module `memdesc-mc save` wrote under scenarios/regressions/. */
const dir = fileURLToPath(new URL('../../scenarios/regressions/', import.meta.url));
const modules = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'types.ts').sort();

describe('saved regressions (scenarios/regressions/)', () => {
  it('there is at least one', () => {
    expect(modules.length).toBeGreaterThan(0);
  });

  it.each(modules)('%s: the checker reaches the expected outcome and the saved trace replays to it', async (file) => {
    const { regression } = (await import(pathToFileURL(join(dir, file)).href)) as { regression: Regression };
    const s = regression.scenario;
    expect(`${s.id}.ts`).toBe(file);
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
      if (!('trace' in resolved)) throw new Error(`${file}: step ${resolved.unresolved.step + 1}: ${resolved.unresolved.reason}`);
      const rep = replay(system, resolved.trace);
      expect(rep.divergence).toBeUndefined();
      expect(rep.violation).toMatchObject({ invariant: t.violation.invariant, step: t.violation.step });
      // The shortest counterexample is never longer than the saved one.
      expect(r.violation!.trace.steps.length).toBeLessThanOrEqual(t.steps.length);
    }
  });
});
