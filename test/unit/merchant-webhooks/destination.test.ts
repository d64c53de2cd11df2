import { DestinationRefused, parseWebhookUrl, resolveDestination, type HostLookup } from '../../../src/merchant-webhooks/destination';

const production = { allowHttp: false, allowPrivate: false };
const simulator = { allowHttp: true, allowPrivate: true };
const lookupOf = (table: Record<string, string[]>): HostLookup => async (host) => {
  const addresses = table[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('webhook destinations (SSRF guard)', () => {
  it.each([
    ['not a url', 'The webhook URL is not a valid absolute URL.'],
    ['/relative/path', 'The webhook URL is not a valid absolute URL.'],
    ['http://shop.example/hooks', 'The webhook URL must use https.'],
    ['ftp://shop.example/hooks', 'The webhook URL must use https.'],
    ['https://user:pass@shop.example/hooks', 'The webhook URL must not contain a user name or password.'],
    ['https://localhost/hooks', 'non-public address'],
    ['https://LOCALHOST./hooks', 'non-public address'],
    ['https://api.localhost/hooks', 'non-public address'],
    ['https://127.0.0.1/hooks', 'non-public address'],
    ['https://[::1]/hooks', 'non-public address'],
    ['https://[::ffff:169.254.169.254]/latest/meta-data', 'non-public address'],
    ['https://10.0.0.5:8443/hooks', 'non-public address'],
    ['https://0x7f000001/hooks', 'non-public address'],
    ['https://2130706433/hooks', 'non-public address'],
  ])('refuses %s outside simulator mode', (url, message) => {
    expect(() => parseWebhookUrl(url, production)).toThrow(DestinationRefused);
    expect(() => parseWebhookUrl(url, production)).toThrow(message);
  });

  it('takes https URLs to public hosts, and in simulator mode http to a local receiver', () => {
    expect(parseWebhookUrl('https://shop.example/hooks?x=1', production).href).toBe('https://shop.example/hooks?x=1');
    expect(parseWebhookUrl('http://127.0.0.1:9000/hooks', simulator).href).toBe('http://127.0.0.1:9000/hooks');
    expect(() => parseWebhookUrl('ftp://127.0.0.1/hooks', simulator)).toThrow('The webhook URL must use http or https.');
  });

  it('refuses a host name when any address it resolves to is not public, and returns the first checked address otherwise', async () => {
    const lookup = lookupOf({ 'shop.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'], 'mixed.example': ['93.184.215.14', '10.0.0.1'], 'inner.example': ['169.254.169.254'] });
    await expect(resolveDestination(new URL('https://shop.example/'), production, lookup)).resolves.toEqual({ address: '93.184.215.14', family: 4 });
    await expect(resolveDestination(new URL('https://mixed.example/'), production, lookup)).rejects.toThrow('non-public address');
    await expect(resolveDestination(new URL('https://inner.example/'), production, lookup)).rejects.toThrow('non-public address');
    await expect(resolveDestination(new URL('https://unknown.example/'), production, lookup)).rejects.toThrow("The webhook URL's host name could not be resolved.");
    // WEBHOOK_ALLOW_PRIVATE=true lets them through.
    await expect(resolveDestination(new URL('https://inner.example/'), { allowHttp: false, allowPrivate: true }, lookup)).resolves.toEqual({ address: '169.254.169.254', family: 4 });
  });
});
