/**
 * Many kernel-style `list_head` lists over small integer ids (zspages, zbud/z3fold pages, free
 * blocks): list_add() at the head, list_first_entry(), list_del() in O(1). The allocators' choice of
 * which page to use next depends on this order, so it follows the kernel's head insertion exactly.
 */
export class IntLists {
  private heads: Int32Array;
  private next = new Int32Array(1024).fill(-1);
  private prev = new Int32Array(1024).fill(-1);
  /** Which list a node is on, -1 for none. */
  private on = new Int32Array(1024).fill(-1);

  constructor(lists: number) {
    this.heads = new Int32Array(lists).fill(-1);
  }

  private grow(id: number): void {
    if (id < this.next.length) return;
    let n = this.next.length;
    while (n <= id) n *= 2;
    const g = (a: Int32Array) => {
      const b = new Int32Array(n).fill(-1);
      b.set(a);
      return b;
    };
    this.next = g(this.next);
    this.prev = g(this.prev);
    this.on = g(this.on);
  }

  /** list_add(): insert at the head. */
  add(list: number, id: number): void {
    this.grow(id);
    const h = this.heads[list];
    this.next[id] = h;
    this.prev[id] = -1;
    if (h >= 0) this.prev[h] = id;
    this.heads[list] = id;
    this.on[id] = list;
  }

  /** list_first_entry_or_null(): -1 when empty. */
  first(list: number): number {
    return this.heads[list];
  }

  listOf(id: number): number {
    return id < this.on.length ? this.on[id] : -1;
  }

  /** list_del_init(): a no-op for a node on no list. */
  remove(id: number): void {
    const list = this.listOf(id);
    if (list < 0) return;
    const p = this.prev[id];
    const n = this.next[id];
    if (p >= 0) this.next[p] = n;
    else this.heads[list] = n;
    if (n >= 0) this.prev[n] = p;
    this.on[id] = -1;
  }
}

/** Reusable small-integer ids (page frames, zspages): freed ids come back first. */
export class IdPool {
  private free: number[] = [];
  private nextId = 0;
  take(): number {
    return this.free.length > 0 ? this.free.pop()! : this.nextId++;
  }
  give(id: number): void {
    this.free.push(id);
  }
}

/** A growable Int32Array indexed by id. */
export class IntVec {
  a: Int32Array;
  constructor(initial = 1024, private readonly fill = 0) {
    this.a = new Int32Array(initial).fill(fill);
  }
  ensure(id: number): void {
    if (id < this.a.length) return;
    let n = this.a.length;
    while (n <= id) n *= 2;
    const b = new Int32Array(n).fill(this.fill);
    b.set(this.a);
    this.a = b;
  }
}
