import { describe, expect, it } from 'vitest';
import { SharedFingerprintSet } from '../../explorer/parallel/shared-fingerprint-set.js';

/**
 * The shared fingerprint table's claim(): a thread that saw slot i empty, or holding its own hi
 * with lo not yet written, claims it by compare-and-swap and goes on probing when it lost the
 * slot. Vitest runs no threads, so the slot another thread won is written here by hand before
 * claim() runs, as that thread would have written it. A fingerprint must never be taken for
 * one that shares only its hi or only its lo.
 */
type Claim = { claim(i: number, h: number, l: number): boolean };

function table(): { set: SharedFingerprintSet; t: Int32Array; mask: number } {
  const handle = SharedFingerprintSet.allocate(16);
  const set = new SharedFingerprintSet(handle);
  return { set, t: new Int32Array(handle.table), mask: set.capacity - 1 };
}

describe('shared fingerprint table: a claim that lost its slot', () => {
  it('to a fingerprint with the same lo and another hi stores its own in the next slot', () => {
    const { set, t, mask } = table();
    const h = 0x1234, l = 0x77, i = l & mask;
    t[2 * i] = 0x999; t[2 * i + 1] = l;
    expect((set as unknown as Claim).claim(i, h, l)).toBe(true);
    expect([t[2 * i + 2], t[2 * i + 3]]).toEqual([h, l]);
    expect(set.addFingerprint(h, l)).toBe(false);
  });

  it('to a fingerprint with the same hi and another lo, next to one with its lo, stores its own', () => {
    const { set, t, mask } = table();
    const h = 0x1234, l = 0x77, i = (l + 5) & mask;
    t[2 * (i - 1)] = 0x999; t[2 * (i - 1) + 1] = l;
    t[2 * i] = h; t[2 * i + 1] = 0x55;
    expect((set as unknown as Claim).claim(i, h, l)).toBe(true);
    expect([t[2 * i + 2], t[2 * i + 3]]).toEqual([h, l]);
  });
});
