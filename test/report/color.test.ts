import { describe, expect, it } from 'vitest';
import { check, replay } from '../../explorer/index.js';
import { colorWanted } from '../../report/color.js';
import { renderTraceText } from '../../report/trace-text.js';
import { walkTrace } from '../../report/walk.js';
import { lockWorkers } from '../fixtures/lock-workers.js';

describe('colour', () => {
  it('only on a terminal, and never with --no-color or a non-empty NO_COLOR', () => {
    expect(colorWanted({ isTTY: true }, false, {})).toBe(true);
    expect(colorWanted({ isTTY: false }, false, {})).toBe(false);
    expect(colorWanted({}, false, {})).toBe(false);
    expect(colorWanted({ isTTY: true }, true, {})).toBe(false);
    expect(colorWanted({ isTTY: true }, false, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted({ isTTY: true }, false, { NO_COLOR: '' })).toBe(true);
  });

  it('the coloured and plain renderings carry the same text', () => {
    const system = lockWorkers(2, 1, { broken: true });
    const v = check(system).violation!;
    const w = walkTrace(system, v.trace, replay(system, v.trace).states, 'workers', { step: v.trace.steps.length, kind: v.kind, invariant: v.invariant, message: v.message });
    const plain = renderTraceText(w, { color: false });
    const coloured = renderTraceText(w, { color: true });
    expect(plain).not.toContain('\x1b[');
    expect(coloured).toContain('\x1b[');
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });
});

describe('text trace', () => {
  it('numbers the steps, names the thread whenever it changes, shows locks and only changed fields', () => {
    // Two workers, one local step each before a lock that the broken model does not respect:
    // the shortest violation is work, work, lock, lock (4 steps), both inside the section.
    const system = { ...lockWorkers(2, 1, { broken: true }), locksHeld: (s: Int32Array, t: number) => (s[2] === t + 1 ? ['lock'] : []) };
    const v = check(system).violation!;
    const states = replay(system, v.trace).states;
    const text = renderTraceText(walkTrace(system, v.trace, states, 'T', { step: 4, kind: v.kind, invariant: v.invariant, message: v.message, description: 'at most one' }));
    const lines = text.split('\n');
    const numbered = lines.filter((l) => /^\s+\d+\s/.test(l));
    expect(numbered).toHaveLength(4);
    expect(numbered.map((l) => l.trim().split(/\s+/)[1])).toEqual(v.trace.steps.map((s) => system.labels[s.action.label]));
    const headers = lines.filter((l) => l.startsWith('── '));
    expect(headers.length).toBeGreaterThanOrEqual(2);
    // Every change line lists exactly the fields that differ between consecutive states.
    const changeLines = lines.filter((l) => l.includes('→'));
    const expectedChanges = v.trace.steps.map((_, i) => system.fields.filter((_, f) => states[i][f] !== states[i + 1][f]).map((f) => f.name));
    expect(changeLines.map((l) => [...l.matchAll(/([\w[\]]+): -?\d+ → -?\d+/g)].map((m) => m[1]))).toEqual(expectedChanges.filter((c) => c.length > 0));
    expect(text).toMatch(/locks worker\d: lock/);
    expect(lines.at(-2)).toBe('✗ one_in_critical_section broken at step 4: 2 workers are in the critical section');
    expect(lines.at(-1)).toBe('  at most one');
  });
});
