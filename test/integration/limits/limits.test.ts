import { startTestApi, type TestApi } from '../../support/api';

describe('API limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMIT_PER_MINUTE: '5', GRAPHQL_INTROSPECTION: 'false' });
  });
  afterAll(async () => {
    await api.close();
  });

  const post = (body: string, key = 'partner') =>
    fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });

  it('answers 429 with Retry-After once a key has used its requests for the minute, and other keys go on', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i += 1) {
      last = await post(JSON.stringify({ query: '{ payments(merchantSerialNumber: "123456", first: 1) { totalCount } }' }));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await last?.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('RATE_LIMITED');
    expect((await post(JSON.stringify({ query: '{ payments { totalCount } }' }), 'dev')).status).toBe(200);
  });

  it('refuses a query that could fan out too far, before any resolver runs', async () => {
    const res = await post(JSON.stringify({ query: 'query Wide { payments(first: 100) { edges { node { events(first: 100) { edges { node { name } } } } } } }' }), 'other');
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.message).toMatch(/could return about 30301 fields; the limit is 20000/);
    expect(api.vippsCalls()).toBe(0);
  });

  it('keeps introspection off when configured so', async () => {
    const res = await post(JSON.stringify({ query: '{ __schema { types { name } } }' }), 'reader');
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(body.errors[0]?.message).toMatch(/introspection/i);
  });

  it('answers a subscription sent over HTTP with 400 and a pointer to WebSocket', async () => {
    const res = await post(JSON.stringify({ query: 'subscription { paymentUpdated(reference: "bench-1") { state } }' }), 'dev');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0]?.message).toMatch(/WebSocket \(graphql-ws\) on \/graphql/);
    expect(body.data).toBeUndefined();
  });

  it('refuses batched requests and bodies over 1 MB', async () => {
    const batch = await post(JSON.stringify([{ query: '{ payments { totalCount } }' }, { query: '{ payments { totalCount } }' }]), 'reader');
    expect(batch.status).toBe(400);
    const huge = await post(JSON.stringify({ query: `{ payments { totalCount } } # ${'x'.repeat(1024 * 1024)}` }), 'reader');
    expect(huge.status).toBe(413);
  });
});
