import type { VisitedSet } from './visited-set.js';

/**
 * Exact visited set keyed by the packed words themselves: no collisions, much more memory.
 * The reference against which fingerprinting is measured, and a choice for small runs where
 * certainty matters more than size.
 */
export class ExactVisitedSet implements VisitedSet {
  readonly lossy = false;
  private readonly keys = new Set<string>();
  private keyBytes = 0;

  constructor(private readonly wordsPerState: number) {}

  add(words: Uint32Array, offset: number): boolean {
    let key = '';
    for (let i = 0; i < this.wordsPerState; i++) key += words[offset + i].toString(36) + ',';
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    this.keyBytes += 2 * key.length;
    return true;
  }

  get size(): number {
    return this.keys.size;
  }

  /** An estimate: the key strings plus about 40 bytes of hash-set entry per key. */
  get bytes(): number {
    return this.keyBytes + 40 * this.keys.size;
  }
}

export const exactSetFactory = (wordsPerState: number): VisitedSet => new ExactVisitedSet(wordsPerState);
