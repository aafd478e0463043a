import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../explorer/index.js';
import { main } from '../../cli/main.js';
import { minimizeScenario, scenarioSize } from '../../cli/minimize.js';
import { registry } from '../../cli/registry.js';
import { allScenarios } from '../../scenarios/zsmalloc/index.js';
import type { ScenarioLike } from '../../cli/source.js';
import { capture } from './capture.js';
import { toySource } from './toy-source.js';

const scratch = mkdtempSync(join(tmpdir(), 'minimize-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('minimize', () => {
  it('on the toy source: the lock-skipping mutation needs only the two incrementing threads', () => {
    const source = toySource();
    const s = source.findScenario('racy-mutation')!;
    const out = minimizeScenario(source, { scenario: s, design: 'plain', mutations: ['RACY'], options: {} });
    expect(out.invariant).toBe('no-lost-update');
    expect(out.minimized.threads).toEqual([{ name: 'alpha', ops: ['inc'] }, { name: 'beta', ops: ['inc'] }]);
  });

  const mutationRuns = allScenarios().flatMap((s) => (s.mutation ? s.designs.filter((d) => s.expect[d]).map((d) => [s.id, d] as const) : []));

  it.each(mutationRuns)('%s (%s) padded with two unrelated threads minimizes to a scenario without them that breaks the same invariant', (id, design) => {
    const original = registry.findScenario(id)!;
    const expected = (original.expect[design] as { violates: string }).violates;
    const padded = registry.padScenario!(original, 2);
    expect(padded.threads.map((t) => t.name).slice(-2)).toEqual(['extra1', 'extra2']);
    const mutations = [original.mutation!];
    const options = registry.checkOptions!(original);
    const out = minimizeScenario(registry, { scenario: padded, design, mutations, options });
    expect(out.invariant).toBe(expected);
    const names = out.minimized.threads.map((t) => t.name);
    expect(names.some((n) => n.startsWith('extra'))).toBe(false);
    expect(out.minimized.threads.length).toBeLessThanOrEqual(original.threads.length);
    expect(scenarioSize(out.minimized)).toBeLessThanOrEqual(scenarioSize(original));
    // Independent re-check of the result.
    const r = check(registry.buildSystem({ scenario: out.minimized as ScenarioLike, design, mutations }), options);
    expect(r.verdict).toBe('violated');
    expect(r.violation!.invariant).toBe(expected);
  });

  it('the CLI writes a trace file carrying the minimized scenario, which replays to the same violation', async () => {
    const file = join(scratch, 'm2.json');
    const m = await capture(() => main(['minimize', '--scenario', 'bug-m2-descriptor-freed', '--design', 'memdesc', '--extra-threads', '2', '--trace', file, '--no-color']));
    expect(m.code).toBe(1);
    expect(m.out).toMatch(/minimized in \d+ checks: 4 → 2 threads/);
    expect(m.out).not.toContain('extra1');
    const r = await capture(() => main(['replay', file, '--no-color']));
    expect(r.code).toBe(1);
    expect(r.out).toContain('replayed: the same violation of no-zspage-use-after-free');
  });

  it('bad input: missing options, unknown scenario, a scenario that holds', async () => {
    const run = (...a: string[]) => capture(() => main(['minimize', ...a], toySource()));
    expect((await run('--design', 'plain')).err).toMatch(/^memdesc-mc minimize: expected one scenario, got 0/);
    expect((await run('--scenario', 'x', '--design', 'plain')).err).toMatch(/unknown scenario 'x'/);
    const holds = await run('--scenario', 'locked-incs', '--design', 'plain');
    expect(holds.code).toBe(2);
    expect(holds.err).toMatch(/does not violate any invariant under plain: nothing to minimize/);
    expect((await run('--scenario', 'racy-incs', '--design', 'plain', '--extra-threads', 'two')).err).toMatch(/--extra-threads must be a non-negative integer/);
    expect((await run('racy-mutation', '--trace', join(scratch, 'missing-dir', 't.json'))).err).toMatch(/missing-dir does not exist/);
    // A scenario with several designs needs --design; one with a single design does not.
    const several = await run('locked-incs');
    expect(several.code).toBe(2);
    expect(several.err).toMatch(/runs under plain, strict: choose one with --design/);
  });

  it('takes the scenario as a positional argument, --design optional for a one-design scenario, figures with units', async () => {
    const m = await capture(() => main(['minimize', 'racy-mutation', '--no-color'], toySource()));
    expect(m.code).toBe(1);
    expect(m.out).toMatch(/^racy-mutation \(plain, mutation RACY\) violates no-lost-update$/m);
    expect(m.out).toMatch(/minimized in \d+ checks: 4 → 2 threads, \d+ → \d+ operations$/m);
    expect(m.out).not.toMatch(/size \d/);
  });
});
