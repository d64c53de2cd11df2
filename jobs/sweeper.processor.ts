import type { Services } from '../src/app/services';
import type { ChargeKey } from '../src/recurring/recurring-cache';
import { AGREEMENT_STATUSES } from '../src/recurring/recurring-record';

const BATCH = 200;

/**
 * Recreates jobs that should exist (docs/design.md §5): the capture-before-expiry jobs (at CAPTURE_MARGIN
 * and CAPTURE_FINAL_MARGIN) and the expiring-reservations entry of every authorized payment and
 * reserved Recurring charge with money left (entries whose deadline passed are dropped); a poll
 * for every payment still CREATED and every agreement still PENDING; and first records the
 * payments of creates that were never recorded, and (hourly) the agreements Vipps lists that the
 * registry lacks. Job ids are deterministic, so jobs that exist are left as they are.
 */
export function sweeperProcessor(services: Services) {
  return async (): Promise<string> => {
    let restored = 0;
    for (const merchant of services.config.vipps.merchants) {
      // First the creates whose payment was never recorded (Redis failed after Vipps made it):
      // recorded now, they are followed below like the rest.
      restored += await services.paymentReader.recordIntents(merchant.msn);
      await services.reservations.prune(merchant.msn, Date.now());
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
            await services.reservations.keepPayment(record);
            restored += 1;
          }
          const last = rows.at(-1);
          if (page.rows.length <= BATCH || !last) break;
          after = { createdAtMs: last.createdAtMs, reference: last.reference };
        }
      }
    }
    let listed = 0;
    for (const merchant of services.config.vipps.merchants) {
      listed += await listAgreementsAtVipps(services, merchant.msn);
      restored += await restorePendingAgreementPolls(services, merchant.msn);
      restored += await restoreChargeDeadlines(services, merchant.msn);
    }
    return `checked ${restored} payments, agreements and reserved charges; listed ${listed} agreements at Vipps`;
  };
}

/**
 * How often the merchant's agreements are listed at Vipps, every status. `agreements(...)` pages
 * the registry, which has every agreement created through us or seen since; this listing adds the
 * ones that never passed through us (made by another system, before we were deployed, or while our
 * store was down) and statuses whose webhook was lost. ListAgreements allows 5 calls a minute per
 * merchant and nothing else spends them now, so an hourly pass (4 calls per 1000 agreements a
 * status) bounds how stale a complete list can be at an hour and costs a fraction of the budget.
 */
const LIST_AGREEMENTS_EVERY_SECONDS = 3600;

/** Once per interval across all workers, and at the first sweep ever; a failed pass is tried again at the next sweep. */
async function listAgreementsAtVipps(services: Services, msn: string): Promise<number> {
  if (!(await services.recurringRegistry.claimAgreementListing(msn, LIST_AGREEMENTS_EVERY_SECONDS))) return 0;
  let listed = 0;
  try {
    for (const status of AGREEMENT_STATUSES) listed += await services.recurringReader.listAtVipps(msn, status);
  } catch (error) {
    services.log.warn({ err: error, msn }, 'could not list agreements at Vipps; the next sweep tries again');
    await services.recurringRegistry.releaseAgreementListing(msn);
  }
  return listed;
}

/** The poll of every agreement still PENDING in the registry's index, a page at a time (no Vipps list call). */
async function restorePendingAgreementPolls(services: Services, msn: string): Promise<number> {
  let checked = 0;
  let after: string | null = null;
  for (;;) {
    const { rows } = await services.recurringRegistry.agreements(msn, 'PENDING', after, BATCH);
    // Read again (PENDING is cached for seconds): one accepted meanwhile leaves the index instead.
    for (const agreement of await services.recurringReader.loadAgreements(rows.map(({ agreementId }) => ({ msn, agreementId })))) {
      if (agreement) await services.jobs.pollAgreement(agreement, 0);
    }
    checked += rows.length;
    after = rows.at(-1)?.position ?? null;
    if (rows.length < BATCH || !after) return checked;
  }
}

/** The capture-before-expiry job of every reserved charge in the registry's index, a page at a time. */
async function restoreChargeDeadlines(services: Services, msn: string): Promise<number> {
  let checked = 0;
  let after: ChargeKey | null = null;
  for (;;) {
    const keys = await services.recurringRegistry.reservedCharges(msn, after, BATCH);
    // Cached charges cost nothing; the others are read from Vipps (and leave the index when no longer reserved).
    for (const charge of await services.recurringReader.loadCharges(keys)) {
      if (!charge) continue;
      await services.jobs.scheduleChargeCaptureDeadline(charge);
      await services.reservations.keepCharge(charge);
    }
    checked += keys.length;
    after = keys.at(-1) ?? null;
    if (keys.length < BATCH || !after) return checked;
  }
}
