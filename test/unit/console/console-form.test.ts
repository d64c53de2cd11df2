import type { IncomingMessage } from 'node:http';
import { crossSite, formIdempotencyKey, parseAmount, reasonText, staffName } from '../../../src/console/console-form';
import { checkIdempotencyKey } from '../../../src/common/idempotency-key';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers: { host: 'api.example:4000', ...headers } } as unknown as IncomingMessage;
}

describe('console forms', () => {
  it('reads amounts exactly as minor units, with a point or a comma, and refuses the rest', () => {
    expect(parseAmount('150.50')).toBe(15050);
    expect(parseAmount('150,5')).toBe(15050);
    expect(parseAmount(' 1 000 ')).toBe(100000);
    expect(parseAmount('0.07')).toBe(7);
    expect(parseAmount('19.99')).toBe(1999); // 19.99 * 100 is 1998.9999999999998 in floats
    for (const bad of ['', '0', '0.00', '-5', '1.005', '1e3', 'abc', '12.', '.5', '99999999']) expect(parseAmount(bad)).toBeNull();
  });

  it('takes a plausible staff name and a one-line reason of at most 200 characters', () => {
    expect(staffName('  Kari   Nordmann ')).toBe('Kari Nordmann');
    expect(staffName("Åse O'Neil-Ødegård")).toBe("Åse O'Neil-Ødegård");
    for (const bad of ['', ' ', '<script>', 'kari@example.com', '4791234567', 'x'.repeat(61)]) expect(staffName(bad)).toBeNull();
    expect(reasonText(' Customer\nreturned it ')).toBe('Customer returned it');
    expect(reasonText('  ')).toBeNull();
    expect(reasonText('x'.repeat(201))).toBeNull();
  });

  it('refuses a post another site made, by Sec-Fetch-Site or by Origin', () => {
    expect(crossSite(request({ 'sec-fetch-site': 'same-origin', origin: 'http://api.example:4000' }), 'https://console.example')).toBe(false);
    expect(crossSite(request({}), 'https://console.example')).toBe(false); // a client that is not a browser
    expect(crossSite(request({ origin: 'https://console.example' }), 'https://console.example')).toBe(false); // behind a proxy
    expect(crossSite(request({ 'sec-fetch-site': 'same-site' }), 'https://console.example')).toBe(true);
    expect(crossSite(request({ 'sec-fetch-site': 'cross-site' }), 'https://console.example')).toBe(true);
    expect(crossSite(request({ origin: 'http://api.example:4001' }), 'https://console.example')).toBe(true);
    expect(crossSite(request({ origin: 'null' }), 'https://console.example')).toBe(true);
  });

  it('derives one idempotency key per confirmation form that both Vipps APIs accept', () => {
    const key = formIdempotencyKey('nonce-aaaaaaaaaaaaaaaaaaaa', '123456', 'order-1', 'refund', '15050');
    expect(key).toHaveLength(40);
    expect(() => checkIdempotencyKey(key)).not.toThrow();
    expect(formIdempotencyKey('nonce-aaaaaaaaaaaaaaaaaaaa', '123456', 'order-1', 'refund', '15050')).toBe(key);
    expect(formIdempotencyKey('nonce-bbbbbbbbbbbbbbbbbbbb', '123456', 'order-1', 'refund', '15050')).not.toBe(key);
    expect(formIdempotencyKey('nonce-aaaaaaaaaaaaaaaaaaaa', '123456', 'order-1', 'refund', '15051')).not.toBe(key);
  });
});
