interface Entry {
  at: number;
  key: string;
}

/**
 * Keys ordered by the time they fall due (a binary min-heap), so the clock visits only what is
 * due rather than everything that might be. A key can be pushed again with a new time; the owner
 * tells stale entries from current ones when they come out.
 */
export class DueQueue {
  private readonly heap: Entry[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(at: number, key: string): void {
    this.heap.push({ at, key });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.at(parent) <= at) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns every key due at `nowMs` or earlier, earliest first. */
  popDue(nowMs: number): string[] {
    const due: string[] = [];
    while (this.heap.length > 0 && this.at(0) <= nowMs) due.push(this.popFirst());
    return due;
  }

  clear(): void {
    this.heap.length = 0;
  }

  private popFirst(): string {
    const first = this.heap[0] as Entry;
    const last = this.heap.pop() as Entry;
    if (this.heap.length === 0) return first.key;
    this.heap[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      let smallest = i;
      if (left < this.heap.length && this.at(left) < this.at(smallest)) smallest = left;
      if (left + 1 < this.heap.length && this.at(left + 1) < this.at(smallest)) smallest = left + 1;
      if (smallest === i) return first.key;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private at(i: number): number {
    return (this.heap[i] as Entry).at;
  }

  private swap(i: number, j: number): void {
    const entry = this.heap[i] as Entry;
    this.heap[i] = this.heap[j] as Entry;
    this.heap[j] = entry;
  }
}
