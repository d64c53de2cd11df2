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
    const results = await Promise.all([flights.run('a', task), flights.run('a', task), flights.run('b', task)]);
    expect(results).toEqual([42, 42, 42]);
    expect(calls).toBe(2);
    await flights.run('a', task);
    expect(calls).toBe(3);
  });
});
