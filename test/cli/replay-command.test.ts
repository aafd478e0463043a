import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { capture } from './capture.js';
import { toySource } from './toy-source.js';

const scratch = mkdtempSync(join(tmpdir(), 'replay-cmd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = (...argv: string[]) => capture(() => main(argv, toySource()));
const original = join(scratch, 'wrong.json');
let doc: { steps: { thread: string; label: string; index: number; choice: number }[]; violation: { step: number }; [k: string]: unknown };

beforeAll(async () => {
  expect((await run('check', 'wrongly-expected', '--trace', original, '--no-color')).code).toBe(1);
  doc = JSON.parse(readFileSync(original, 'utf8'));
});

function variant(name: string, change: (d: typeof doc) => unknown): string {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(change(structuredClone(doc))));
  return file;
}

describe('memdesc-mc replay', () => {
  it('re-executes a trace file, prints it and confirms the same violation at the same step (exit 1)', async () => {
    const r = await run('replay', original, '--no-color');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain('✗ no-lost-update broken at step 5: x is 1 after 2 increments');
    expect(r.out).toContain('replayed: the same violation of no-lost-update at step 5');
    // Only changed fields appear, with before → after.
    expect(r.out).toMatch(/alpha\.pc: 0 → 1/);
  });

  it('a step whose action is not enabled is a divergence naming the step and what is enabled (exit 3)', async () => {
    // Swap two steps of alpha: its store before its load is not enabled (pc order).
    const file = variant('swapped.json', (d) => {
      const i = d.steps.findIndex((s) => s.label === 'inc:load' && s.thread === 'alpha');
      const j = d.steps.findIndex((s) => s.label === 'inc:store' && s.thread === 'alpha');
      d.steps[i] = { ...d.steps[i], label: 'inc:store' };
      d.steps[j] = { ...d.steps[j], label: 'inc:load' };
      return d;
    });
    const r = await run('replay', file);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/replay diverges: step \d+ \(alpha inc:store\) cannot be taken: alpha:inc:store is not enabled \(enabled: .*alpha:inc:load/);
  });

  it('an unknown label or thread is a divergence at that step (exit 3)', async () => {
    const r = await run('replay', variant('label.json', (d) => { d.steps[1].label = 'inc:teleport'; return d; }));
    expect(r.code).toBe(3);
    expect(r.out).toContain("step 2 (alpha inc:teleport): the model has no step label 'inc:teleport'");
    const t = await run('replay', variant('thread.json', (d) => { d.steps[0].thread = 'gamma'; return d; }));
    expect(t.code).toBe(3);
    expect(t.out).toContain("the model has no thread 'gamma' (threads: alpha, beta)");
  });

  it('an initial state the model does not have is a divergence before the first step (exit 3)', async () => {
    const r = await run('replay', variant('init.json', (d) => ({ ...d, initial: 4 })));
    expect(r.code).toBe(3);
    expect(r.out).toContain('replay diverges: the initial state: the trace starts from initial state 4, the model has 1');
  });

  it('--html writes the replayed counterexample as a page', async () => {
    const page = join(scratch, 'replayed.html');
    const r = await run('replay', original, '--html', page);
    expect(r.code).toBe(1);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<title>Replay of ');
    expect(html).toContain('"invariant":"no-lost-update"');
  });

  it('a trace that stops short of its violation, or claims another step, diverges (exit 3)', async () => {
    const short = await run('replay', variant('short.json', (d) => { d.steps.pop(); d.violation.step = d.steps.length; return d; }));
    expect(short.code).toBe(3);
    expect(short.out).toContain('all 4 steps replayed but no-lost-update was not violated');
    const other = await run('replay', variant('other.json', (d) => { (d.violation as Record<string, unknown>).invariant = 'x-small'; return d; }));
    expect(other.code).toBe(3);
    expect(other.out).toMatch(/step 5 violates no-lost-update .* the trace expects x-small at step 5/);
  });

  it('malformed, truncated, wrong-version, missing files and unknown scenarios: one line naming the file, exit 2', async () => {
    const text = readFileSync(original, 'utf8');
    const cases: [string, RegExp][] = [
      [join(scratch, 'absent.json'), /absent\.json: cannot read the trace file \(no such file\)/],
      [variant('trunc.json', (d) => { delete (d as Record<string, unknown>).violation; return d; }), /trunc\.json: not a valid memdesc-mc-trace\/1 trace: the document lacks the required property 'violation'/],
      [variant('v2.json', (d) => ({ ...d, format: 'memdesc-mc-trace/2' })), /v2\.json: trace format 'memdesc-mc-trace\/2' is not supported/],
      [variant('scen.json', (d) => ({ ...d, scenario: 'gone' })), /scen\.json: scenario 'gone' is not in the registry/],
      [variant('design.json', (d) => ({ ...d, design: 'folio' })), /design\.json: unknown design 'folio'/],
    ];
    const cut = join(scratch, 'cut.json');
    writeFileSync(cut, text.slice(0, text.length - 40));
    cases.push([cut, /cut\.json: not a memdesc-mc trace: it is not valid JSON/]);
    for (const [file, pattern] of cases) {
      const r = await run('replay', file);
      expect(r.code, file).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(pattern);
    }
    const none = await run('replay');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/expected one trace file, got 0/);
  });
});
