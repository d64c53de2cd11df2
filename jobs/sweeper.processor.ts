import type { Services } from '../src/app/services';

const BATCH = 200;

/**
 * Recreates jobs that should exist (DESIGN §5): a capture-before-expiry job for every
 * authorized payment with money left, a poll for every payment still CREATED and every
 * agreement still PENDING. Job ids are
 * deterministic, so jobs that exist are left as they are.
 */
export function sweeperProcessor(services: Services) {
  return async (): Promise<string> => {
    let restored = 0;
    for (const merchant of services.config.vipps.merchants) {
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
    }
    return `checked ${restored} payments and agreements`;
  };
}
