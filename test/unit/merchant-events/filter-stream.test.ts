import { filterStream } from '../../../src/merchant-events/filter-stream';
import { AsyncQueue } from '../../../src/live/async-queue';

describe('filterStream', () => {
  it('passes the items that match, in order', async () => {
    const source = new AsyncQueue<number>(() => undefined);
    const evens = filterStream(source, (n) => n % 2 === 0);
    for (const n of [1, 2, 3, 4]) source.push(n);
    expect(await evens.next()).toEqual({ value: 2, done: false });
    expect(await evens.next()).toEqual({ value: 4, done: false });
  });

  it('releases the source at once when ended while waiting for an item (a client unsubscribing)', async () => {
    let released = false;
    const source = new AsyncQueue<number>(() => void (released = true));
    const evens = filterStream(source, (n) => n % 2 === 0);
    const pending = evens.next();
    await evens.return?.();
    expect(released).toBe(true);
    expect(await pending).toEqual({ value: undefined, done: true });
  });
});
