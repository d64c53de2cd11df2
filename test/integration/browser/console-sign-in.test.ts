import { startTestApi, type TestApi } from '../../support/api';

/**
 * Sign-in attempts to the support console are limited per client address (20 in any rolling
 * minute): after that even the right key is refused, so guessing keys gets nowhere. A test API
 * of its own, so its count starts at zero.
 */
describe('console sign-in limit', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  const attempt = (key: string) =>
    fetch(`${api.url}/console/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
      body: new URLSearchParams({ key, staff: 'Kari Nordmann' }),
      redirect: 'manual',
    });

  it('refuses the 21st attempt in a minute, even with the right key, with a sentence', async () => {
    for (let i = 0; i < 20; i += 1) expect((await attempt(`guess-${i}`)).status).toBe(401);
    const refused = await attempt('dev');
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(/Too many sign-in attempts from this address\. Try again in \d+ seconds\./);
    expect(refused.headers.get('set-cookie')).toBeNull();
  });
});
