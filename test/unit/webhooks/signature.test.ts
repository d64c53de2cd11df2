import { contentHash, signWebhook, verifyWebhook } from '../../../src/webhooks/signature';

// The official test vector (docs/vipps.md §11.1).
const SECRET = 'A0+AeKBRG2KRGvnNwJpQlb6IJFk48CKXCIcrLoHncVJKDILsQSxS6NWCccwWm6r6FhGKhiHTBsG2wo/xU6FY/A==';
const URL_ = 'https://webhook.site/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63';
const DATE = 'Thu, 30 Mar 2023 08:38:32 GMT';
const BODY = '{"some-unique-content":"ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world"}';
const HASH = 'lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=';
const SIGNATURE = 'agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=';
const AUTHORIZATION = `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${SIGNATURE}`;

const target = { pathAndQuery: '/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63', host: 'webhook.site' };
const vectorHeaders = { 'x-ms-date': DATE, 'x-ms-content-sha256': HASH, host: 'webhook.site', authorization: AUTHORIZATION };

describe('webhook signature', () => {
  it('reproduces the official test vector exactly', () => {
    expect(contentHash(BODY)).toBe(HASH);
    expect(signWebhook({ secret: SECRET, url: URL_, date: new Date(DATE), body: BODY })).toEqual(vectorHeaders);
  });

  it('accepts the official test vector', () => {
    expect(verifyWebhook({ secret: SECRET, method: 'POST', url: target, headers: vectorHeaders, rawBody: BODY })).toEqual({ ok: true });
    expect(verifyWebhook({ secret: SECRET, method: 'POST', url: target, headers: vectorHeaders, rawBody: Buffer.from(BODY) })).toEqual({ ok: true });
  });

  it('rejects an altered body', () => {
    const result = verifyWebhook({ secret: SECRET, method: 'POST', url: target, headers: vectorHeaders, rawBody: BODY.replace('hello', 'HELLO') });
    expect(result).toEqual({ ok: false, reason: 'content hash does not match the body' });
  });

  it('rejects an altered body whose content hash was recomputed by the attacker', () => {
    const forged = BODY.replace('hello', 'HELLO');
    const headers = { ...vectorHeaders, 'x-ms-content-sha256': contentHash(forged) };
    expect(verifyWebhook({ secret: SECRET, method: 'POST', url: target, headers, rawBody: forged })).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('rejects an altered date', () => {
    const headers = { ...vectorHeaders, 'x-ms-date': 'Thu, 30 Mar 2023 08:38:33 GMT' };
    expect(verifyWebhook({ secret: SECRET, method: 'POST', url: target, headers, rawBody: BODY })).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('rejects a wrong secret, including the base64-decoded form of the right one', () => {
    const decoded = Buffer.from(SECRET, 'base64').toString('latin1');
    for (const secret of [SECRET.slice(1), decoded]) {
      expect(verifyWebhook({ secret, method: 'POST', url: target, headers: vectorHeaders, rawBody: BODY }).ok).toBe(false);
    }
  });

  it('rejects another path or host', () => {
    expect(verifyWebhook({ secret: SECRET, method: 'POST', url: { ...target, pathAndQuery: '/other' }, headers: vectorHeaders, rawBody: BODY }).ok).toBe(false);
    expect(verifyWebhook({ secret: SECRET, method: 'POST', url: { ...target, host: 'evil.example' }, headers: vectorHeaders, rawBody: BODY }).ok).toBe(false);
  });

  it('rejects a stale date only when maxAgeSeconds is given', () => {
    const now = new Date(Date.parse(DATE) + 10 * 60 * 1000);
    const base = { secret: SECRET, method: 'POST', url: target, headers: vectorHeaders, rawBody: BODY, now };
    expect(verifyWebhook(base)).toEqual({ ok: true });
    expect(verifyWebhook({ ...base, maxAgeSeconds: 900 })).toEqual({ ok: true });
    expect(verifyWebhook({ ...base, maxAgeSeconds: 300 })).toEqual({ ok: false, reason: 'x-ms-date is 600 s away from now' });
  });

  it('rejects missing headers', () => {
    const { authorization: _omit, ...headers } = vectorHeaders;
    expect(verifyWebhook({ secret: SECRET, method: 'POST', url: target, headers, rawBody: BODY }).ok).toBe(false);
  });

  it('signs the query string and a port in the host', () => {
    const headers = signWebhook({ secret: 's', url: 'http://127.0.0.1:8080/hooks/vipps?tenant=a', date: new Date(), body: '{}' });
    expect(headers.host).toBe('127.0.0.1:8080');
    const url = { pathAndQuery: '/hooks/vipps?tenant=a', host: '127.0.0.1:8080' };
    expect(verifyWebhook({ secret: 's', method: 'POST', url, headers, rawBody: '{}' })).toEqual({ ok: true });
    expect(verifyWebhook({ secret: 's', method: 'POST', url: { ...url, pathAndQuery: '/hooks/vipps' }, headers, rawBody: '{}' }).ok).toBe(false);
  });
});
