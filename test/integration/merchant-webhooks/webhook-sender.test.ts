import type { HostLookup } from '../../../src/merchant-webhooks/destination';
import { WebhookSender } from '../../../src/merchant-webhooks/webhook-sender';
import { TestReceiver } from './receiver';

/**
 * The sender against a receiver on a local port: the address check at send time, the connection
 * made to the address that was checked (not to what a second DNS answer says), and the timeout.
 */
describe('webhook sender', () => {
  const receiver = new TestReceiver();

  beforeAll(async () => {
    await receiver.start();
  });

  afterAll(async () => {
    await receiver.stop();
  });

  beforeEach(() => {
    receiver.hang = false;
    receiver.status = 200;
  });

  const port = () => new URL(receiver.url).port;

  it('refuses at send time a host name that now resolves to a private address, and sends nothing', async () => {
    const sender = new WebhookSender({ allowHttp: true, allowPrivate: false }, { lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
    const before = receiver.requests.length;
    const result = await sender.post(new URL(`http://hooks.shop.example:${port()}/hooks`), { 'webhook-id': 'evt_1' }, '{}');
    sender.close();
    expect(result).toMatchObject({ statusCode: null, error: 'The webhook URL points to a loopback, private or otherwise non-public address; webhooks are sent to public addresses only.' });
    expect(receiver.requests.length).toBe(before);
  });

  it('connects to the address it checked, resolving the name once, whatever a later answer would say (DNS rebinding)', async () => {
    const answers = ['127.0.0.1', '10.99.99.99'];
    let lookups = 0;
    // First answer: our receiver; any later one: an address nothing listens on.
    const lookup: HostLookup = async () => [{ address: answers[Math.min(lookups++, 1)] as string, family: 4 }];
    const sender = new WebhookSender({ allowHttp: true, allowPrivate: true }, { lookup, timeoutMs: 2_000 });
    const result = await sender.post(new URL(`http://rebind.shop.example:${port()}/hooks`), { 'webhook-id': 'evt_rebind' }, '{"a":1}');
    sender.close();
    expect(result).toMatchObject({ statusCode: 200, error: null });
    expect(lookups).toBe(1);
    const request = receiver.requests.at(-1);
    expect(request?.headers.host).toBe(`rebind.shop.example:${port()}`);
    expect(request?.body).toBe('{"a":1}');
  });

  it('gives up on a receiver that does not answer in time', async () => {
    receiver.hang = true;
    const sender = new WebhookSender({ allowHttp: true, allowPrivate: true }, { timeoutMs: 300 });
    const result = await sender.post(new URL(receiver.url), {}, '{}');
    sender.close();
    expect(result.statusCode).toBeNull();
    expect(result.error).toBe('no answer within 0.3 s');
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    expect(result.durationMs).toBeLessThan(2_000);
  });

  it('describes a refused connection in a few words, without the address', async () => {
    const closed = new TestReceiver();
    await closed.start();
    const url = new URL(closed.url);
    await closed.stop();
    const sender = new WebhookSender({ allowHttp: true, allowPrivate: true });
    const result = await sender.post(url, {}, '{}');
    sender.close();
    expect(result).toMatchObject({ statusCode: null, error: 'connection refused' });
  });

  it('does not follow redirects: a 3xx is an answer, not a new destination', async () => {
    receiver.status = 307;
    const sender = new WebhookSender({ allowHttp: true, allowPrivate: true });
    const before = receiver.requests.length;
    const result = await sender.post(new URL(receiver.url), {}, '{}');
    sender.close();
    expect(result).toMatchObject({ statusCode: 307, error: null });
    expect(receiver.requests.length).toBe(before + 1);
  });
});
