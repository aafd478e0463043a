/**
 * Real data: files cut into pages of PAGE_SIZE (the last one zero-filled, as the page cache fills
 * past EOF), each page compressed on its own. Pages filled with one repeated machine word are
 * counted apart and not allocated: zram stores them in the table entry (page_same_filled(),
 * ZRAM_SAME) without touching the allocator. A compressed length of a page or more is stored as the
 * page itself (PAGE_SIZE bytes), as zram does with a page that does not compress.
 */
import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Compressor } from './compressors.js';
import { DensityInputError } from './inputs.js';

export interface CorpusSizes {
  readonly sizes: number[];
  readonly files: number;
  readonly bytes: number;
  /** Pages cut from the files, same-filled ones included. */
  readonly pages: number;
  readonly sameFilled: number;
  /** Pages whose compressed form was not smaller than the page. */
  readonly incompressible: number;
  readonly compressor: string;
}

export interface CorpusProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly pages: number;
}

function statOrFail(path: string): Stats {
  try {
    return lstatSync(path);
  } catch {
    throw new DensityInputError(`${path}: no such file or directory`);
  }
}

/** Regular files under `root` in a stable (sorted) order; symbolic links are not followed. */
export function corpusFiles(root: string): { path: string; size: number }[] {
  const st = statOrFail(root);
  if (st.isFile()) return [{ path: root, size: st.size }];
  if (!st.isDirectory()) throw new DensityInputError(`${root}: not a file or directory`);
  const out: { path: string; size: number }[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new DensityInputError(`${dir}: cannot read directory (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push({ path: p, size: lstatSync(p).size });
    }
  };
  walk(root);
  return out;
}

/** page_same_filled(): every unsigned long of the page equals the first. */
export function sameFilled(page: Uint8Array): boolean {
  for (let i = 8; i < page.length; i++) if (page[i] !== page[i & 7]) return false;
  return true;
}

export function corpusSizes(root: string, pageSize: number, compressor: Compressor, onProgress?: (p: CorpusProgress) => void): CorpusSizes {
  const files = corpusFiles(root);
  const bytesTotal = files.reduce((s, f) => s + f.size, 0);
  if (bytesTotal === 0) throw new DensityInputError(`${root}: no data (${files.length} files, all empty)`);
  const sizes: number[] = [];
  const page = new Uint8Array(pageSize);
  let bytesDone = 0;
  let pages = 0;
  let same = 0;
  let incompressible = 0;
  for (const f of files) {
    let data: Buffer;
    try {
      data = readFileSync(f.path);
    } catch (e) {
      throw new DensityInputError(`${f.path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    for (let off = 0; off < data.length; off += pageSize) {
      const end = Math.min(off + pageSize, data.length);
      let p: Uint8Array;
      if (end - off === pageSize) p = data.subarray(off, end);
      else {
        page.fill(0);
        page.set(data.subarray(off, end));
        p = page;
      }
      pages++;
      if (sameFilled(p)) {
        same++;
        continue;
      }
      const n = compressor.compressedLength(p);
      if (n >= pageSize) incompressible++;
      sizes.push(Math.min(n, pageSize));
      if (onProgress && (pages & 255) === 0) onProgress({ bytesDone: bytesDone + end, bytesTotal, pages });
    }
    bytesDone += data.length;
  }
  onProgress?.({ bytesDone, bytesTotal, pages });
  return { sizes, files: files.length, bytes: bytesTotal, pages, sameFilled: same, incompressible, compressor: compressor.implementation };
}
