import {
  VippsApiError,
  VippsAuthenticationError,
  VippsConflictError,
  VippsConnectionError,
  VippsError,
  vippsErrorFromResponse,
  VippsInvalidRequestError,
  VippsLockedError,
  VippsNotFoundError,
  VippsPermissionError,
  VippsRateLimitError,
  type VippsErrorContext,
} from '../../../src/vipps/errors';

const epayment: VippsErrorContext = { api: 'epayment', method: 'POST', path: '/epayment/v1/payments/acme-1/capture', msn: '123456' };
const recurring: VippsErrorContext = { api: 'recurring', method: 'POST', path: '/recurring/v3/agreements/agr_1/charges', msn: '123456' };

describe('vippsErrorFromResponse: classes by status', () => {
  it.each([
    [400, VippsInvalidRequestError],
    [422, VippsInvalidRequestError],
    [415, VippsInvalidRequestError],
    [401, VippsAuthenticationError],
    [403, VippsPermissionError],
    [404, VippsNotFoundError],
    [409, VippsConflictError],
    [423, VippsLockedError],
    [429, VippsRateLimitError],
    [500, VippsApiError],
    [502, VippsApiError],
    [503, VippsApiError],
  ])('%i → %p', (status, ErrorClass) => {
    const error = vippsErrorFromResponse(status, undefined, {}, epayment);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(VippsError);
    expect(error.name).toBe(ErrorClass.name);
    expect(error.status).toBe(status);
  });
});

describe('vippsErrorFromResponse: bodies', () => {
  it('reads an ePayment problem with a numeric ErrorCode', () => {
    const body = {
      type: 'https://developer.vippsmobilepay.com/docs/APIs/epayment-api/api-guide/errors#6080',
      title: 'Bad Request',
      detail: 'Cannot capture before reservation',
      status: 400,
      instance: '/epayment/v1/problems/1',
      traceId: 'abc123',
      extraDetails: [{ name: 'ErrorCode', reason: '6080' }],
    };
    const error = vippsErrorFromResponse(400, body, {}, epayment);
    expect(error).toBeInstanceOf(VippsInvalidRequestError);
    expect(error).toMatchObject({ code: '6080', traceId: 'abc123', title: 'Bad Request', detail: 'Cannot capture before reservation', problem: undefined });
    expect(error.message).toBe(
      'Vipps POST /epayment/v1/payments/acme-1/capture failed: 400 Bad Request: Cannot capture before reservation (code 6080, traceId abc123)',
    );
  });

  it('reads an ePayment validation problem (field and rule, no code)', () => {
    const extraDetails = [{ name: 'amount.value', reason: 'must be at least 100' }];
    const body = { type: 'https://x/errors#400', title: 'Bad Request', status: 400, detail: 'One or more validation errors occurred.', traceId: 't1', extraDetails };
    const error = vippsErrorFromResponse(400, body, {}, epayment);
    expect(error.code).toBeUndefined();
    expect(error.extraDetails).toEqual(extraDetails);
  });

  it('reads a Recurring ErrorV3: identifier from the type fragment, contextId as traceId', () => {
    const body = {
      type: 'https://developer.vippsmobilepay.com/docs/APIs/recurring-api/recurring-api-problems#charge-due-too-soon',
      title: 'Bad Request',
      status: 400,
      detail: 'Due date must be at least 1 day ahead',
      instance: '/recurring/v3/problems/1',
      contextId: 'ctx-42',
      extraDetails: [{ field: 'due', text: 'too soon' }],
    };
    const error = vippsErrorFromResponse(400, body, {}, recurring);
    expect(error).toMatchObject({ problem: 'charge-due-too-soon', traceId: 'ctx-42', code: undefined });
  });

  it('reads the gateway 401 body {statusCode, message}', () => {
    const body = { statusCode: 401, message: 'Access denied due to invalid subscription key. Make sure to provide a valid key.' };
    const error = vippsErrorFromResponse(401, body, {}, epayment);
    expect(error).toBeInstanceOf(VippsAuthenticationError);
    expect(error).toMatchObject({ title: 'Unauthorized', detail: body.message, traceId: undefined });
  });

  it('reads the gateway body {responseInfo, result} from the Recurring spec', () => {
    const body = { responseInfo: { responseCode: 401, responseMessage: 'Unauthorized' }, result: { message: 'Access denied due to missing subscription key.' } };
    const error = vippsErrorFromResponse(401, body, {}, recurring);
    expect(error).toMatchObject({ title: 'Unauthorized', detail: 'Access denied due to missing subscription key.' });
  });

  it('reads 429 Retry-After from Headers (seconds)', () => {
    const error = vippsErrorFromResponse(429, { statusCode: 429, message: 'Rate limit is exceeded.' }, new Headers({ 'Retry-After': '7' }), epayment);
    expect(error).toBeInstanceOf(VippsRateLimitError);
    expect(error.retryAfterSeconds).toBe(7);
  });

  it('reads Retry-After from a plain header record, case-insensitively', () => {
    expect(vippsErrorFromResponse(429, undefined, { 'retry-after': '3' }, epayment).retryAfterSeconds).toBe(3);
  });

  it('copes with an empty body', () => {
    const error = vippsErrorFromResponse(503, undefined, {}, epayment);
    expect(error).toMatchObject({ title: 'Service Unavailable', detail: undefined });
    expect(error.message).toBe('Vipps POST /epayment/v1/payments/acme-1/capture failed: 503 Service Unavailable');
  });

  it('does not copy an HTML body into the error', () => {
    const html = '<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>';
    const error = vippsErrorFromResponse(502, html, {}, epayment);
    expect(error).toBeInstanceOf(VippsApiError);
    expect(error).toMatchObject({ title: 'Bad Gateway', detail: undefined });
    expect(error.message).not.toContain('<html>');
  });

  it('scrubs secrets from any text Vipps echoes back', () => {
    const body = { statusCode: 401, message: 'Access denied for key sub-key-1234567890 and token eyJtoken' };
    const error = vippsErrorFromResponse(401, body, {}, { ...epayment, secrets: ['sub-key-1234567890', 'eyJtoken', undefined] });
    expect(error.message).not.toContain('sub-key-1234567890');
    expect(error.message).not.toContain('eyJtoken');
    expect(error.detail).toBe('Access denied for key [redacted] and token [redacted]');
  });
});

describe('VippsConnectionError', () => {
  it('has no status and says whether it timed out', () => {
    const error = new VippsConnectionError({ ...epayment, timedOut: true });
    expect(error).toBeInstanceOf(VippsError);
    expect(error).toMatchObject({ status: undefined, timedOut: true, title: 'Request timed out' });
    expect(error.message).toBe('Vipps POST /epayment/v1/payments/acme-1/capture failed: Request timed out');
  });
});
