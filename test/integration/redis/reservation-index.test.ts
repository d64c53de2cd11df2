import type { Redis } from 'ioredis';
import { ReservationIndex } from '../../../src/merchant-events/reservation-index';
import type { PaymentRecord } from '../../../src/payments/payment-record';
import type { ChargeRecord } from '../../../src/recurring/recurring-record';
import { redisKeys } from '../../../src/redis/keys';
import { deleteKeys, testRedis, uniquePrefix } from '../../support/redis';

const MSN = '123456';
const DAY_MS = 86_400_000;

/** An authorized payment whose reservation Vipps guarantees until `deadlineMs`. */
const payment = (reference: string, deadlineMs: number, captured = 0): PaymentRecord =>
  ({
    merchantSerialNumber: MSN, reference, state: 'AUTHORIZED', amount: { value: 10_000, currency: 'NOK' },
    aggregate: { authorized: 10_000, captured, refunded: 0, cancelled: 0 }, captureGuaranteedUntil: new Date(deadlineMs).toISOString(), authorizedAt: null,
  }) as unknown as PaymentRecord;
/** A reserved NOK charge: its deadline is 180 days after the reservation. */
const charge = (chargeId: string, deadlineMs: number, status: ChargeRecord['status'] = 'RESERVED'): ChargeRecord =>
  ({
    merchantSerialNumber: MSN, agreementId: 'agr_A', chargeId, status, amount: 5_000, currency: 'NOK', summary: { captured: status === 'CHARGED' ? 5_000 : 0, refunded: 0, cancelled: 0 },
    history: [{ occurred: new Date(deadlineMs - 180 * DAY_MS).toISOString(), event: 'RESERVE', amount: 5_000, idempotencyKey: null, success: true }],
  }) as unknown as ChargeRecord;

/** The expiring-reservations index (src/merchant-events/reservation-index.ts) against the real test Redis. */
describe('ReservationIndex', () => {
  const prefix = uniquePrefix('reservations');
  let redis: Redis;
  let index: ReservationIndex;
  const now = Date.UTC(2026, 10, 25);

  beforeAll(() => {
    redis = testRedis();
    index = new ReservationIndex(redis, redisKeys(prefix));
  });

  afterEach(() => deleteKeys(redis, prefix));
  afterAll(() => redis.quit());

  /** Every page of `first`, following the cursors: the members in order. */
  async function walk(first: number, kinds: ('payment' | 'charge')[] = ['payment', 'charge'], before = now + 365 * DAY_MS): Promise<string[]> {
    const seen: string[] = [];
    let cursor = null;
    for (let pages = 0; pages < 50; pages += 1) {
      const page = await index.page(MSN, kinds, now, before, first, cursor);
      seen.push(...page.entries.map((e) => e.member));
      const last = page.entries.at(-1);
      if (!page.more || !last) return seen;
      cursor = { deadlineMs: last.deadlineMs, member: last.member };
    }
    throw new Error('paging did not end');
  }

  it('pages payments and charges together, soonest deadline first, ties by member, each once', async () => {
    const tie = now + 3 * DAY_MS;
    await index.keepPayment(payment('p-late', now + 9 * DAY_MS));
    await index.keepPayment(payment('p-b', tie));
    await index.keepPayment(payment('p-a', tie));
    await index.keepCharge(charge('chr-1', tie));
    await index.keepCharge(charge('chr-2', now + 1 * DAY_MS));
    const order = ['charge/agr_A/chr-2', 'charge/agr_A/chr-1', 'payment/p-a', 'payment/p-b', 'payment/p-late'];
    for (const first of [1, 2, 3, 10]) expect(await walk(first)).toEqual(order);
    expect(await walk(2, ['payment'])).toEqual(['payment/p-a', 'payment/p-b', 'payment/p-late']);
    const page = await index.page(MSN, ['payment', 'charge'], now, now + 5 * DAY_MS, 10, null);
    expect(page).toMatchObject({ total: 4, more: false });
    expect(page.entries.map((e) => e.member)).toEqual(order.slice(0, 4));
  });

  it('continues after a cursor whose reservation left the index meanwhile', async () => {
    for (const [i, ref] of ['p-1', 'p-2', 'p-3', 'p-4'].entries()) await index.keepPayment(payment(ref, now + (i + 1) * DAY_MS));
    const firstPage = await index.page(MSN, ['payment'], now, now + 30 * DAY_MS, 2, null);
    const last = firstPage.entries.at(-1);
    if (!last) throw new Error('empty page');
    await index.keepPayment(payment('p-2', now + 2 * DAY_MS, 10_000));
    const next = await index.page(MSN, ['payment'], now, now + 30 * DAY_MS, 2, { deadlineMs: last.deadlineMs, member: last.member });
    expect(next.entries.map((e) => e.member)).toEqual(['payment/p-3', 'payment/p-4']);
    expect(next.more).toBe(false);
  });

  it('drops what is captured in full or no longer reserved, leaves out passed deadlines, and prunes them', async () => {
    await index.keepPayment(payment('p-open', now + DAY_MS));
    await index.keepPayment(payment('p-done', now + DAY_MS));
    await index.keepPayment(payment('p-done', now + DAY_MS, 10_000));
    await index.keepCharge(charge('chr-open', now + DAY_MS));
    await index.keepCharge(charge('chr-done', now + DAY_MS));
    await index.keepCharge(charge('chr-done', now + DAY_MS, 'CHARGED'));
    await index.keepPayment(payment('p-expired', now - DAY_MS));
    expect(await walk(10)).toEqual(['charge/agr_A/chr-open', 'payment/p-open']);
    expect(await redis.zcard(redisKeys(prefix).expiringReservations(MSN, 'payment'))).toBe(2);
    await index.prune(MSN, now);
    expect(await redis.zrange(redisKeys(prefix).expiringReservations(MSN, 'payment'), '0', '-1')).toEqual(['payment/p-open']);
  });
});
