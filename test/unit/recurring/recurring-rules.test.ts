import { signAgreementPageToken, verifyAgreementPageToken } from '../../../src/recurring/agreement-token';
import { priceText } from '../../../src/agreement-page/agreement-page.format';
import { TEXT } from '../../../src/agreement-page/agreement-page.text';
import { escapeHtml } from '../../../src/common/escape-html';
import { signStatusToken, verifyStatusToken } from '../../../src/access/status-token';
import { ErrorCode, UserFacingError } from '../../../src/common/error-code';
import { explainRecurringFailure } from '../../../src/recurring/recurring-errors';
import type { AgreementRecord } from '../../../src/recurring/recurring-record';
import type { ChargeRecord } from '../../../src/recurring/recurring-record';
import { checkCreateCharge, checkRefundCharge } from '../../../src/recurring/recurring-validation';

const agreement: AgreementRecord = {
  merchantSerialNumber: '123456', agreementId: 'agr_TEST123', uuid: null, status: 'ACTIVE', productName: 'News', productDescription: null,
  pricing: { type: 'LEGACY', currency: 'NOK', amount: 19900, suggestedMaxAmount: null, maxAmount: null }, interval: { unit: 'MONTH', count: 1, text: null },
  campaign: null, merchantAgreementUrl: 'https://x.example', merchantRedirectUrl: 'https://x.example', vippsConfirmationUrl: null, externalId: null,
  countryCode: 'NO', sub: null, userinfoUrl: null, created: '2026-01-01T00:00:00Z', start: null, stop: null,
};

describe('Recurring pure rules', () => {
  it('maps every Recurring problem identifier (docs/vipps.md §5) to its own code, not the fallback', () => {
    const identifiers = [
      'validation-error', 'invalid-agreement-id', 'invalid-json', 'unsupported-media-type', 'not-authorized', 'idempotency-key-header', 'charge-amount-too-high',
      'charge-due-too-soon', 'charge-due-in-too-long', 'unsupported-feature', 'illegal-agreement-update', 'invalid-suggested-max-amount', 'cancel-charge-failed',
      'charge-creation-failed', 'charge-capture-failed', 'missing-request-header', 'invalid-sale-unit', 'resource-not-found', 'operation-failed', 'conflict', 'idempotency-conflict',
    ];
    const fallback = explainRecurringFailure({ status: 400 }, { operation: 'create-charge' }).message;
    for (const problem of identifiers) {
      const mapped = explainRecurringFailure({ status: 400, problem, traceId: 't-1' }, { operation: 'create-charge', agreement });
      expect(mapped.message).not.toBe(fallback);
      expect(mapped).toMatchObject({ vippsErrorCode: problem, traceId: 't-1' });
      expect(mapped.message).toMatch(/^[A-Z].*\.$/);
    }
    expect(explainRecurringFailure({ status: 400, problem: 'charge-amount-too-high' }, { operation: 'capture' }).code).toBe(ErrorCode.CAPTURE_AMOUNT_TOO_HIGH);
    expect(explainRecurringFailure({ status: 400, problem: 'operation-failed' }, { operation: 'refund' }).code).toBe(ErrorCode.REFUND_NOT_ALLOWED);
    expect(explainRecurringFailure({ status: 503 }, { operation: 'refund' }).code).toBe(ErrorCode.VIPPS_UNAVAILABLE);
  });

  it('checks due dates against the given day: one day ahead at the earliest, two years at the latest', () => {
    const today = new Date('2026-03-10T23:59:00Z');
    const charge = (due: string) => () => checkCreateCharge(agreement, { amount: { value: 19900, currency: 'NOK' }, description: 'x', type: 'RECURRING', due, retryDays: 2 }, today);
    expect(charge('2026-03-11')).not.toThrow();
    expect(charge('2028-03-10')).not.toThrow();
    for (const bad of ['2026-03-10', '2028-03-11', '2026-02-29', '11-03-2026']) {
      expect(charge(bad)).toThrow(UserFacingError);
      try {
        charge(bad)();
      } catch (error) {
        expect((error as UserFacingError).error.code).toBe(ErrorCode.INVALID_DUE_DATE);
      }
    }
  });

  it('signs agreement page links that only this secret opens, that expire, and that are never status tokens', () => {
    const token = signAgreementPageToken('s3cret', { msn: '123456', createKey: 'k-1', exp: 2_000 });
    expect(verifyAgreementPageToken('s3cret', token, 1_000)).toEqual({ msn: '123456', createKey: 'k-1', exp: 2_000 });
    expect(verifyAgreementPageToken('other', token, 1_000)).toBeNull();
    expect(verifyAgreementPageToken('s3cret', token, 2_000)).toBeNull();
    const byId = signAgreementPageToken('s3cret', { msn: '123456', agreementId: 'agr_X', exp: 2_000 });
    expect(verifyAgreementPageToken('s3cret', byId, 1_000)).toEqual({ msn: '123456', agreementId: 'agr_X', exp: 2_000 });
    // Same secret, different purposes: neither token verifies as the other.
    const status = signStatusToken('s3cret', { msn: '123456', reference: 'ref-12345678', exp: 2_000 });
    expect(verifyAgreementPageToken('s3cret', status.replace(/^v1\./, 'a1.'), 1_000)).toBeNull();
    expect(verifyStatusToken('s3cret', token.replace(/^a1\./, 'v1.'), 1_000)).toBeNull();
  });

  it('escapes HTML and words prices for the customer', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    expect(priceText(agreement, TEXT.en)).toBe('NOK\u00a0199.00 every month');
    expect(priceText({ ...agreement, pricing: { ...agreement.pricing, type: 'VARIABLE', amount: null, suggestedMaxAmount: 50000, maxAmount: 30000 } }, TEXT.en)).toBe('Up to NOK\u00a0300.00 every month');
    expect(priceText({ ...agreement, pricing: { ...agreement.pricing, type: 'FLEXIBLE', amount: null }, interval: null }, TEXT.en)).toBe('Pay per use');
  });

  it('says why a partially captured charge cannot be refunded yet, without claiming nothing was captured', () => {
    const charge: ChargeRecord = {
      merchantSerialNumber: '123456', agreementId: 'agr_TEST123', chargeId: 'chr-1', status: 'PARTIALLY_CAPTURED', type: 'RECURRING', transactionType: 'RESERVE_CAPTURE',
      amount: 30000, currency: 'NOK', description: 'x', due: '2026-03-11T00:00:00Z', retryDays: 2, externalId: null, externalAgreementId: null, transactionId: null,
      failureReason: null, failureDescription: null, summary: { captured: 15000, refunded: 0, cancelled: 0 }, history: [],
    };
    expect(() => checkRefundCharge(charge, null)).toThrow('Charge chr-1 cannot be refunded while it is partially captured: capture the rest or cancel the remainder first.');
    expect(() => checkRefundCharge({ ...charge, status: 'RESERVED', summary: { captured: 0, refunded: 0, cancelled: 0 } }, null)).toThrow('no money has been captured');
  });
});
