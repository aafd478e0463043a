import { describe, expect, it } from 'vitest';
import { StateLayout, type TransitionSystem } from '../../explorer/index.js';
import { CLAIM, LEVEL_CONTROL_WORDS, LevelExpander, type WorkerOptions } from '../../explorer/parallel/level-expander.js';
import { SharedFingerprintSet } from '../../explorer/parallel/shared-fingerprint-set.js';

/** One state fans out to 128 (choice x); each of those takes one step to a state that breaks
 *  `low-bad` (x < 64) or `high-bad` (x >= 64). Level 1 is two chunks of 64 states. */
const fan: TransitionSystem = {
  fields: [{ name: 'phase', min: 0, max: 2 }, { name: 'x', min: 0, max: 127 }],
  threads: ['t'],
  labels: ['fan', 'step'],
  initialStates: () => [Int32Array.of(0, 0)],
  actions(s, sink) {
    if (s[0] === 0) for (let c = 0; c < 128; c++) sink.push(0, 0, c);
    else if (s[0] === 1) sink.push(0, 1, 0);
  },
  apply(_s, a, next) {
    if (a.label === 0) { next[0] = 1; next[1] = a.choice; } else next[0] = 2;
  },
  threadDone: (s) => s[0] === 2,
  invariants: [
    { name: 'low-bad', description: 'x < 64 at the end', check: (s) => (s[0] === 2 && s[1] < 64 ? 'low' : null) },
    { name: 'high-bad', description: 'x >= 64 at the end', check: (s) => (s[0] === 2 && s[1] >= 64 ? 'high' : null) },
  ],
};

describe('LevelExpander', () => {
  it('a worker that reaches lower ids after another worker\'s finding still expands them, so the lowest-id finding (the single-threaded one) is not lost', () => {
    const layout = new StateLayout(fan.fields);
    const level1 = new Uint32Array(new SharedArrayBuffer(128 * layout.wordsPerState * 4));
    for (let x = 0; x < 128; x++) layout.pack(Int32Array.of(1, x), level1, x * layout.wordsPerState);
    const table = SharedFingerprintSet.allocate(1 << 12);
    const control = new SharedArrayBuffer(LEVEL_CONTROL_WORDS * 4);
    const opts: WorkerOptions = { maxStates: Infinity, maxDepth: Infinity, checkDeadlock: true, symmetry: false, deadline: Infinity };
    const a = new LevelExpander(fan, opts, table, control, 1);
    const b = new LevelExpander(fan, opts, table, control, 2);
    const task = { depth: 1, segments: [{ words: level1.buffer as SharedArrayBuffer, count: 128, base: 1 }] };
    a.beginLevel(task);
    b.beginLevel(task);
    // b claims the second chunk first (as a faster thread would) and finds high-bad at id 65.
    Atomics.store(new Int32Array(control), CLAIM, 1);
    const outB = b.runRound(1);
    expect(outB.successor).toMatchObject({ id: 65, finding: { invariant: 'high-bad' } });
    // a then gets the first chunk: its states have lower ids and must still be expanded.
    Atomics.store(new Int32Array(control), CLAIM, 0);
    const outA = a.runRound(1);
    expect(outA.successor).toMatchObject({ id: 1, actionIndex: 0, finding: { invariant: 'low-bad' } });
  });
});

describe('level control block layout', () => {
  it('CLAIM (written every chunk), FOUND (read every state) and STOP (read every claim) lie 64 bytes apart or more, inside the block', async () => {
    const { FOUND, STOP } = await import('../../explorer/parallel/level-expander.js');
    const words = [CLAIM, FOUND, STOP].sort((a, b) => a - b);
    expect(words[1] - words[0]).toBeGreaterThanOrEqual(16);
    expect(words[2] - words[1]).toBeGreaterThanOrEqual(16);
    expect(words[2]).toBeLessThan(LEVEL_CONTROL_WORDS);
  });
});
