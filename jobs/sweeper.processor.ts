import type { Services } from '../src/app/services';
import type { ChargeKey } from '../src/recurring/recurring-cache';

const BATCH = 200;

/**
 * Recreates jobs that should exist (DESIGN §5): a capture-before-expiry job for every
 * authorized payment and reserved Recurring charge with money left, a poll for every payment
 * still CREATED and every agreement still PENDING; and first records the payments of creates that
 * were never recorded. Job ids are deterministic, so jobs that exist are left as they are.
 */
export function sweeperProcessor(services: Services) {
  return async (): Promise<string> => {
    let restored = 0;
    for (const merchant of services.config.vipps.merchants) {
      // First the creates whose payment was never recorded (Redis failed after Vipps made it):
      // recorded now, they are followed below like the rest.
      restored += await services.paymentReader.recordIntents(merchant.msn);
      for (const state of ['AUTHORIZED', 'CREATED'] as const) {
        let after: { createdAtMs: number; reference: string } | null = null;
        for (;;) {
          const page = await services.paymentRegistry.page(merchant.msn, [state], BATCH, after);
          const rows = page.rows.slice(0, BATCH);
          // The page already carries the cached payments; only the others are read.
          const misses = rows.filter((r) => !r.cached).map((r) => ({ msn: merchant.msn, reference: r.reference }));
          const records = [...rows.map((r) => r.cached), ...(await services.paymentReader.loadMany(misses))];
          for (const record of records) {
            if (!record) continue;
            await services.jobs.followPayment(record, 0);
            restored += 1;
          }
          const last = rows.at(-1);
          if (page.rows.length <= BATCH || !last) break;
          after = { createdAtMs: last.createdAtMs, reference: last.reference };
        }
      }
    }
    for (const merchant of services.config.vipps.merchants) {
      // Vipps lists agreements (5 calls a minute per merchant); charges are followed from them.
      const ids = await services.recurringReader.agreementIds(merchant.msn, 'PENDING');
      const agreements = await services.recurringReader.loadAgreements(ids.map((agreementId) => ({ msn: merchant.msn, agreementId })));
      for (const agreement of agreements) {
        if (agreement) await services.jobs.pollAgreement(agreement, 0);
      }
      restored += agreements.length;
      restored += await restoreChargeDeadlines(services, merchant.msn);
    }
    return `checked ${restored} payments, agreements and reserved charges`;
  };
}

/** The capture-before-expiry job of every reserved charge in the registry's index, a page at a time. */
async function restoreChargeDeadlines(services: Services, msn: string): Promise<number> {
  let checked = 0;
  let after: ChargeKey | null = null;
  for (;;) {
    const keys = await services.recurringRegistry.reservedCharges(msn, after, BATCH);
    // Cached charges cost nothing; the others are read from Vipps (and leave the index when no longer reserved).
    for (const charge of await services.recurringReader.loadCharges(keys)) {
      if (charge) await services.jobs.scheduleChargeCaptureDeadline(charge);
    }
    checked += keys.length;
    after = keys.at(-1) ?? null;
    if (keys.length < BATCH || !after) return checked;
  }
}
