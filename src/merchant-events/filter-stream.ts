/**
 * The items of `source` that pass `keep`. Ending it ends the source at once (graphql-ws calls
 * `return` when a client unsubscribes), even while it waits for the next item: an async generator
 * would wait for that item first, and hold the Redis subscription until it came.
 */
export function filterStream<T>(source: AsyncIterableIterator<T>, keep: (item: T) => boolean): AsyncIterableIterator<T> {
  return {
    async next() {
      for (;;) {
        const item = await source.next();
        if (item.done || keep(item.value)) return item;
      }
    },
    return: () => (source.return ? source.return() : Promise.resolve({ value: undefined, done: true })),
    throw: (error: unknown) => (source.throw ? source.throw(error) : Promise.reject(error)),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
