import { describe, expect, it } from 'vitest';
import type { Field } from '../../explorer/index.js';
import { allScenarios, buildSystem } from '../../scenarios/zsmalloc/index.js';
import { decodeValue } from '../../report/values.js';
import { statePicture } from '../../report/picture.js';

const ctx = { threads: ['free', 'migrate', 'compact'], labels: ['zs_free:start', 'zs_free:lock_class'] };
const f = (kind: Field['kind']): Field => ({ name: 'x', min: -2, max: 100, kind });

describe('decoding by declared kind', () => {
  it('decodes each kind as a kernel developer reads it', () => {
    expect(decodeValue(f({ kind: 'owner' }), 0, ctx)).toBe('free');
    expect(decodeValue(f({ kind: 'owner' }), 2, ctx)).toBe('held by migrate');
    expect(decodeValue(f({ kind: 'threadSet' }), 0b101, ctx)).toBe('{free, compact}');
    expect(decodeValue(f({ kind: 'threadSet' }), 0, ctx)).toBe('{}');
    expect(decodeValue(f({ kind: 'enum', names: { 0: 'ZS_EMPTY', 3: 'ZS_FULL' } }), 3, ctx)).toBe('ZS_FULL');
    expect(decodeValue(f({ kind: 'hex' }), 88, ctx)).toBe('0x58');
    expect(decodeValue(f({ kind: 'ref', of: 'zspage', sentinels: { [-1]: 'no zspage' } }), -1, ctx)).toBe('no zspage');
    expect(decodeValue(f({ kind: 'ref', of: 'zspage' }), 2, ctx)).toBe('zspage[2]');
    expect(decodeValue(f({ kind: 'ref', of: 'handle', names: ['A', 'B'], offset: 1, sentinels: { 0: 'none' } }), 2, ctx)).toBe('handle[B]');
    // obj = pfn * 4 + idx: 9 is page 2, object 1.
    expect(decodeValue(f({ kind: 'ref', of: 'page', span: 4, slot: 'obj' }), 9, ctx)).toBe('page[2] obj 1');
    expect(decodeValue(f({ kind: 'control', role: 'pc', thread: 0 }), 1, ctx)).toBe('zs_free:lock_class');
    expect(decodeValue(f({ kind: 'control', role: 'pc', thread: 0 }), 2, ctx)).toBe('done');
    expect(decodeValue(f({ kind: 'int', sentinels: { [-1]: 'none' } }), 5, ctx)).toBe('5');
    expect(decodeValue({ name: 'x', min: 0, max: 9 }, 7, ctx)).toBe('7');
  });
});

describe('the zsmalloc model declares a kind for every field', () => {
  const runs = allScenarios().flatMap((s) => s.designs.map((d) => [s.id, d] as const)).filter((_, i) => i % 5 === 0);
  it.each(runs)('%s under %s', (id, design) => {
    const scenario = allScenarios().find((s) => s.id === id)!;
    const sys = buildSystem({ scenario, design, mutations: [] });
    const T = sys.threads.length;
    for (const field of sys.fields) {
      expect(field.kind, field.name).toBeDefined();
      const k = field.kind!;
      if (k.kind === 'owner') expect(field.max, field.name).toBeLessThanOrEqual(T);
      if (k.kind === 'threadSet') expect(field.max, field.name).toBeLessThan(1 << T);
      // A value the field can hold below 0 is a sentinel: it must have words, never show as an index.
      if ((k.kind === 'ref' || k.kind === 'enum') && field.min < 0) {
        for (let v = field.min; v < 0; v++) expect(decodeValue(field, v, { threads: sys.threads, labels: sys.labels }), field.name).not.toMatch(/-\d/);
      }
    }
    // The initial picture draws every page and zspage slot the pool has.
    const pic = statePicture(sys, sys.initialStates()[0]);
    const count = (t: string) => pic.rows.find((r) => r.type === t)?.boxes.length ?? 0;
    expect(count('page')).toBe(scenario.shape.pageFrames);
    expect(count('zspage')).toBe(scenario.shape.zspageSlots);
  });
});
