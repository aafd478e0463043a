import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocOnly, churn, replay, runDensity } from '../../model/density/stream.js';
import { totalWaste, type DensityResult } from '../../model/density/types.js';
import { XvmallocPool } from '../../model/density/xvmalloc.js';
import { Z3foldPool } from '../../model/density/z3fold.js';
import { ZbudPool } from '../../model/density/zbud.js';
import { ZsmallocPool } from '../../model/density/zsmalloc.js';

const PAGE = 4096;
const equal = (n: number, size: number) => allocOnly(new Array(n).fill(size));
const pagesOf = (a: { result(): DensityResult }) => a.result().pages;

function run<T extends { alloc(id: number, s: number): void; free(id: number): void }>(a: T, stream: Int32Array): T {
  replay(stream, a);
  return a;
}

describe('equal-size streams give the analytic page counts (hand-derived from the kernel constants)', () => {
  it('zsmalloc: 13 objects of 1560 bytes (1568 with the handle) take 3 two-page zspages = 6 pages with chain 4, one 5-page zspage with chain 8 (Documentation/mm/zsmalloc.rst)', () => {
    expect(pagesOf(run(new ZsmallocPool(PAGE, 4), equal(13, 1560)))).toBe(6);
    expect(pagesOf(run(new ZsmallocPool(PAGE, 8), equal(13, 1560)))).toBe(5);
  });

  it('zsmalloc: 1000 objects of 504 bytes (class 512: 8 per page) take 125 pages; 1001 take 126', () => {
    expect(pagesOf(run(new ZsmallocPool(PAGE, 8), equal(1000, 504)))).toBe(125);
    expect(pagesOf(run(new ZsmallocPool(PAGE, 8), equal(1001, 504)))).toBe(126);
  });

  it('zsmalloc: a 4096-byte object is huge, one page each', () => {
    expect(pagesOf(run(new ZsmallocPool(PAGE, 8), equal(7, 4096)))).toBe(7);
  });

  it('zbud: up to 31 chunks (1984 bytes) two share a page, 1985 bytes (32 chunks, 63 free) one per page, above 3968 refused', () => {
    expect(pagesOf(run(new ZbudPool(PAGE), equal(11, 1984)))).toBe(6);
    expect(pagesOf(run(new ZbudPool(PAGE), equal(11, 1985)))).toBe(11);
    const big = run(new ZbudPool(PAGE), equal(3, 3969)).result();
    expect(big.rejectedObjects).toBe(3);
    expect(big.pages).toBe(3);
  });

  it('z3fold: 62 free chunks after its 2-chunk header: three of 1280 bytes (20 chunks) per page, two of 1281, headless above 3904', () => {
    expect(pagesOf(run(new Z3foldPool(PAGE), equal(10, 1280)))).toBe(4);
    expect(pagesOf(run(new Z3foldPool(PAGE), equal(10, 1281)))).toBe(5);
    expect(pagesOf(run(new Z3foldPool(PAGE), equal(10, 1984)))).toBe(5);
    expect(pagesOf(run(new Z3foldPool(PAGE), equal(10, 1985)))).toBe(10);
    expect(pagesOf(run(new Z3foldPool(PAGE), equal(4, 3905)))).toBe(4);
  });

  it('xvmalloc: k objects of a (8-aligned) bytes share a page when k*(a+8) <= 4096: 1000 and 1016 bytes 4 per page, 1024 bytes 3', () => {
    expect(pagesOf(run(new XvmallocPool(PAGE), equal(9, 1000)))).toBe(3);
    expect(pagesOf(run(new XvmallocPool(PAGE), equal(10, 1016)))).toBe(3);
    expect(pagesOf(run(new XvmallocPool(PAGE), equal(10, 1024)))).toBe(4);
    // 2044 + 8 = 2052: two would need 4104 bytes.
    expect(pagesOf(run(new XvmallocPool(PAGE), equal(6, 2044)))).toBe(6);
    expect(pagesOf(run(new XvmallocPool(PAGE), equal(6, 2040)))).toBe(3);
  });
});

const sizes = fc.array(fc.integer({ min: 1, max: PAGE }), { minLength: 1, maxLength: 300 });
const ops = fc.record({ sizes, f: fc.double({ min: 0, max: 0.9, noNaN: true }), seed: fc.integer({ min: 0, max: 1 << 30 }) });

describe('properties on random streams', () => {
  it('zbud never holds more than 2 objects in a page, z3fold never more than 3', () => {
    fc.assert(
      fc.property(ops, ({ sizes: s, f, seed }) => {
        const stream = churn(s, f, seed);
        const zb = run(new ZbudPool(PAGE), stream);
        const z3 = run(new Z3foldPool(PAGE), stream);
        for (const [pool, max] of [[zb, 2], [z3, 3]] as const) {
          const perPage = new Map<number, number>();
          for (let id = 0; id < s.length; id++) {
            const p = pool.pageOf(id);
            if (p >= 0) perPage.set(p, (perPage.get(p) ?? 0) + 1);
          }
          for (const [p, n] of perPage) {
            expect(n).toBeLessThanOrEqual(max);
            expect(pool.buddies(p)).toBe(n);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('every allocator: pages × page size = stored bytes + waste by cause, and live objects are counted', () => {
    fc.assert(
      fc.property(ops, fc.constantFrom(4096, 16384, 65536), ({ sizes: s, f, seed }, page) => {
        const stream = churn(s.map((x) => Math.min(x * (page / PAGE), page)), f, seed);
        const live = stream.reduce((n, v) => n + (v > 0 ? 1 : -1), 0);
        const run = runDensity(stream, page, { compact: true });
        for (const r of [...run.results, ...(run.compacted ?? [])]) {
          expect(r.pages * page).toBe(r.storedBytes + totalWaste(r));
          expect(r.objects).toBe(live);
          for (const v of Object.values(r.waste)) expect(v).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('freeing everything gives every page back', () => {
    fc.assert(
      fc.property(sizes, (s) => {
        const stream = Int32Array.from([...s, ...s.map((_, i) => -i - 1)]);
        for (const r of runDensity(stream, PAGE).results) expect(r.pages).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});

describe('zs_compact after churn', () => {
  it('frees exactly what zs_can_compact promised when every zspage of the class is one page: 8 objects per zspage, half freed at random', () => {
    // 800 objects of class 512 (8 per one-page zspage) = 100 pages; free every other one: 400 live
    // objects need 50 pages, and compaction reaches that bound because any zspage can take from any.
    const s = new Array(800).fill(504);
    const frees = Array.from({ length: 400 }, (_, i) => -(2 * i) - 1);
    const zs = run(new ZsmallocPool(PAGE, 8), Int32Array.from([...s, ...frees]));
    expect(zs.result().pages).toBe(100);
    expect(zs.compact()).toBe(50);
    expect(zs.result().pages).toBe(50);
  });

  it('never increases pages and leaves at most one partly used zspage per class on streams with frees', () => {
    fc.assert(
      fc.property(ops, ({ sizes: s, f, seed }) => {
        const zs = run(new ZsmallocPool(PAGE, 8), churn(s, f, seed));
        const before = zs.result();
        zs.compact();
        const after = zs.result();
        expect(after.pages).toBeLessThanOrEqual(before.pages);
        for (const c of after.classes ?? []) {
          const zspages = c.pages / c.pagesPerZspage;
          // ceil(objects / objs) zspages are needed; compaction stops when no whole zspage can be freed.
          expect(zspages).toBe(Math.ceil(c.objects / c.objsPerZspage));
        }
      }),
      { numRuns: 150 },
    );
  });
});
