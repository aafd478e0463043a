/**
 * `memdesc-mc save` writes a regression file into a folder the user chooses, and
 * `check --regressions DIR` runs it, with no rebuild: the saved scenario, explored again from
 * the file, must reach the violation the trace showed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { readRegressionFile } from '../../scenarios/file/regression-file.js';
import { capture } from './capture.js';

const scratch = mkdtempSync(join(tmpdir(), 'save-cmd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = (...argv: string[]) => capture(() => main(argv));

describe('memdesc-mc save', () => {
  const trace = join(scratch, 't.json');
  const dir = join(scratch, 'regs');

  it('writes DIR/NAME.json expecting the traced violation, carrying the trace; check --regressions runs it', async () => {
    expect((await run('check', 'bug-m2-descriptor-freed', '--trace', trace)).code).toBe(0);
    const r = await run('save', trace, '--name', 'm2-again', '--dir', dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/m2-again under memdesc with M2 expects no-zspage-use-after-free \(\d+-step trace\)/);
    const saved = readRegressionFile(join(dir, 'm2-again.json'));
    expect(saved.scenario).toMatchObject({ id: 'm2-again', designs: ['memdesc'], mutation: 'M2', expect: { memdesc: { violates: 'no-zspage-use-after-free' } } });
    expect(saved.trace.steps).toEqual(JSON.parse(readFileSync(trace, 'utf8')).steps);
    const c = await run('check', '--regressions', dir, '--no-color');
    expect(c.err).toBe('');
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/^m2-again \+M2\s+memdesc\s+violates no-zspage-use-after-free .* ok$/m);
    expect(c.out).toContain('every expectation met');
  });

  it('a regression edited to expect holds is an unmet expectation (exit 1)', async () => {
    const doc = JSON.parse(readFileSync(join(dir, 'm2-again.json'), 'utf8'));
    doc.scenario.expect = { memdesc: { holds: true } };
    const other = join(scratch, 'edited');
    await run('save', trace, '--name', 'placeholder', '--dir', other);
    writeFileSync(join(other, 'placeholder.json'), JSON.stringify({ ...doc, scenario: { ...doc.scenario, id: 'placeholder' } }));
    expect((await run('check', '--regressions', other)).code).toBe(1);
  });

  it('refuses bad names, existing files, scenario ids and bad files with one line (exit 2)', async () => {
    expect((await run('save', trace, '--name', 'Bad Name', '--dir', dir)).err).toMatch(/--name 'Bad Name': use lower-case letters/);
    expect((await run('save', trace, '--name', 'free-vs-migrate', '--dir', dir)).err).toMatch(/already a scenario id/);
    expect((await run('save', trace, '--dir', dir)).err).toMatch(/--name NAME is required/);
    const again = await run('save', trace, '--name', 'm2-again', '--dir', dir);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/m2-again\.json exists \(use --force to replace it\)\n$/);
    expect((await run('save', trace, '--name', 'm2-again', '--dir', dir, '--force')).code).toBe(0);
    const missing = await run('save', join(scratch, 'nope.json'), '--name', 'x', '--dir', dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.json: cannot read the trace file/);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });

  it('a broken regression file or folder is one line naming it (exit 2)', async () => {
    const bad = join(scratch, 'bad');
    await run('save', trace, '--name', 'ok-one', '--dir', bad);
    writeFileSync(join(bad, 'zz.json'), '{"format": "memdesc-mc-regression/1", "scenario": {"format": "memdesc-mc-scenario/1"}}');
    const r = await run('check', '--regressions', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^memdesc-mc: .*zz\.json: \/scenario: lacks the required property 'id'\n$/);
    const none = await run('check', '--regressions', join(scratch, 'absent'));
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/absent: no such folder\n$/);
  });
});
