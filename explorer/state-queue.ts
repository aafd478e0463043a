const CHUNK_STATES = 1 << 14;

/**
 * FIFO of packed states in fixed-size Uint32Array chunks. A state is packed straight into the
 * tail slot (`tail`, `tailOffset`) and kept by `commit()`, so a successor that turns out to be
 * old costs no copy. Consumed chunks are recycled, so the queue holds only the frontier.
 */
export class StateQueue {
  private readonly chunkWords: number;
  private chunks: Uint32Array[] = [];
  private spare: Uint32Array | null = null;
  private headIndex = 0;
  private tailIndex = 0;
  /** Chunk and offset where the next state is to be packed. */
  tail: Uint32Array;
  tailOffset = 0;
  /** Chunk and offset of the state last returned by `shift()`. */
  head: Uint32Array;
  headOffset = 0;

  constructor(private readonly wordsPerState: number) {
    this.chunkWords = CHUNK_STATES * wordsPerState;
    this.tail = new Uint32Array(this.chunkWords);
    this.chunks.push(this.tail);
    this.head = this.tail;
  }

  get length(): number {
    return this.tailIndex - this.headIndex;
  }

  /** Keeps the state packed at the tail slot. */
  commit(): void {
    this.tailIndex++;
    const slot = this.tailIndex % CHUNK_STATES;
    if (slot === 0) {
      this.tail = this.spare ?? new Uint32Array(this.chunkWords);
      this.spare = null;
      this.chunks.push(this.tail);
      this.tailOffset = 0;
    } else {
      this.tailOffset = slot * this.wordsPerState;
    }
  }

  /** Points `head`/`headOffset` at the oldest state and removes it; false when empty. */
  shift(): boolean {
    if (this.headIndex === this.tailIndex) return false;
    const slot = this.headIndex % CHUNK_STATES;
    if (slot === 0 && this.headIndex > 0) {
      const done = this.chunks.shift()!;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: which consumed chunk is kept for reuse only changes allocations
      if (this.spare === null) this.spare = done;
    }
    this.head = this.chunks[0];
    this.headOffset = slot * this.wordsPerState;
    this.headIndex++;
    return true;
  }

  get bytes(): number {
    return (this.chunks.length + (this.spare ? 1 : 0)) * this.chunkWords * 4;
  }
}
