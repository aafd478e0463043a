import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { invariantCatalogue } from '../../invariants/zsmalloc/index.js';
import { mutations } from '../../model/zsmalloc/mutations/index.js';
import { allScenarios, buildSystem } from '../../scenarios/zsmalloc/index.js';
import { capture } from '../cli/capture.js';

/**
 * The counterexamples of four historical bugs as a kernel developer reads them: decoded values,
 * no interpreter state, the initial state, the step the bug's code changed. The decoded text is
 * checked against the same trace printed with --raw, decoded here by hand from the scenario's
 * thread list (lock words hold owner + 1), not by the decoder under test.
 */
const BUGS = [
  ['A1', 'bug-a1-pin-lost'],
  ['A5', 'bug-a5-lock-zspage'],
  ['A6', 'bug-a6-bitfield-word'],
  ['M2', 'bug-m2-descriptor-freed'],
] as const;

const run = (...argv: string[]) => capture(() => main(argv));

/** `field: from → to` pairs of the change lines of a text trace. */
function changes(text: string): { field: string; from: string; to: string }[] {
  const out: { field: string; from: string; to: string }[] = [];
  for (const line of text.split('\n')) {
    if (!/^\s{5,}\S/.test(line) || !line.includes(' → ')) continue;
    for (const part of line.trim().split('; ')) {
      const m = /^(\S+): (.*) → (.*)$/.exec(part);
      if (m) out.push({ field: m[1], from: m[2], to: m[3] });
    }
  }
  return out;
}

const LOCK_WORD = /(\.lock|\.writer|PG_locked|HANDLE_PIN_BIT)$/;

describe('decoded counterexamples of A1, A5, A6, M2', () => {
  it.each(BUGS)('%s (%s): thread names for lock owners, enums by name, no pc/ret/op, initial state, the mutated step tagged, no negative index', async (id, scenarioId) => {
    const scenario = allScenarios().find((s) => s.id === scenarioId)!;
    const threads = scenario.threads.map((t) => t.name);
    const decoded = await run('check', scenarioId, '--show-trace', '--no-color');
    expect(decoded.code).toBe(0);
    const raw = await run('check', scenarioId, '--show-trace', '--raw', '--no-color');
    const text = decoded.out;

    // The model's interpreter state only with --raw (so this check can fail).
    const control = /(^|\s)(\w+)\.(pc|ret|op): |\b(pc|ret|op) = /m;
    expect(text).not.toMatch(control);
    expect(raw.out).toMatch(control);

    // Lock words: the same changes as the raw trace, owner + 1 decoded by hand.
    const rawLocks = changes(raw.out).filter((c) => LOCK_WORD.test(c.field));
    const decodedLocks = changes(text).filter((c) => LOCK_WORD.test(c.field));
    expect(decodedLocks.length).toBeGreaterThan(0);
    const owner = (v: string) => (v === '0' ? 'free' : `held by ${threads[Number(v) - 1]}`);
    expect(decodedLocks).toEqual(rawLocks.map((c) => ({ field: c.field, from: owner(c.from), to: owner(c.to) })));
    for (const c of decodedLocks) expect(`${c.from} ${c.to}`).not.toMatch(/\d/);

    // At least one enum by its kernel name; fullness and list never as bare numbers.
    expect(text).toMatch(/\bZS_[A-Z_0-9]+\b/);
    for (const c of changes(text).filter((x) => /\.(fullness|list)$/.test(x.field))) {
      expect(c.from).not.toMatch(/^-?\d+$/);
      expect(c.to).not.toMatch(/^-?\d+$/);
    }

    // The initial state block, naming objects the trace changes.
    const lines = text.split('\n');
    const init = lines.findIndex((l) => l.startsWith('Initial state of the objects the trace touches'));
    expect(init).toBeGreaterThan(0);
    const firstStep = lines.findIndex((l) => l.startsWith('── '));
    expect(init).toBeLessThan(firstStep);
    const initObjects = lines.slice(init + 1, firstStep).map((l) => l.trim().split(/[:=]/)[0].trim());
    for (const c of changes(text)) expect(initObjects).toContain(c.field.split('.')[0]);

    // The step whose code the mutation changed is tagged with the mutation id, and only such steps.
    const m = mutations.find((x) => x.id === id)!;
    const tagged = lines.filter((l) => l.includes(`[mutated by ${id}]`));
    expect(tagged.length).toBeGreaterThan(0);
    for (const l of tagged) expect(m.steps.some((label) => l.includes(label))).toBe(true);

    // No sentinel shown as an index, anywhere (messages included).
    expect(text).not.toMatch(/\[-\d+\]/);
    expect(text).toContain(`✗ ${m.invariant} broken`);
  });

  it('every step label a mutation names exists in the model of each of its designs', () => {
    for (const m of mutations) {
      for (const design of m.designs) {
        // A mutation's scenario may cover only some of its designs; any scenario of the design builds its labels.
        const scenario = allScenarios().find((s) => s.mutation === m.id && s.designs.includes(design)) ?? allScenarios().find((s) => s.designs.includes(design))!;
        const labels = buildSystem({ scenario, design, mutations: [m.id] }).labels;
        for (const label of m.steps ?? []) expect(labels, `${m.id} ${label}`).toContain(label);
      }
    }
  });

  it('user-facing mutation text cites kernel commits and functions, not internal section numbers', () => {
    for (const m of mutations) {
      for (const text of [m.bug, m.summary ?? m.title, m.title, m.doc]) expect(text, m.id).not.toMatch(/§|inv\. \d|BUGS\.md/);
      if (m.commit) expect(m.bug.startsWith(m.commit)).toBe(true);
      expect((m.summary ?? m.title).split(/\.\s/)).toHaveLength(1);
    }
    for (const i of invariantCatalogue) {
      expect(`${i.description} ${i.kernelRule}`, i.name).not.toMatch(/§|inv\. \d|BUGS\.md/);
      expect(i.kernelRule, i.name).toMatch(/\w+\.[ch]\b|[0-9a-f]{12}|memdesc|lockdep/);
    }
  });
});
