import { describe, expect, it } from 'vitest';
import { check, replay } from '../../explorer/index.js';
import { buildSystem, findScenario, runScenario, type Scenario } from '../../scenarios/zsmalloc/index.js';
import { A, D, compact, free } from '../../scenarios/zsmalloc/ops.js';
import { Machine, type StepDef } from '../../model/zsmalloc/machine.js';
import { toTransitionSystem } from '../../model/zsmalloc/system.js';
import { allSteps, entryStep } from '../../model/zsmalloc/steps/index.js';
import { resolveProtocol } from '../../model/zsmalloc/memdesc/options.js';
import { resolveConfig } from '../../model/zsmalloc/config.js';
import { progressCatalogue, propertiesFor } from '../../invariants/zsmalloc/index.js';
import { walkTrace } from '../../report/walk.js';
import { renderTraceText } from '../../report/trace-text.js';
import { referenceExplore } from '../explorer/reference.js';
import { naiveStuck } from '../explorer/naive-progress.js';

function pinLostSystem(steps: readonly StepDef[], threads?: Scenario['threads']) {
  const sc = findScenario('bug-a1-pin-lost')!;
  const machine = new Machine({
    design: 'legacy', pool: sc.shape, threads: threads ?? sc.threads, setup: sc.setup, mutations: new Set(),
    protocol: resolveProtocol(sc.options ?? {}), config: resolveConfig(sc.config), steps, entry: entryStep,
  });
  return toTransitionSystem(machine, propertiesFor);
}

describe('progress of the legacy compactor (bug-a1-pin-lost without its mutation)', () => {
  it('keeping class->lock across source zspages (N1) spins when zs_free pins the source\'s object, dropping it (E2) never does: the progress pass agrees with a naive search from every state', () => {
    // zs_can_compact is re-checked every round and stays true (a pinned object is skipped, not
    // freed), so only E2's unlock after each source zspage lets zs_free take class->lock. The
    // source is zspage[0] (A's); when zs_free pins D first, D sits in the destination and
    // nothing is skipped.
    const sc = findScenario('bug-n1-compactor-spins')!;
    for (const [threads, spins] of [[sc.threads, true], [[{ name: 'compact', ops: [compact()] }, { name: 'free', ops: [free(D), free(A)] }], false]] as const) {
      for (const mutations of [['N1'] as const, [] as const]) {
        const sys = buildSystem({ scenario: { ...sc, threads }, design: 'legacy', mutations });
        const stuck = naiveStuck(sys).size;
        expect(stuck > 0, `${threads[1].ops.map((o) => JSON.stringify(o)).join()} ${mutations.join()}`).toBe(spins && mutations.length > 0);
        const r = check(sys, { partialOrder: false, symmetry: false });
        expect(r.verdict).toBe(stuck > 0 ? 'violated' : 'holds');
        if (stuck > 0) expect(r.violation!.kind).toBe('non-progress');
        expect(r.stats.distinctStates).toBe(referenceExplore(sys, false).states.size);
      }
    }
  });

  it('E2 __zs_compact drops class->lock after every source zspage: the scenario holds with the progress check on', () => {
    const run = runScenario(findScenario('bug-a1-pin-lost')!, 'legacy', { mutations: [] });
    expect(run.result.verdict).toBe('holds');
    expect(run.result.stats.progress!.states).toBe(run.result.stats.distinctStates);
    expect(naiveStuck(pinLostSystem(allSteps)).size).toBe(0);
  });

  it('zs_free-returns can fail: with only weak fairness the compactor may retake class->lock each time it drops it, and zs_free waits for ever', () => {
    const run = runScenario(findScenario('bug-a1-pin-lost')!, 'legacy', { mutations: [], check: { fairness: 'weak' } });
    expect(run.result.verdict).toBe('violated');
    const v = run.result.violation!;
    expect(v.kind).toBe('liveness');
    expect(v.invariant).toBe('zs_free-returns');
    const sys = pinLostSystem(allSteps);
    const loop = v.trace.steps.slice(v.trace.loop).map((s) => `${sys.threads[s.action.thread]} ${sys.labels[s.action.label]}`);
    expect(loop).toContain('compact __zs_compact:unlock_class_resched');
    expect(loop).toContain('compact __zs_compact:lock_class');
    expect(loop.some((l) => l.startsWith('free '))).toBe(false);
    expect(replay(sys, v.trace, { property: v.invariant, fairness: 'weak' }).violation?.invariant).toBe('zs_free-returns');
    // The queued class->lock (strong fairness, the model's default) lets zs_free in.
    expect(replay(sys, v.trace, { property: v.invariant }).divergence?.reason).toMatch(/unfair to free/);
  });

  it('empty-zspage-freed can fail: A3 (zs_page_migrate re-lists an empty zspage without free_work) leaves it for ever, found as liveness without the end-state rule', () => {
    const sc = findScenario('bug-a3-empty-left')!;
    const withEndRule = buildSystem({ scenario: sc, design: 'legacy' });
    expect(check(withEndRule).violation?.invariant).toBe('no-empty-zspage-left');
    const sys = { ...withEndRule, terminalProperties: [] };
    const r = check(sys);
    expect(r.verdict).toBe('violated');
    const v = r.violation!;
    expect(v.kind).toBe('liveness');
    expect(v.invariant).toBe('empty-zspage-freed');
    expect(replay(sys, v.trace, { property: v.invariant }).violation?.invariant).toBe('empty-zspage-freed');
    expect(check({ ...buildSystem({ scenario: sc, design: 'legacy', mutations: [] }), terminalProperties: [] }).verdict).toBe('holds');
  });

  it('migration-returns can fail: with only weak fairness a migration waiting for class->lock starves behind the looping compactor', () => {
    const sc = findScenario('bug-a1-pin-lost')!;
    const contended = { ...sc, id: 'compact-free-migrate', threads: [...sc.threads, { name: 'core', ops: [{ kind: 'migrate' as const }] }] };
    const only = (fairness: 'weak' | 'strong') => {
      const sys = buildSystem({ scenario: contended, design: 'legacy', mutations: [] });
      const live = { ...sys, progressProperties: sys.progressProperties!.filter((p) => p.name === 'migration-returns') };
      return { sys: live, r: check(live, { fairness }) };
    };
    const { sys, r } = only('weak');
    expect(r.verdict).toBe('violated');
    expect(r.violation!.invariant).toBe('migration-returns');
    const loopThreads = new Set(r.violation!.trace.steps.slice(r.violation!.trace.loop).map((st) => sys.threads[st.action.thread]));
    expect(loopThreads.has('core')).toBe(false);
    expect(loopThreads.has('compact')).toBe(true);
    expect(replay(sys, r.violation!.trace, { property: 'migration-returns', fairness: 'weak' }).violation?.kind).toBe('liveness');
    expect(only('strong').r.verdict).toBe('holds');
  }, 60_000);

  it('N1 (class->lock kept across source zspages) spins: a non-progress lasso, the shortest way in and one cycle, lying in the stuck region a naive search from every state finds', () => {
    const sc = findScenario('bug-n1-compactor-spins')!;
    const sys = buildSystem({ scenario: sc, design: 'legacy' });
    const r = check(sys, { partialOrder: false, symmetry: false });
    expect(r.verdict).toBe('violated');
    const v = r.violation!;
    expect(v.kind).toBe('non-progress');
    expect(v.invariant).toBe('non-progress');
    expect(v.message).toMatch(/compact, free can never complete/);
    const loop = v.trace.loop!;
    expect(loop).toBeGreaterThan(0);
    expect(loop).toBeLessThan(v.trace.steps.length);
    const rep = replay(sys, v.trace);
    expect(rep.divergence).toBeUndefined();
    expect(rep.violation).toMatchObject({ kind: 'non-progress', step: v.trace.steps.length });
    // The cycle closes on the state where it started; the way in reaches the stuck region (the
    // states from which no run finishes, by a naive search from each) by a shortest path, and
    // the lasso never leaves it after that.
    const key = (x: Int32Array) => JSON.stringify(Array.from(x));
    expect(key(rep.states[rep.states.length - 1])).toBe(key(rep.states[loop]));
    const stuck = naiveStuck(sys);
    const depth = referenceExplore(sys, false).states;
    const entry = rep.states.findIndex((st) => stuck.has(key(st)));
    expect(entry).toBeGreaterThan(0);
    expect(entry).toBeLessThanOrEqual(loop);
    for (const st of rep.states.slice(entry)) expect(stuck.has(key(st))).toBe(true);
    expect(entry).toBe(Math.min(...[...stuck].map((k) => depth.get(k)!)));
    // The numbers the model's compactor had before it followed E2 (15 of 206 states stuck).
    expect(depth.size).toBe(206);
    expect(stuck.size).toBe(15);
    const cycle = v.trace.steps.slice(loop).map((st) => `${sys.threads[st.action.thread]} ${sys.labels[st.action.label]}`);
    expect(cycle).toContain('compact migrate_zspage:find_alloced_obj');
    expect(cycle).not.toContain('compact __zs_compact:unlock_class_resched');
    expect(cycle.some((l) => l.startsWith('free '))).toBe(false);
    // Without N1 (E2: drop class->lock, re-check zs_can_compact) nothing is stuck.
    expect(naiveStuck(buildSystem({ scenario: sc, design: 'legacy', mutations: [] })).size).toBe(0);
  });

  it('every progress property of the catalogue is shown failing here', () => {
    expect(progressCatalogue.map((d) => d.name)).toEqual(['zs_free-returns', 'migration-returns', 'empty-zspage-freed']);
  });
});
