import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { wsClient, type TestWsClient } from '../../support/live';

/** Subscriptions are parsed and validated once per document, with the same rules as HTTP. */
describe('subscription documents', () => {
  let api: TestApi;
  const clients: TestWsClient[] = [];
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await api.close();
  });

  const subscribe = (query: string) => {
    const client = wsClient(api.url, { bearer: 'dev' });
    clients.push(client);
    return client.subscribe(query, { reference: 'order-does-not-matter' });
  };

  it('refuses a malformed subscription and one that asks for an unknown field, every time', async () => {
    for (let i = 0; i < 2; i += 1) {
      const broken = subscribe('subscription($reference: String!) { paymentUpdated(reference: $reference) { state ');
      const unknown = subscribe('subscription($reference: String!) { paymentUpdated(reference: $reference) { noSuchField } }');
      await expectEventually(async () => expect(broken.errors.length).toBeGreaterThan(0));
      await expectEventually(async () => expect(JSON.stringify(unknown.errors)).toMatch(/noSuchField/));
    }
  });

  it('applies the query limits to subscriptions', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: state`).join(' ');
    const wide = subscribe(`subscription($reference: String!) { paymentUpdated(reference: $reference) { ${aliases} } }`);
    await expectEventually(async () => expect(JSON.stringify(wide.errors)).toMatch(/uses 31 aliases; the limit is 30/));
  });
});
