import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../explorer/index.js';
import { main } from '../../cli/main.js';
import type { Regression } from '../../scenarios/regressions/types.js';
import { capture } from './capture.js';
import { toySource, toySystem, type ToyScenario } from './toy-source.js';

const scratch = mkdtempSync(join(tmpdir(), 'save-cmd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = (...argv: string[]) => capture(() => main(argv, toySource()));

describe('memdesc-mc save', () => {
  it('turns a trace file into a module whose scenario expects the traced violation and carries the trace', async () => {
    const trace = join(scratch, 't.json');
    expect((await run('check', 'wrongly-expected', '--trace', trace)).code).toBe(1);
    const r = await run('save', trace, '--name', 'lost-update', '--dir', scratch);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('lost-update under plain expects no-lost-update (5-step trace)');
    const file = join(scratch, 'lost-update.ts');
    expect(readFileSync(file, 'utf8')).toMatch(/^\/\/ Saved by `memdesc-mc save t\.json --name lost-update`/);
    // Only a type import: the module loads from anywhere.
    const { regression } = (await import(pathToFileURL(file).href)) as { regression: Regression };
    const s = regression.scenario as unknown as ToyScenario;
    expect(s).toMatchObject({ id: 'lost-update', designs: ['plain'], expect: { plain: { violates: 'no-lost-update' } } });
    expect(s.threads).toEqual(toySource().findScenario('wrongly-expected')!.threads);
    const saved = JSON.parse(readFileSync(trace, 'utf8'));
    expect(regression.trace.steps).toEqual(saved.steps);
    // The saved scenario, rebuilt independently, still violates what it expects.
    const c = check(toySystem(s, 'plain', []));
    expect(c.violation?.invariant).toBe('no-lost-update');
  });

  it('refuses bad names, existing modules, scenario ids and bad files with one line (exit 2)', async () => {
    const trace = join(scratch, 'u.json');
    await run('check', 'wrongly-expected', '--trace', trace);
    expect((await run('save', trace, '--name', 'Bad Name', '--dir', scratch)).err).toMatch(/--name 'Bad Name': use lower-case letters/);
    expect((await run('save', trace, '--name', 'racy-incs', '--dir', scratch)).err).toMatch(/already a scenario id/);
    expect((await run('save', trace, '--dir', scratch)).err).toMatch(/--name NAME is required/);
    expect((await run('save', trace, '--name', 'twice', '--dir', scratch)).code).toBe(0);
    const again = await run('save', trace, '--name', 'twice', '--dir', scratch);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/twice\.ts exists \(use --force to replace it\)/);
    expect((await run('save', trace, '--name', 'twice', '--dir', scratch, '--force')).code).toBe(0);
    const missing = await run('save', join(scratch, 'nope.json'), '--name', 'x', '--dir', scratch);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.json: cannot read the trace file/);
    expect(existsSync(join(scratch, 'x.ts'))).toBe(false);
  });
});
