/**
 * Bounds how many calls run at once (Vipps calls on a cold page), and makes concurrent callers
 * for one key share one call (a burst of misses for one payment makes one Vipps request).
 */
export function concurrencyLimit(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  // A finished task hands its slot straight to the next waiter: `active` stays as it is. Freeing
  // it and letting the waiter take it back would leave it free for the microtask before the waiter
  // resumes, and a caller arriving then would run too (limit + 1 at once).
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}

export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  share(key: string, task: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = task().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}
