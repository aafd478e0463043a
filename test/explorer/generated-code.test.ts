import { describe, expect, it } from 'vitest';
import type { StateInvariant } from '../../explorer/system.js';
import { StateLayout } from '../../explorer/packing.js';
import { InvariantTriggers } from '../../explorer/incremental.js';
import { generatedFactory, generatedKept } from '../../explorer/generated-code.js';

/**
 * Generated functions are kept by their source text (explorer/generated-code.ts), so two layouts
 * or triggers with the same numbers share compiled code. What each function closes over must
 * still be its own: checked against hand-written expectations for two objects whose generated
 * text is the same but whose names and tables differ.
 */
describe('generated code kept by its source text', () => {
  it('the same parameters and text give the same factory; another text or parameter list another one', () => {
    const a = generatedFactory(['k'], 'return function f(x) { return x + k + 1; };');
    const b = generatedFactory(['k'], 'return function f(x) { return x + k + 1; };');
    const c = generatedFactory(['k'], 'return function f(x) { return x + k + 2; };');
    const d = generatedFactory(['j'], 'return function f(x) { return x + k + 1; };');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(d).not.toBe(a);
    // Each call makes a function over its own arguments.
    const f1 = a(10) as (x: number) => number;
    const f2 = b(20) as (x: number) => number;
    expect([f1(1), f2(1), (c(10) as (x: number) => number)(1)]).toEqual([12, 22, 13]);
    expect(generatedKept().factories).toBeGreaterThanOrEqual(3);
  });

  it('keeps at most 16 Mi characters of text, dropping the least recently used first', () => {
    // Texts of just under 2 Mi characters (a comment pads them): 8 fit, the 9th drops the least recently used.
    const text = (i: number) => `return ${i}; //${'x'.repeat(2 * 1024 * 1024 - 100)}`;
    const first = generatedFactory([], text(0));
    const second = generatedFactory([], text(1));
    for (let i = 2; i < 8; i++) generatedFactory([], text(i));
    expect(generatedFactory([], text(0))).toBe(first); // used again: now the most recent
    generatedFactory([], text(8));
    expect(generatedKept().chars).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(generatedFactory([], text(0))).toBe(first);
    expect(generatedFactory([], text(1))).not.toBe(second);
    expect(generatedFactory([], text(1))()).toBe(1);
  });

  it('two layouts with the same bounds but other names share pack code and each names its own field when a value is out of range', () => {
    const one = new StateLayout([{ name: 'zspage[0].inuse', min: 0, max: 4 }, { name: 'a', min: -1, max: 2 }]);
    const two = new StateLayout([{ name: 'page[3]._refcount', min: 0, max: 4 }, { name: 'b', min: -1, max: 2 }]);
    const w = new Uint32Array(1);
    for (const pack of ['pack', 'packFingerprint'] as const) {
      expect(() => one[pack](Int32Array.of(5, 0), w, 0)).toThrow('field zspage[0].inuse = 5 is outside its declared range [0, 4]');
      expect(() => two[pack](Int32Array.of(5, 0), w, 0)).toThrow('field page[3]._refcount = 5 is outside its declared range [0, 4]');
      expect(() => two[pack](Int32Array.of(0, 3), w, 0)).toThrow('field b = 3 is outside its declared range [-1, 2]');
    }
  });

  it('two invariant triggers with the same layout and groups but other view tables each use their own table', () => {
    // x (0..3) is read through a table by one invariant. Moving x from 0 to 1 changes its class
    // in the first table ([0, 1, 1, 1]) and not in the second ([0, 0, 1, 1]): hand count.
    const fields = [{ name: 'x', min: 0, max: 3 }];
    const layout = new StateLayout(fields);
    const viewing = (table: number[]): StateInvariant => ({
      name: 'v', description: 'reads x through a table', reads: [0], views: [{ fields: [0], table }], check: () => null,
    });
    const first = new InvariantTriggers([viewing([0, 1, 1, 1])], fields, layout);
    const second = new InvariantTriggers([viewing([0, 0, 1, 1])], fields, layout);
    const parent = new Uint32Array(1), child = new Uint32Array(1);
    layout.pack(Int32Array.of(0), parent, 0);
    layout.pack(Int32Array.of(1), child, 0);
    expect([first.dueAfter(parent, child, 0)[0], second.dueAfter(parent, child, 0)[0]]).toEqual([1, 0]);
  });
});
