import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../explorer/index.js';
import { loadSystem, readFingerprintFile, unionCount, writeFingerprintFile } from '../../explorer/parallel/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fingerprint-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Little-endian uint32 words of a file, read by hand. */
function words(path: string): number[] {
  const b = readFileSync(path);
  return Array.from({ length: b.byteLength / 4 }, (_, i) => b.readUInt32LE(4 * i));
}

describe('fingerprint files (a shard\'s visited states)', () => {
  it('a written file is the 16-byte header "MDFP", version 1, the pair count, then the pairs; it reads back as the same pairs', () => {
    const pairs = Uint32Array.of(0xdeadbeef, 1, 0xffffffff, 0, 7, 0x80000000);
    const path = join(dir, 'three.fp');
    writeFingerprintFile(path, pairs);
    const raw = readFileSync(path);
    expect(raw.subarray(0, 4).toString('latin1')).toBe('MDFP');
    expect(words(path)).toEqual([words(path)[0], 1, 3, 0, ...pairs]);
    expect(raw.byteLength).toBe(16 + 6 * 4);
    expect(Array.from(readFingerprintFile(path))).toEqual(Array.from(pairs));
    const empty = join(dir, 'empty.fp');
    writeFingerprintFile(empty, new Uint32Array(0));
    expect(readFingerprintFile(empty).length).toBe(0);
  });

  it('a file that is not one, of another version, or cut short is an error naming the file and what is wrong', () => {
    const good = join(dir, 'good.fp');
    writeFingerprintFile(good, Uint32Array.of(1, 2, 3, 4));
    const header = readFileSync(good);
    const bad = (name: string, bytes: Uint8Array) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };
    const short = bad('short.fp', header.subarray(0, 8));
    expect(() => readFingerprintFile(short)).toThrow(`${short}: not a fingerprint file (size 8 bytes)`);
    const odd = bad('odd.fp', Buffer.concat([header, Buffer.alloc(4)]));
    expect(() => readFingerprintFile(odd)).toThrow(`${odd}: not a fingerprint file (size 36 bytes)`);
    const magic = Buffer.from(header); magic[0] ^= 1;
    const m = bad('magic.fp', magic);
    expect(() => readFingerprintFile(m)).toThrow(`${m}: not a fingerprint file (bad magic)`);
    const version = Buffer.from(header); version.writeUInt32LE(2, 4);
    const v = bad('version.fp', version);
    expect(() => readFingerprintFile(v)).toThrow(`${v}: fingerprint file version 2, this tool reads version 1`);
    const cut = bad('cut.fp', header.subarray(0, 24));
    expect(() => readFingerprintFile(cut)).toThrow(`${cut}: truncated fingerprint file (header says 2 states, holds 1)`);
    const huge = Buffer.from(header); huge.writeUInt32LE(1, 12);
    const h = bad('huge.fp', huge);
    expect(() => readFingerprintFile(h)).toThrow(`${h}: truncated fingerprint file (header says ${2 + 2 ** 32} states, holds 2)`);
  });

  // Words are never 0 here: the shared table stores 0 as 1 (documented, a 2^-31 merge).
  it('unionCount counts distinct (hi, lo) pairs over all lists, as a set of strings does, pairs sharing a high or a low word included', () => {
    const lists = [
      Uint32Array.of(1, 1, 1, 2, 2, 1),
      Uint32Array.of(1, 2, 3, 3, 0xffffffff, 0xffffffff),
      Uint32Array.of(),
      Uint32Array.of(2, 1, 1, 1, 5, 5),
    ];
    const naive = new Set<string>();
    for (const l of lists) for (let j = 0; j < l.length; j += 2) naive.add(`${l[j]},${l[j + 1]}`);
    expect(unionCount(lists)).toBe(naive.size);
    expect(naive.size).toBe(6);
    const many = Array.from({ length: 5 }, (_, i) => Uint32Array.from({ length: 400 }, (_, j) => 1 + ((j * 7 + i * 100) % 500)));
    const all = new Set<string>();
    for (const l of many) for (let j = 0; j < l.length; j += 2) all.add(`${l[j]},${l[j + 1]}`);
    expect(unionCount(many)).toBe(all.size);
    // More fingerprints than the smallest table holds: the table is sized from the total.
    const pairs = (from: number, n: number) => Uint32Array.from({ length: 2 * n }, (_, j) => from + (j >> 1) + (j & 1) * 1_000_000);
    expect(unionCount([pairs(1, 5_000), pairs(5_001, 5_000)])).toBe(10_000);
    expect(unionCount([pairs(1, 5_000), pairs(2_501, 5_000)])).toBe(7_500);
  });
});

describe('SystemRef', () => {
  it('loadSystem builds the system from its module, export and arguments, the same system as calling the builder', async () => {
    const module = pathToFileURL(join(import.meta.dirname, '../fixtures/counters.ts')).href;
    const sys = await loadSystem({ module, export: 'counters', args: [2, 3] });
    expect(check(sys).stats.distinctStates).toBe(16);
    const failed = loadSystem({ module, export: 'nothing', args: [] });
    // An Error, not just any rejection (rejects.toThrow also passes on a rejected null).
    await expect(failed).rejects.toBeInstanceOf(Error);
    await expect(failed).rejects.toThrow(`${module} exports no function nothing`);
  });
});
