import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { mutations } from '../../model/zsmalloc/mutations/index.js';
import { allScenarios } from '../../scenarios/zsmalloc/index.js';
import { capture } from './capture.js';

const scratch = mkdtempSync(join(tmpdir(), 'mutation-traces-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = (...argv: string[]) => capture(() => main(argv));

interface TraceDoc {
  steps: { thread: string; label: string; index: number; choice: number }[];
  violation: { step: number; invariant: string };
  [k: string]: unknown;
}

// One run per mutation: the scenario that re-creates the historical bug, under its design.
const mutationRuns = mutations.map((m) => {
  const scenario = allScenarios().find((s) => s.mutation === m.id);
  if (!scenario) throw new Error(`no scenario for mutation ${m.id}`);
  return [m.id, scenario.id] as const;
});

describe('every mutation: check --trace, then replay', () => {
  it('has a scenario for every mutation', () => {
    expect(mutationRuns.map(([id]) => id)).toEqual(mutations.map((m) => m.id));
  });

  it.each(mutationRuns)('%s (%s): the trace file replays to the same violation at the same step; an edited step diverges; a truncated file is one line, exit 2', async (id, scenarioId) => {
    const file = join(scratch, `${id}.json`);
    const c = await run('check', scenarioId, '--trace', file, '--no-color');
    expect(c.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text) as TraceDoc;
    expect(doc.violation.invariant).toBe(mutations.find((m) => m.id === id)!.invariant);

    const r = await run('replay', file, '--no-color');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`replayed: the same violation of ${doc.violation.invariant} at step ${doc.violation.step}`);

    // Edit the breaking step into the first step of the trace: that action is not what the
    // counterexample took there, so the replay must say where it leaves the recorded run.
    const edited = structuredClone(doc);
    const last = edited.steps.length - 1;
    edited.steps[last] = { ...edited.steps[0], index: edited.steps[last].index };
    const editedFile = join(scratch, `${id}-edited.json`);
    writeFileSync(editedFile, JSON.stringify(edited));
    const d = await run('replay', editedFile, '--no-color');
    expect(d.code).toBe(3);
    expect(d.out + d.err).toMatch(/diverges/);

    const truncated = join(scratch, `${id}-truncated.json`);
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    const t = await run('replay', truncated);
    expect(t.code).toBe(2);
    expect(t.out).toBe('');
    expect(t.err.trimEnd().split('\n')).toHaveLength(1);
    expect(t.err).toContain(truncated);
  });
});
