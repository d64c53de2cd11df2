import { callerRequestId, currentRequestId, inRequestScope, newRequestId } from '../../../src/telemetry/request-scope';

describe('callerRequestId', () => {
  it("takes the caller's x-request-id when it is short and printable", () => {
    expect(callerRequestId({ 'x-request-id': 'shop-order-42/retry.1' })).toBe('shop-order-42/retry.1');
    expect(callerRequestId({ 'x-request-id': 'a'.repeat(64) })).toBe('a'.repeat(64));
  });

  it.each([
    ['too long', 'a'.repeat(65)],
    ['a space', 'two words'],
    ['a line break', 'id\nforged: log line'],
    ['non-ASCII', 'ordre-æøå'],
    ['empty', ''],
  ])('ignores an x-request-id with %s', (_what, id) => {
    expect(callerRequestId({ 'x-request-id': id })).toBeUndefined();
  });

  it("else takes the trace id of a valid W3C traceparent, and ignores an invalid one", () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(callerRequestId({ traceparent })).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(callerRequestId({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' })).toBeUndefined();
    expect(callerRequestId({ traceparent: 'not a traceparent' })).toBeUndefined();
    // Both: the request id the caller chose wins; the trace still continues from traceparent.
    expect(callerRequestId({ traceparent, 'x-request-id': 'mine' })).toBe('mine');
  });
});

describe('request scope', () => {
  it('holds the id through awaits, and only inside', async () => {
    const seen = await inRequestScope({ requestId: 'r-1' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return currentRequestId();
    });
    expect(seen).toBe('r-1');
    expect(currentRequestId()).toBeUndefined();
  });

  it('makes ids shaped like trace ids', () => {
    expect(newRequestId()).toMatch(/^[0-9a-f]{32}$/);
    expect(newRequestId()).not.toBe(newRequestId());
  });
});
