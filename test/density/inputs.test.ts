import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCompressor } from '../../model/density/compressors.js';
import { corpusFiles, corpusSizes, sameFilled, type CorpusProgress } from '../../model/density/corpus.js';
import { DensityInputError, parseSizes, syntheticSizes } from '../../model/density/inputs.js';
import { churn } from '../../model/density/stream.js';

const scratch = mkdtempSync(join(tmpdir(), 'density-inputs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('size inputs', () => {
  it('a CSV without a size column is refused naming the header', () => {
    expect(() => parseSizes('page,offset\n1,2\n', 'x.csv', 4096)).toThrow(/x\.csv: CSV header has no size column .*page,offset/);
  });

  it('CSV picks the size column wherever it is; headerless CSV takes the first column', () => {
    expect(parseSizes('name,compressed\na,10\nb,20\n', 'c.csv', 4096)).toEqual([10, 20]);
    expect(parseSizes('10,999\n20,999\n', 'c.csv', 4096)).toEqual([10, 20]);
  });

  it('0 and sizes above the page are not sizes; the line is named', () => {
    expect(() => parseSizes('1\n0\n', 's.txt', 4096)).toThrow(/s\.txt:2: '0' is not a size/);
    expect(() => parseSizes('16385\n', 's.txt', 16384)).toThrow(/s\.txt:1: '16385' is not a size \(an integer 1\.\.16384/);
    expect(() => parseSizes('\n\n', 's.txt', 4096)).toThrow(DensityInputError);
  });

  it('uniform:A-B stays within A..B, reaches both ends, and a seed reproduces it', () => {
    const s = syntheticSizes('uniform:10-20', 20000, 7, 4096);
    expect(Math.min(...s)).toBe(10);
    expect(Math.max(...s)).toBe(20);
    expect(syntheticSizes('uniform:10-20', 100, 7, 4096)).toEqual(s.slice(0, 100));
    expect(syntheticSizes('uniform:10-20', 100, 8, 4096)).not.toEqual(s.slice(0, 100));
  });

  it('normal:MU,SIGMA has about that mean and deviation, clamped to 1..page size', () => {
    const s = syntheticSizes('normal:2000,300', 50000, 1, 4096);
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / s.length);
    expect(Math.abs(mean - 2000)).toBeLessThan(10);
    expect(Math.abs(sd - 300)).toBeLessThan(10);
    const wide = syntheticSizes('normal:100,2000', 5000, 1, 4096);
    expect(Math.min(...wide)).toBe(1);
    expect(Math.max(...wide)).toBe(4096);
  });

  it('churn frees only live objects, each at most once, about the asked fraction', () => {
    const stream = churn(new Array(10000).fill(100), 0.3, 5);
    const freed = new Set<number>();
    let allocated = 0;
    for (const v of stream) {
      if (v > 0) allocated++;
      else {
        const id = -v - 1;
        expect(id).toBeLessThan(allocated);
        expect(freed.has(id)).toBe(false);
        freed.add(id);
      }
    }
    expect(Math.abs(freed.size / 10000 - 0.3)).toBeLessThan(0.02);
  });
});

describe('corpus', () => {
  it('cuts every regular file into ceil(size / page) pages, in sorted order, reporting progress up to the total', async () => {
    const dir = join(scratch, 'c');
    mkdirSync(join(dir, 'b'), { recursive: true });
    writeFileSync(join(dir, 'b', 'two.txt'), 'x'.repeat(4097));
    writeFileSync(join(dir, 'a.txt'), 'hello');
    writeFileSync(join(dir, 'empty'), '');
    expect(corpusFiles(dir).map((f) => f.path.slice(dir.length))).toEqual(['/a.txt', '/b/two.txt', '/empty']);
    const seen: CorpusProgress[] = [];
    const c = corpusSizes(dir, 4096, await loadCompressor('deflate'), (p) => seen.push(p));
    // a.txt: 1 page; two.txt: 2 pages, the first all 'x' (same-filled), the second 'x' then zeros.
    expect(c.pages).toBe(3);
    expect(c.sameFilled).toBe(1);
    expect(c.sizes).toHaveLength(2);
    expect(seen.at(-1)).toEqual({ bytesDone: 4102, bytesTotal: 4102, pages: 3 });
  });

  it('page_same_filled: one repeated 8-byte word, not one repeated byte', () => {
    const p = new Uint8Array(4096);
    expect(sameFilled(p)).toBe(true);
    for (let i = 0; i < p.length; i++) p[i] = i % 8;
    expect(sameFilled(p)).toBe(true);
    p[4095] = 0;
    expect(sameFilled(p)).toBe(false);
  });

  it('text compresses with every compressor; random bytes do not and are stored as a whole page', async () => {
    const text = new TextEncoder().encode('the quick brown fox jumps over the lazy dog. '.repeat(100).slice(0, 4096));
    const random = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24 ^ (i * 40503) & 255);
    for (const name of ['lz4', 'zstd', 'deflate']) {
      const c = await loadCompressor(name);
      expect(c.compressedLength(text)).toBeLessThan(400);
      expect(c.compressedLength(random)).toBeGreaterThan(3000);
    }
  });
});
