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
    // Ctrl-C in the middle of a run of minutes, as a terminal sends it. The first progress
    // report comes 500 ms into the run; on a loaded machine the run may not have got that far
    // when the signal lands (the report then says so), so wait longer and try again.
    for (let waitMs = 700; ; waitMs *= 2) {
      const { out, c } = await interruptAfter(waitMs);
      expect(out).toContain('0 of 1 run(s) finished before the interruption');
      if (out.includes('before its first progress report') && waitMs < 12_000) continue;
      expect(out).toMatch(/^interrupted: long-run \(legacy\): [\d,]+ states, [\d,]+ transitions, depth \d+, queue [\d,]+, [\d.]+ s so far; no verdict$/m);
      return c;
    }
  },
  70: async () => {
    const r = await capture(() => main(['check', 'racy-incs'], brokenSource()));
    expect(r.err).toMatch(/^memdesc-mc: model error: /);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    return r.code;
  },
};

/** A scenario whose one run takes minutes (four threads, 5 handles, two migrations). */
const LONG_RUN = {
  "format": "memdesc-mc-scenario/1",
  "id": "long-run",
  "title": "Four threads allocating, freeing, reading and migrating at once: a run of many seconds",
  "designs": [
    "legacy"
  ],
  "shape": {
    "pageUnits": 3,
    "classes": [
      {
        "size": 2,
        "pagesPerZspage": 2
      }
    ],
    "pageFrames": 6,
    "zspageSlots": 3,
    "handles": 5
  },
  "setup": [
    {
      "kind": "malloc",
      "handle": 0,
      "cls": 0,
      "payload": 1
    },
    {
      "kind": "malloc",
      "handle": 1,
      "cls": 0,
      "payload": 2
    }
  ],
  "threads": [
    {
      "name": "reader",
      "ops": [
        {
          "kind": "read",
          "handle": 1
        },
        {
          "kind": "read",
          "handle": 1
        }
      ]
    },
    {
      "name": "user",
      "ops": [
        {
          "kind": "free",
          "handle": 0
        },
        {
          "kind": "malloc",
          "handle": 2,
          "cls": 0,
          "payload": 3
        },
        {
          "kind": "free",
          "handle": 2
        }
      ]
    },
    {
      "name": "user2",
      "ops": [
        {
          "kind": "malloc",
          "handle": 3,
          "cls": 0,
          "payload": 4
        },
        {
          "kind": "free",
          "handle": 3
        }
      ]
    },
    {
      "name": "migrate",
      "ops": [
        {
          "kind": "migrate",
          "pages": [
            0
          ]
        },
        {
          "kind": "migrate",
          "pages": [
            1
          ]
        }
      ]
    }
  ],
  "bounds": {
    "maxStates": 50000000
  },
  "expect": {
    "legacy": {
      "holds": true
    }
  }
};

/** Runs a check of minutes and sends SIGINT `waitMs` after its table header appears. */
async function interruptAfter(waitMs: number): Promise<{ out: string; c: number | null }> {
  const file = join(scratch, 'long-run.json');
  writeFileSync(file, JSON.stringify(LONG_RUN));
  const child = spawn(process.execPath, [MAIN, 'check', '--scenario-file', file, '--workers', '1', '--no-color'], { cwd: REPO });
  let out = '';
  child.stdout.on('data', (d) => { out += String(d); });
  const code = new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  await new Promise<void>((res) => {
    const poll = setInterval(() => { if (out.includes('-----')) { clearInterval(poll); res(); } }, 20);
  });
  await new Promise((r) => setTimeout(r, waitMs));
  child.kill('SIGINT');
  const c = await code;
  return { out, c };
}

describe('exit codes', () => {
  it('the README documents 0, 1, 2, 3, 4, 70 and 130, and each has a case here', () => {
    expect(documentedCodes()).toEqual([0, 1, 2, 3, 4, 70, 130]);
    expect(Object.keys(CASES).map(Number).sort((a, b) => a - b)).toEqual(documentedCodes());
  });

  it.each(documentedCodes())('exit %i happens when the README says it does', async (code) => {
    expect(await CASES[code]()).toBe(code);
  });
});
