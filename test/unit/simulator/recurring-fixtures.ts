import { SimProblem } from '../../../src/simulator/problems';
import type { Agreement } from '../../../src/simulator/recurring/agreement';
import type { Charge } from '../../../src/simulator/recurring/charge';

/** Fixtures for the Recurring simulator unit tests. */

export const NOW = new Date('2026-03-10T12:00:00Z');

export function aCharge(overrides: Partial<Charge> = {}): Charge {
  return {
    id: 'chr-TEST123',
    agreementId: 'agr_TEST123',
    msn: '123456',
    amount: 10000,
    currency: 'NOK',
    description: 'Monthly',
    due: '2026-03-12',
    retryDays: 2,
    type: 'RECURRING',
    transactionType: 'DIRECT_CAPTURE',
    status: 'PENDING',
    externalId: null,
    transactionId: null,
    failureReason: null,
    failureDescription: null,
    summary: { captured: 0, refunded: 0, cancelled: 0 },
    history: [],
    reservedAt: null,
    capturedAt: null,
    lastAttemptDate: null,
    createdAt: NOW.getTime(),
    ...overrides,
  };
}

export function anAgreement(overrides: Partial<Agreement> = {}): Agreement {
  return {
    id: 'agr_TEST123',
    uuid: '00000000-0000-4000-8000-000000000000',
    msn: '123456',
    status: 'PENDING',
    createdAt: NOW.getTime(),
    start: null,
    stop: null,
    productName: 'News',
    productDescription: null,
    pricing: { type: 'LEGACY', currency: 'NOK', amount: 10000 },
    interval: { unit: 'MONTH', count: 1 },
    campaign: null,
    merchantRedirectUrl: 'https://shop.example/back',
    merchantAgreementUrl: 'https://shop.example/mine',
    externalId: null,
    phoneNumber: null,
    countryCode: null,
    scope: null,
    vippsConfirmationUrl: 'http://sim/recurring-landing?agreement=agr_TEST123',
    initialChargeId: null,
    ...overrides,
  };
}

/** The Recurring problem identifier thrown by `fn`, or `ok` when it does not throw. */
export function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (!(error instanceof SimProblem)) throw error;
    return String((error.response.body as { type: string }).type.split('#')[1]);
  }
}

/** The problem `fn` throws (fails the test when it does not). */
export function problemOf(fn: () => unknown): { status: number; type: string; detail: string; extraDetails?: { field: string; text: string }[] } {
  try {
    fn();
  } catch (error) {
    if (error instanceof SimProblem) return { status: error.response.status, ...(error.response.body as { type: string; detail: string }) };
    throw error;
  }
  throw new Error('expected a problem');
}
