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

/**
 * The legacy compactor as the model had it before following E2's __zs_compact: after a source
 * zspage it kept dst and class->lock (the 6.2+ loop) unless dst was full. A source whose object
 * zs_free has pinned is then skipped, put back and isolated again for ever, while zs_free waits
 * for class->lock.
 */
const keepsLockAcrossSources: StepDef = {
  label: '__zs_compact:check_dst',
  run(m, s, t) {
    const f = m.f;
    m.set(s, f.tZ, t, -1);
    m.set(s, f.tI, t, -1);
    const c = m.get(s, f.tC, t);
    const dst = m.get(s, f.tW, t);
    if (s[f.zInuse[dst]] === m.objs(c)) {
      m.putbackZspage(s, c, dst);
      m.set(s, f.tW, t, -1);
      m.goto(s, t, '__zs_compact:unlock_class_resched');
    } else {
      m.goto(s, t, '__zs_compact:isolate_zspages');
    }
  },
};

function pinLostSystem(steps: readonly StepDef[], threads?: Scenario['threads']) {
  const sc = findScenario('bug-a1-pin-lost')!;
  const machine = new Machine({
    design: 'legacy', pool: sc.shape, threads: threads ?? sc.threads, setup: sc.setup, mutations: new Set(),
    protocol: resolveProtocol(sc.options ?? {}), config: resolveConfig(sc.config), steps, entry: entryStep,
  });
  return toTransitionSystem(machine, propertiesFor);
}

describe('progress of the legacy compactor (bug-a1-pin-lost without its mutation)', () => {
  it('with the source-first E2 loop and zs_can_compact checked every round, even keeping class->lock across sources cannot spin: no state is stuck (naive search from every state), and the progress pass agrees', () => {
    // Before the model followed E2's source-first isolation, keeping the lock made the compactor
    // spin on a source whose object zs_free had pinned (15 of 206 states stuck). Now each round
    // re-checks zs_can_compact, which the pinned object makes false, so the loop ends.
    for (const threads of [undefined, [{ name: 'compact', ops: [compact()] }, { name: 'free', ops: [free(D), free(A)] }]] as const) {
      const sys = pinLostSystem(allSteps.map((st) => (st.label === keepsLockAcrossSources.label ? keepsLockAcrossSources : st)), threads);
      const all = referenceExplore(sys, false).states.size;
      expect(naiveStuck(sys).size).toBe(0);
      const r = check(sys, { partialOrder: false, symmetry: false });
      expect(r.verdict).toBe('holds');
      expect(r.stats.distinctStates).toBe(all);
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

  it('every progress property of the catalogue is shown failing here', () => {
    expect(progressCatalogue.map((d) => d.name)).toEqual(['zs_free-returns', 'migration-returns', 'empty-zspage-freed']);
  });
});
