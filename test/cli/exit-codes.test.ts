import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { ScenarioSource } from '../../cli/source.js';
import { capture } from './capture.js';
import { spawn } from 'node:child_process';
import { cli, ensureBuilt, MAIN, REPO } from './dist.js';
import { toySource } from './toy-source.js';

/**
 * Every exit code the README documents, produced by a real invocation. The list comes from the
 * README's table, so a code documented without a case here fails this test.
 */
const scratch = mkdtempSync(join(tmpdir(), 'exit-codes-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function documentedCodes(): number[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('Exit codes'));
  return [...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
}

const toy = (...argv: string[]) => capture(() => main(argv, toySource()));

/** A model that writes a value outside its field's declared range: the engine's contract broken. */
function brokenSource(): ScenarioSource {
  const base = toySource();
  return {
    ...base,
    buildSystem: (spec) => {
      const sys = base.buildSystem(spec);
      return { ...sys, apply: (s, a, next, ctx) => { sys.apply(s, a, next, ctx); next[0] = 1000; } };
    },
  };
}

const CASES: Record<number, () => Promise<number | null>> = {
  0: async () => (await toy('check', 'racy-incs')).code,
  1: async () => (await toy('check', 'wrongly-expected')).code,
  2: async () => (await toy('check', 'no-such-scenario')).code,
  3: async () => {
    const file = join(scratch, 'w.json');
    expect((await toy('check', 'wrongly-expected', '--trace', file)).code).toBe(1);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.steps = doc.steps.slice(0, -1);
    doc.violation.step -= 1;
    writeFileSync(file, JSON.stringify(doc));
    return (await toy('replay', file)).code;
  },
  // The issue's own example, through the built CLI as a user runs it.
  4: async () => {
    const r = cli(['check', '--time-limit', '0.2', 'reisolate-after-putback', '--no-color']);
    expect(r.out).toMatch(/incomplete: time limit of 200 ms reached/);
    expect(r.out).not.toContain('UNEXPECTED');
    return r.code;
  },
  130: async () => {
    // Ctrl-C in the middle of a run of several seconds, as a terminal sends it.
    const child = spawn(process.execPath, [MAIN, 'check', 'reisolate-after-putback', '--workers', '1', '--no-color'], { cwd: REPO });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    const code = new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    await new Promise<void>((res) => {
      const poll = setInterval(() => { if (out.includes('-----')) { clearInterval(poll); res(); } }, 20);
    });
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGINT');
    const c = await code;
    expect(out).toMatch(/^interrupted: reisolate-after-putback \(legacy\): [\d,]+ states, [\d,]+ transitions, depth \d+, queue [\d,]+, [\d.]+ s so far; no verdict$/m);
    expect(out).toContain('0 of 3 run(s) finished before the interruption');
    return c;
  },
  70: async () => {
    const r = await capture(() => main(['check', 'racy-incs'], brokenSource()));
    expect(r.err).toMatch(/^memdesc-mc: model error: /);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    return r.code;
  },
};

describe('exit codes', () => {
  it('the README documents 0, 1, 2, 3, 4, 70 and 130, and each has a case here', () => {
    expect(documentedCodes()).toEqual([0, 1, 2, 3, 4, 70, 130]);
    expect(Object.keys(CASES).map(Number).sort((a, b) => a - b)).toEqual(documentedCodes());
  });

  it.each(documentedCodes())('exit %i happens when the README says it does', async (code) => {
    expect(await CASES[code]()).toBe(code);
  });
});
