import { describe, expect, it } from 'vitest';
import { check, replay } from '../../explorer/index.js';
import { parseTraceFile, resolveTrace, serializeTraceFile, toTraceFile, TraceFileError } from '../../report/trace-file.js';
import { walkTrace } from '../../report/walk.js';
import { renderTraceText } from '../../report/trace-text.js';
import { renderTraceHtml } from '../../report/html.js';
import { flagWaiter, lockedSpinner } from '../fixtures/spinners.js';

function lassoFile(sys: ReturnType<typeof lockedSpinner>, options: Record<string, unknown> = {}) {
  const r = check(sys, options);
  const v = r.violation!;
  return toTraceFile({
    scenario: 'toy', design: 'toy', mutations: [], options, system: sys, trace: v.trace,
    violation: { kind: v.kind, invariant: v.invariant, step: v.trace.steps.length, message: v.message },
  });
}

describe('trace files carry the loop of a lasso', () => {
  it('a non-progress lasso survives the file round trip, and replay of the file confirms its loop', () => {
    const sys = lockedSpinner();
    const f = lassoFile(sys);
    expect(f.loop).toBe(1);
    expect(f.violation.kind).toBe('non-progress');
    const back = parseTraceFile(serializeTraceFile(f), 'spin.json');
    const resolved = resolveTrace(sys, back);
    if (!('trace' in resolved)) throw new Error('unresolved');
    expect(resolved.trace.loop).toBe(1);
    const rep = replay(sys, resolved.trace, { property: back.violation.invariant });
    expect(rep.violation).toMatchObject({ kind: 'non-progress', step: back.violation.step });
  });

  it('a liveness lasso found without fairness replays only without fairness', () => {
    const sys = flagWaiter();
    const f = lassoFile(sys, { fairness: 'none' });
    const resolved = resolveTrace(sys, parseTraceFile(serializeTraceFile(f), 'flag.json'));
    if (!('trace' in resolved)) throw new Error('unresolved');
    expect(replay(sys, resolved.trace, { property: f.violation.invariant, fairness: 'none' }).violation?.kind).toBe('liveness');
    expect(replay(sys, resolved.trace, { property: f.violation.invariant }).divergence?.reason).toMatch(/unfair to setter/);
  });

  it('a loop beyond the steps is a one-line error naming the file', () => {
    const f = lassoFile(lockedSpinner());
    const bad = serializeTraceFile({ ...f, loop: 9 });
    expect(() => parseTraceFile(bad, 'cut.json')).toThrow(TraceFileError);
    expect(() => parseTraceFile(bad, 'cut.json')).toThrow(/^cut\.json: loop 9 is beyond the 3 steps of the trace \(truncated\?\)$/);
  });

  it('the text and HTML renderings mark where the cycle starts', () => {
    const sys = lockedSpinner();
    const v = check(sys).violation!;
    const rep = replay(sys, v.trace);
    const w = walkTrace(sys, v.trace, rep.states, 'spin', { step: 3, kind: v.kind, invariant: v.invariant, message: v.message });
    const text = renderTraceText(w);
    const lines = text.split('\n');
    const mark = lines.findIndex((l) => l.startsWith('↻ loop: steps 2–3 repeat for ever'));
    expect(mark).toBeGreaterThan(0);
    expect(lines.slice(0, mark).join('\n')).toContain('spinner:lock');
    expect(lines.slice(mark).join('\n')).toContain('spinner:check');
    expect(text).toContain('↻ back to the state after step 1');
    expect(text).toContain('✗ non-progress loop at step 3');
    expect(renderTraceHtml(w)).toContain('"loop":1');
  });
});
