import { describe, expect, it } from 'vitest';
import { firstObjOffset, fullnessGroup, fullnessGroups, objChainIndex, objOffset, objsPerZspage, objsStartingIn, isHuge, pageZone, validatePool, zoneCount } from '../../model/zsmalloc/shape.js';

/** Geometry of §1.3, checked against a unit-by-unit walk of the concatenated chain pages. */
describe('zspage geometry', () => {
  const shapes = [
    { pageUnits: 3, size: 2, pp: 2 },
    { pageUnits: 4, size: 3, pp: 3 },
    { pageUnits: 8, size: 5, pp: 2 },
    { pageUnits: 3, size: 3, pp: 1 },
  ];
  for (const sh of shapes) {
    const pool = { pageUnits: sh.pageUnits, classes: [{ size: sh.size, pagesPerZspage: sh.pp }], pageFrames: 4, zspageSlots: 2, handles: 2 };
    it(`places objects of size ${sh.size} on ${sh.pp} pages of ${sh.pageUnits} units as a byte walk does`, () => {
      const n = objsPerZspage(pool, 0);
      expect(n).toBe(Math.floor((sh.pp * sh.pageUnits) / sh.size));
      const owner: number[] = []; // unit -> object starting there
      for (let i = 0; i < n; i++) owner[i * sh.size] = i;
      for (let k = 0; k < sh.pp; k++) {
        let first = -1;
        for (let u = k * sh.pageUnits; u < (k + 1) * sh.pageUnits; u++) if (owner[u] !== undefined) { first = u - k * sh.pageUnits; break; }
        if (first >= 0) expect(firstObjOffset(pool, 0, k)).toBe(first);
        expect(objsStartingIn(pool, 0, k)).toEqual(Array.from({ length: n }, (_, i) => i).filter((i) => Math.floor((i * sh.size) / sh.pageUnits) === k));
      }
      for (let i = 0; i < n; i++) {
        expect(objChainIndex(pool, 0, i) * sh.pageUnits + objOffset(pool, 0, i)).toBe(i * sh.size);
      }
      expect(isHuge(pool, 0)).toBe(n === 1 && sh.pp === 1);
    });
  }
  it('computes the 6.3+ ratio groups and the E2 3/4 threshold', () => {
    expect(fullnessGroups('zpdesc')[fullnessGroup('zpdesc', 1, 3)]).toBe('ZS_INUSE_RATIO_40'); // 33% -> 3/10+1
    expect(fullnessGroups('zpdesc')[fullnessGroup('zpdesc', 0, 3)]).toBe('ZS_INUSE_RATIO_0');
    expect(fullnessGroups('zpdesc')[fullnessGroup('zpdesc', 3, 3)]).toBe('ZS_INUSE_RATIO_100');
    expect(fullnessGroups('legacy')[fullnessGroup('legacy', 2, 3)]).toBe('ZS_ALMOST_EMPTY'); // 2 <= 3*3/4
    expect(fullnessGroups('legacy')[fullnessGroup('legacy', 3, 4)]).toBe('ZS_ALMOST_EMPTY'); // 3 <= 3
    expect(fullnessGroups('legacy')[fullnessGroup('legacy', 3, 3)]).toBe('ZS_FULL');
  });
});

describe('zones of a pool shape', () => {
  const base = { pageUnits: 3, classes: [{ size: 2, pagesPerZspage: 2 }], pageFrames: 4, zspageSlots: 1, handles: 1 };
  it('a frame without a zone entry is in zone 0, and each listed frame keeps its zone', () => {
    expect([0, 1, 2, 3].map((p) => pageZone(base, p))).toEqual([0, 0, 0, 0]);
    const two = { ...base, zones: [0, 0, 1, 1] };
    expect([0, 1, 2, 3].map((p) => pageZone(two, p))).toEqual([0, 0, 1, 1]);
    expect(zoneCount(two)).toBe(2);
  });
  it('rejects a zone list longer than the frames, or a zone outside 0..3; unlisted frames are zone 0', () => {
    expect(validatePool({ ...base, zones: [0, 1, 1, 1, 1] })).toMatch(/5 zones for 4 page frames/);
    expect(pageZone({ ...base, zones: [1, 1] }, 3)).toBe(0);
    expect(validatePool({ ...base, zones: [0, 0, 4, 0] })).toMatch(/0\.\.3/);
    expect(validatePool({ ...base, zones: [0, 0, 1, 1] })).toBeNull();
  });
});
