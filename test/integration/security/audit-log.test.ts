import { startTestApi, type TestApi } from '../../support/api';
import { AGREEMENT_PAGE_ACTOR } from '../../../src/audit/audit-entry';
import { activeAgreement, key as recurringKey, UPDATE_AGREEMENT } from '../recurring/recurring-support';
import { AUDIT_LOG, authorized, CAPTURE, idem, NOK, REFUND } from './security-support';

/**
 * The audit log answers "who refunded this?": every money mutation is kept per merchant with
 * the key id, amount, idempotency key and outcome, readable with the support scope only.
 */
describe('audit log', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('shows a refund by key partner with its key id, amounts, idempotency key and outcome', async () => {
    const reference = await authorized(api, 50000);
    const captureKey = idem('cap');
    const capture = await api.gql(CAPTURE, { input: { merchantSerialNumber: '123456', reference, idempotencyKey: captureKey, amount: NOK(30000) } }, 'partner');
    expect(capture.data.capturePayment.errors).toEqual([]);
    const refundKey = idem('ref');
    const refund = await api.gql(REFUND, { input: { merchantSerialNumber: '123456', reference, idempotencyKey: refundKey, amount: NOK(12500) } }, 'partner');
    expect(refund.data.refundPayment.errors).toEqual([]);

    const log = await api.gql(AUDIT_LOG, { msn: '123456', reference }, 'partner');
    expect(log.errors).toBeUndefined();
    const entries = log.data.auditLog.edges.map((e: any) => e.node);
    // Newest first: refund, capture, create.
    expect(entries.map((e: any) => e.operation)).toEqual(['refundPayment', 'capturePayment', 'createPayment']);
    expect(entries[0]).toMatchObject({
      actor: 'partner',
      merchantSerialNumber: '123456',
      reference,
      amount: { value: 12500, currency: 'NOK' },
      idempotencyKey: refundKey,
      outcome: 'OK',
    });
    expect(entries[1]).toMatchObject({ actor: 'partner', amount: { value: 30000, currency: 'NOK' }, idempotencyKey: captureKey, outcome: 'OK' });
    expect(entries[2]).toMatchObject({ actor: 'dev', amount: { value: 50000, currency: 'NOK' }, outcome: 'OK' });
    expect(Date.now() - Date.parse(entries[0].at)).toBeLessThan(60_000);
    // The cursor is the stream id, and a page goes on from it.
    const next = await api.gql(AUDIT_LOG, { msn: '123456', reference, first: 1, after: log.data.auditLog.edges[0].cursor }, 'dev');
    expect(next.data.auditLog.edges.map((e: any) => e.node.operation)).toEqual(['capturePayment']);
    expect(next.data.auditLog.pageInfo.hasNextPage).toBe(true);
  });

  it('keeps what is done outside the money mutations too, each with its actor: an agreement update, the customer stopping on the agreement page, a receipt', async () => {
    const agreement = await activeAgreement(api, { price: 10000 });
    const updateKey = recurringKey('upd');
    const updated = await api.gql(UPDATE_AGREEMENT, { input: { merchantSerialNumber: '123456', agreementId: agreement.agreementId, idempotencyKey: updateKey, price: 12900 } }, 'partner');
    expect(updated.data.updateAgreement.errors).toEqual([]);
    // The customer presses Stop on the page the agreement links to (a plain form POST).
    const page = `${api.url}${new URL(agreement.merchantAgreementUrl).pathname}/stop`;
    expect((await fetch(page, { method: 'POST', redirect: 'manual' })).status).toBeLessThan(400);
    const byAgreement = await api.gql(AUDIT_LOG, { msn: '123456', agreementId: agreement.agreementId }, 'dev');
    const entries = byAgreement.data.auditLog.edges.map((e: any) => e.node);
    expect(entries.map((e: any) => [e.operation, e.actor, e.outcome])).toEqual([
      ['stopAgreement', AGREEMENT_PAGE_ACTOR, 'OK'],
      ['updateAgreement', 'partner', 'OK'],
      ['createAgreement', 'dev', 'OK'],
    ]);
    expect(entries[1].idempotencyKey).toBe(updateKey);

    const reference = await authorized(api, 20000);
    const receipt = { currency: 'NOK', orderLines: [{ id: 'l1', name: 'Ticket', totalAmount: 20000, totalAmountExcludingTax: 16000, totalTaxAmount: 4000, taxRate: 2500 }] };
    const added = await api.gql(`mutation($input: AddPaymentReceiptInput!) { addPaymentReceipt(input: $input) { errors { code message } } }`, { input: { reference, receipt } }, 'dev');
    expect(added.data.addPaymentReceipt.errors).toEqual([]);
    const byPayment = await api.gql(AUDIT_LOG, { msn: '123456', reference, first: 1 }, 'dev');
    expect(byPayment.data.auditLog.edges[0].node).toMatchObject({ operation: 'addPaymentReceipt', actor: 'dev', outcome: 'OK' });
  });

  it('refuses a key without the support scope', async () => {
    const res = await api.gql(AUDIT_LOG, { msn: '123456' }, 'reader');
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toMatch(/support/);
  });

  it('keeps a refused capture with its ErrorCode and the amount asked for', async () => {
    const reference = await authorized(api, 10000);
    const key = idem('too-much');
    const res = await api.gql(CAPTURE, { input: { reference, idempotencyKey: key, amount: NOK(20000) } }, 'dev');
    expect(res.data.capturePayment.errors[0].code).toBe('CAPTURE_AMOUNT_TOO_HIGH');
    const log = await api.gql(AUDIT_LOG, { reference, first: 1 }, 'dev');
    expect(log.data.auditLog.edges[0].node).toMatchObject({
      actor: 'dev',
      operation: 'capturePayment',
      amount: { value: 20000, currency: 'NOK' },
      idempotencyKey: key,
      outcome: 'CAPTURE_AMOUNT_TOO_HIGH',
    });
  });

  it("shows a key nothing of a merchant it does not serve, and refuses a forged cursor", async () => {
    const foreign = await api.gql(AUDIT_LOG, { msn: '123456' }, 'other');
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data.auditLog.edges).toEqual([]);
    const forged = await api.gql(AUDIT_LOG, { msn: '123456', after: '+' }, 'dev');
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('writes a durable stream per merchant, capped and without a TTL', async () => {
    const key = `${api.config.redis.prefix}:audit:{123456}`;
    expect(await api.redis.type(key)).toBe('stream');
    expect(await api.redis.ttl(key)).toBe(-1);
  });
});
