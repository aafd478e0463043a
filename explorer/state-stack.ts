/**
 * LIFO of packed states for depth-first search; each entry is [id, depth, ...words] in one
 * growable Uint32Array. As with the queue, a successor is packed straight into the top slot
 * and kept by `commit()` only when it is new.
 */
export class StateStack {
  private readonly entryWords: number;
  data: Uint32Array;
  private top = 0;

  constructor(private readonly wordsPerState: number) {
    this.entryWords = wordsPerState + 2;
    this.data = new Uint32Array(this.entryWords * 1024);
  }

  get length(): number {
    return this.top;
  }

  /** Offset of the words of the slot above the top (grows the buffer if needed). */
  slotOffset(): number {
    const need = (this.top + 1) * this.entryWords;
    // Stryker disable next-line EqualityOperator: `>=` grows one entry early (same contents); `<` doubles on every push and fails
    if (need > this.data.length) {
      const d = new Uint32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    return this.top * this.entryWords + 2;
  }

  commit(id: number, depth: number): void {
    const base = this.top * this.entryWords;
    this.data[base] = id;
    this.data[base + 1] = depth;
    this.top++;
  }

  /** Pops the top entry; returns the offset of its words (id at offset-2, depth at offset-1). */
  pop(): number {
    this.top--;
    return this.top * this.entryWords + 2;
  }
}
