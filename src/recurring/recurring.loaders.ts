import DataLoader from 'dataloader';
import type { AgreementKey, ChargeKey } from './recurring-cache';
import type { RecurringReader } from './recurring-reader';
import type { AgreementRecord, ChargeRecord } from './recurring-record';

/**
 * Per-request loaders (docs/design.md, convention 7): a page of agreements with their charges is one MGET for the
 * agreements, one for the charge lists and one for the charges when warm; nothing is read twice.
 */
export function createRecurringLoaders(reader: RecurringReader) {
  const agreementKey = (k: AgreementKey) => `${k.msn}\u0000${k.agreementId}`;
  const chargeKey = (k: ChargeKey) => `${k.msn}\u0000${k.agreementId}\u0000${k.chargeId}`;
  const agreement = new DataLoader<AgreementKey, AgreementRecord | null, string>((keys) => reader.loadAgreements(keys), { cacheKeyFn: agreementKey, maxBatchSize: 500 });
  const charge = new DataLoader<ChargeKey, ChargeRecord | null, string>((keys) => reader.loadCharges(keys), { cacheKeyFn: chargeKey, maxBatchSize: 500 });
  const chargesOf = new DataLoader<AgreementKey, ChargeRecord[], string>(
    async (keys) => {
      const lists = await reader.chargesOfMany(keys);
      for (const c of lists.flat()) charge.prime({ msn: c.merchantSerialNumber, agreementId: c.agreementId, chargeId: c.chargeId }, c);
      return lists;
    },
    { cacheKeyFn: agreementKey, maxBatchSize: 100 },
  );
  return { agreement, charge, chargesOf };
}

export type RecurringLoaders = ReturnType<typeof createRecurringLoaders>;
