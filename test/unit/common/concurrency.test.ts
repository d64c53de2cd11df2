import fc from 'fast-check';
import { concurrencyLimit, SingleFlight } from '../../../src/common/concurrency';

describe('concurrency helpers', () => {
  it('never runs more than the limit at once', async () => {
    const limit = concurrencyLimit(3);
    let active = 0;
    let peak = 0;
    const task = async () => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setImmediate(resolve));
      active -= 1;
    };
    await Promise.all(Array.from({ length: 20 }, () => limit(task)));
    expect(peak).toBe(3);
  });

  it('shares one call between concurrent callers of one key', async () => {
    const flights = new SingleFlight<number>();
    let calls = 0;
    const task = async () => {
      calls += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return 42;
    };
    const results = await Promise.all([flights.share('a', task), flights.share('a', task), flights.share('b', task)]);
    expect(results).toEqual([42, 42, 42]);
    expect(calls).toBe(2);
    await flights.share('a', task);
    expect(calls).toBe(3);
  });
});

/** A task the test ends by hand, recording how many of its kind run at once. */
class Tasks {
  running = 0;
  peak = 0;
  started = 0;
  private readonly ends: { resolve: () => void; reject: (error: Error) => void }[] = [];

  /** A task for `limit`: it counts itself running until the test ends it. */
  task = (): Promise<void> => {
    this.started += 1;
    this.running += 1;
    this.peak = Math.max(this.peak, this.running);
    return new Promise<void>((resolve, reject) => {
      const stop = () => (this.running -= 1);
      this.ends.push({ resolve: () => (stop(), resolve()), reject: (error) => (stop(), reject(error)) });
    });
  };

  get open(): number {
    return this.ends.length;
  }

  /** Ends the `index`th running task (oldest first), successfully or with an error. */
  end(index = 0, fail = false): void {
    const [end] = this.ends.splice(index, 1);
    if (fail) end?.reject(new Error('task failed'));
    else end?.resolve();
  }
}

/** Lets whatever the last step set going run its course (a few microtasks; no timers, no I/O). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('concurrencyLimit at the moment a slot is released', () => {
  // A caller arriving between the release of a slot and the start of the waiter it woke must not
  // take the slot too. Where exactly that moment falls depends on how many microtasks the limiter
  // takes, so try the arrival at every offset from the end of the first task.
  it.each(Array.from({ length: 8 }, (_, offset) => offset))('runs one task at limit 1 when a third arrives %i microtasks after the first ends', async (offset) => {
    const limit = concurrencyLimit(1);
    const tasks = new Tasks();
    const first = limit(tasks.task);
    const second = limit(tasks.task);
    await settle();
    expect(tasks.started).toBe(1);

    tasks.end();
    for (let i = 0; i < offset; i++) await Promise.resolve();
    const third = limit(tasks.task);
    for (let round = 0; round < 3; round++) {
      await settle();
      tasks.end();
    }
    await Promise.all([first, second, third]);
    expect(tasks.peak).toBe(1);
    expect(tasks.started).toBe(3);
  });

  it('gives the slot of a task that throws to the next one', async () => {
    const limit = concurrencyLimit(1);
    const tasks = new Tasks();
    const failing = limit(tasks.task);
    const next = limit(tasks.task);
    await settle();
    tasks.end(0, true);
    await expect(failing).rejects.toThrow('task failed');
    await settle();
    expect(tasks.started).toBe(2);
    tasks.end();
    await expect(next).resolves.toBeUndefined();
    expect(tasks.peak).toBe(1);
  });

  it('never runs more than the limit, and runs every task, whatever the order of arrivals and ends', async () => {
    const step = fc.oneof(
      fc.constant({ kind: 'arrive' as const }),
      fc.record({ kind: fc.constant('end' as const), pick: fc.nat(), fail: fc.boolean() }),
      fc.record({ kind: fc.constant('wait' as const), microtasks: fc.nat({ max: 4 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(step, { minLength: 10, maxLength: 60 }), async (max, steps) => {
        const limit = concurrencyLimit(max);
        const tasks = new Tasks();
        const calls: Promise<string>[] = [];
        for (const s of steps) {
          if (s.kind === 'arrive') calls.push(limit(tasks.task).then(() => 'ok', () => 'failed'));
          else if (s.kind === 'end') tasks.end(tasks.open > 0 ? s.pick % tasks.open : 0, s.fail);
          else for (let i = 0; i < s.microtasks; i++) await Promise.resolve();
          expect(tasks.peak).toBeLessThanOrEqual(max);
        }
        // Drain: end what runs, oldest first; every waiting call gets a slot within these rounds.
        for (let round = 0; round <= calls.length; round++) {
          await settle();
          tasks.end();
          expect(tasks.peak).toBeLessThanOrEqual(max);
        }
        expect(tasks.started).toBe(calls.length);
        expect(tasks.open).toBe(0);
        await Promise.all(calls);
      }),
      { numRuns: 300 },
    );
  });
});
