import { readFileSync, writeFileSync } from 'node:fs';
import { SharedFingerprintSet } from './shared-fingerprint-set.js';

/**
 * A shard's visited states as a file: a 16-byte header (magic `MDFP`, format version 1, pair
 * count as two little-endian uint32: low, high) then the (hi, lo) fingerprint pairs, uint32
 * little-endian. 8 bytes per state: what the union of several shards needs, nothing more.
 */
const MAGIC = 0x5046444d; // 'MDFP' read little-endian
const VERSION = 1;
const HEADER_WORDS = 4;

export function writeFingerprintFile(path: string, pairs: Uint32Array): void {
  const n = pairs.length / 2;
  const out = new Uint32Array(HEADER_WORDS + pairs.length);
  out[0] = MAGIC;
  out[1] = VERSION;
  out[2] = n >>> 0;
  // Stryker disable next-line ArithmeticOperator: n * 2^32 is 0 modulo 2^32 too, for any count an array can hold (n < 2^32)
  out[3] = Math.floor(n / 2 ** 32);
  out.set(pairs, HEADER_WORDS);
  writeFileSync(path, new Uint8Array(out.buffer));
}

/** The (hi, lo) pairs of a fingerprint file; throws an Error naming the file when it is not one. */
export function readFingerprintFile(path: string): Uint32Array {
  const bytes = readFileSync(path);
  if (bytes.byteLength < HEADER_WORDS * 4 || bytes.byteLength % 8 !== 0) throw new Error(`${path}: not a fingerprint file (size ${bytes.byteLength} bytes)`);
  const words = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (words[0] !== MAGIC) throw new Error(`${path}: not a fingerprint file (bad magic)`);
  if (words[1] !== VERSION) throw new Error(`${path}: fingerprint file version ${words[1]}, this tool reads version ${VERSION}`);
  const n = words[2] + words[3] * 2 ** 32;
  if (words.length !== HEADER_WORDS + 2 * n) throw new Error(`${path}: truncated fingerprint file (header says ${n} states, holds ${(words.length - HEADER_WORDS) / 2})`);
  return words.subarray(HEADER_WORDS);
}

/** The number of distinct fingerprints over all the given pair lists. */
export function unionCount(lists: readonly Uint32Array[]): number {
  const total = lists.reduce((a, l) => a + l.length / 2, 0);
  // Stryker disable next-line ArithmeticOperator: any table of more than `total` slots (4,096 at least) holds them all
  const set = new SharedFingerprintSet(SharedFingerprintSet.allocate(Math.max(16, total * 2 + 2)));
  for (const l of lists) for (let j = 0; j < l.length; j += 2) set.addFingerprint(l[j], l[j + 1]);
  return set.size;
}
