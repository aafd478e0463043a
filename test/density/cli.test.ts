import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, oneLineError } from '../cli/dist.js';

const scratch = mkdtempSync(join(tmpdir(), 'density-cli-'));
const corpus = join(scratch, 'corpus');
const ROWS = ['zsmalloc chain 8', 'zsmalloc chain 4', 'zbud', 'z3fold', 'xvmalloc'];

beforeAll(() => {
  ensureBuilt();
  mkdirSync(join(corpus, 'sub'), { recursive: true });
  // 3 pages of text (the last one partial), 2 pages of random bytes, 2 pages of zeros.
  const text = Array.from({ length: 400 }, (_, i) => `{"id": ${i}, "name": "object-${i % 17}", "tags": ["a", "b"]}\n`).join('');
  writeFileSync(join(corpus, 'a.json'), text.slice(0, 2 * 4096 + 100));
  writeFileSync(join(corpus, 'sub', 'random.bin'), randomBytes(2 * 4096));
  writeFileSync(join(corpus, 'zeros.bin'), Buffer.alloc(2 * 4096));
  writeFileSync(join(scratch, 'sizes.txt'), '100\n2000\n# a comment\n\n3000\n');
  writeFileSync(join(scratch, 'sizes.csv'), 'page,size\n0,100\n1,2000\n2,3000\n');
  writeFileSync(join(scratch, 'sizes.json'), JSON.stringify({ sizes: [100, 2000, 3000] }));
  writeFileSync(join(scratch, 'bad.txt'), '100\n2x00\n');
  writeFileSync(join(scratch, 'big.txt'), '100\n5000\n');
  writeFileSync(join(scratch, 'bad.json'), '[100, "x"]');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('memdesc-mc density (built, spawned)', () => {
  it('--corpus DIR prints the table for all four allocators and writes the HTML and SVG charts', () => {
    const html = join(scratch, 'd.html');
    const svg = join(scratch, 'd.svg');
    const r = cli(['density', '--corpus', corpus, '--html', html, '--svg', svg]);
    expect(r.code).toBe(0);
    for (const row of ROWS) expect(r.out).toMatch(new RegExp(`^${row} +`, 'm'));
    // 7 pages cut (3 text, 2 random, 2 zero); the zero pages are same-filled, the random ones do not compress.
    expect(r.out).toMatch(/3 files, .*, 7 pages \(2 same-filled, .*; 2 incompressible\), compressor lz4js/);
    expect(readFileSync(html, 'utf8')).toMatch(/<table id="density-table">/);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<\?xml[^]*<svg[^]*class="bar" data-label="xvmalloc"/);
  });

  it('--json: 5 objects from the corpus, the same objects in every row, zstd and deflate too', () => {
    for (const compressor of ['lz4', 'zstd', 'deflate']) {
      const r = cli(['density', '--corpus', corpus, '--compressor', compressor, '--json']);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.out);
      expect(doc.input.objects).toBe(5);
      expect(doc.results.map((x: { label: string }) => x.label)).toEqual(ROWS);
      for (const x of doc.results) expect(x.objects).toBe(5);
      // Two incompressible pages are stored whole: at least 2 pages everywhere.
      for (const x of doc.results) expect(x.pages).toBeGreaterThanOrEqual(2);
    }
  });

  it('reads sizes one a line, as CSV with a size column and as JSON alike', () => {
    const outs = ['sizes.txt', 'sizes.csv', 'sizes.json'].map((f) => JSON.parse(cli(['density', join(scratch, f), '--json']).out));
    for (const o of outs) {
      expect(o.input.objects).toBe(3);
      expect(o.input.bytes).toBe(5100);
    }
    expect(outs[1].results).toEqual(outs[0].results);
    expect(outs[2].results).toEqual(outs[0].results);
  });

  it('--churn reports zsmalloc again after one zs_compact pass, with fewer or equal pages', () => {
    const r = JSON.parse(cli(['density', 'uniform:100-3000', '--count', '20000', '--churn', '--json']).out);
    expect(r.compacted.map((x: { label: string }) => x.label)).toEqual(['zsmalloc chain 8 after zs_compact', 'zsmalloc chain 4 after zs_compact']);
    expect(r.input.churn.frees).toBeGreaterThan(9000);
    for (const [i, c] of r.compacted.entries()) {
      expect(c.pages).toBe(r.results[i].pages - c.pagesFreed);
      expect(c.pagesFreed).toBeGreaterThan(0);
    }
  });

  it('bad input: one line naming the file or option, exit 2', () => {
    oneLineError(cli(['density']), /give a sizes file, a distribution .* or --corpus PATH/);
    oneLineError(cli(['density', join(scratch, 'missing.txt')]), /missing\.txt: cannot read \(ENOENT\)/);
    oneLineError(cli(['density', join(scratch, 'bad.txt')]), /bad\.txt:2: '2x00' is not a size \(an integer 1\.\.4096, the page size\)/);
    oneLineError(cli(['density', join(scratch, 'big.txt')]), /big\.txt:2: '5000' is not a size/);
    oneLineError(cli(['density', join(scratch, 'bad.json')]), /bad\.json: sizes\[1\] is "x", not a number/);
    oneLineError(cli(['density', 'uniform:3000-100']), /uniform:3000-100: need 1 <= A <= B <= 4096/);
    oneLineError(cli(['density', 'poisson:3']), /'poisson:3' is not a distribution: use uniform:A-B or normal:MU,SIGMA/);
    oneLineError(cli(['density', 'normal:abc']), /'normal:abc' is not a distribution/);
    oneLineError(cli(['density', '--corpus', join(scratch, 'nowhere')]), /nowhere: no such file or directory/);
    oneLineError(cli(['density', '--corpus', corpus, '--compressor', 'lzo']), /--compressor lzo: no npm package provides lzo/);
    oneLineError(cli(['density', '--corpus', corpus, '--page-size', '8192']), /--page-size must be 4096, 16384 or 65536/);
    oneLineError(cli(['density', join(scratch, 'sizes.txt'), '--corpus', corpus]), /either a sizes source or --corpus, not both/);
    oneLineError(cli(['density', 'uniform:1-10', '--churn', '--free-fraction', '1']), /--free-fraction must be a number in \[0, 1\)/);
  });

  it('--page-size 64k accepts sizes up to 65536 and shows 64 KiB pages', () => {
    const r = cli(['density', 'normal:20000,8000', '--count', '5000', '--page-size', '64k']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/page size 64\.0 KiB/);
  });
});
