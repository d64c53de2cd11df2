/**
 * An AsyncIterable fed by pushes: what a graphql-ws subscription consumes. `onClose` runs once
 * when the consumer stops (client unsubscribed or disconnected), so the source can be released.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private closed = false;

  constructor(
    private readonly onClose: () => void,
    private readonly maxBuffered = 100,
  ) {}

  push(value: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    // A consumer this far behind only needs the latest state: drop the oldest update.
    if (this.buffer.length >= this.maxBuffered) this.buffer.shift();
    this.buffer.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.buffer.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.close();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onClose();
  }
}
