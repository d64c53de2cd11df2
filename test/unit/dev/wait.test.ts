import { NotReadyError, waitUntil } from '../../../src/dev/wait';

describe('waitUntil', () => {
  it('resolves once the probe says yes, treating a throwing probe as "not yet"', async () => {
    let calls = 0;
    await waitUntil('thing', async () => {
      calls += 1;
      if (calls === 1) throw new Error('ECONNREFUSED');
      return calls >= 3;
    }, { timeoutMs: 1000, intervalMs: 1 });
    expect(calls).toBe(3);
  });

  it('gives up after the timeout, naming what and the last error', async () => {
    const failure = waitUntil('the API', async () => {
      throw new Error('ECONNREFUSED');
    }, { timeoutMs: 20, intervalMs: 5 });
    await expect(failure).rejects.toMatchObject({ timedOut: true, message: 'the API was not ready after 0 s: ECONNREFUSED' });
  });

  it('stops at once with the abort message', async () => {
    const failure = waitUntil('the API', async () => false, { timeoutMs: 10_000, abort: () => 'worker exited with code 1' });
    await expect(failure).rejects.toBeInstanceOf(NotReadyError);
    await expect(failure).rejects.toMatchObject({ timedOut: false, message: 'worker exited with code 1' });
  });
});
