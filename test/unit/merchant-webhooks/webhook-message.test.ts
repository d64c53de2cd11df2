import { Webhook } from 'standardwebhooks';
import type { MerchantEvent } from '../../../src/merchant-events/merchant-event';
import { newEndpointSecret, signedMessage } from '../../../src/merchant-webhooks/webhook-message';

const event: MerchantEvent = {
  id: 'evt_0123456789abcdef0123456789abcdef',
  type: 'CAPTURE_DEADLINE_APPROACHING',
  merchantSerialNumber: '123456',
  occurredAt: '2026-11-25T07:00:00.000Z',
  captureWarning: { capturable: { value: 49_900, currency: 'NOK' }, deadline: '2026-11-26T07:00:00.000Z' },
};

describe('signed merchant webhook message (Standard Webhooks)', () => {
  it("is accepted by the reference library's verify, which returns the body", () => {
    const secret = newEndpointSecret();
    const message = signedMessage(event, secret, new Date());
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(message.headers['webhook-id']).toBe(event.id);
    expect(message.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(message.body, message.headers)).toEqual({
      type: 'CAPTURE_DEADLINE_APPROACHING',
      timestamp: '2026-11-25T07:00:00.000Z',
      data: { merchantSerialNumber: '123456', captureWarning: event.captureWarning },
    });
  });

  it('fails verification with another secret, an altered body, another id, or an old timestamp', () => {
    const secret = newEndpointSecret();
    const message = signedMessage(event, secret, new Date());
    expect(() => new Webhook(newEndpointSecret()).verify(message.body, message.headers)).toThrow('No matching signature found');
    expect(() => new Webhook(secret).verify(message.body.replace('49900', '1'), message.headers)).toThrow('No matching signature found');
    expect(() => new Webhook(secret).verify(message.body, { ...message.headers, 'webhook-id': 'evt_other' })).toThrow('No matching signature found');
    const replayed = signedMessage(event, secret, new Date(Date.now() - 10 * 60_000));
    expect(() => new Webhook(secret).verify(replayed.body, replayed.headers)).toThrow('Message timestamp too old');
  });
});
