import DataLoader from 'dataloader';
import type { PaymentKey, PaymentReader } from './payment-reader';
import type { PaymentEventRecord, PaymentRecord } from './payment-record';

/** Per-request loaders (docs/design.md, convention 7): a request's payment reads become one MGET, each payment read once. */
export function createPaymentLoaders(reader: PaymentReader) {
  const keyOf = (k: PaymentKey) => `${k.msn}\u0000${k.reference}`;
  const payment = new DataLoader<PaymentKey, PaymentRecord | null, string>((keys) => reader.loadMany(keys), { cacheKeyFn: keyOf, maxBatchSize: 500 });
  const events = new DataLoader<PaymentRecord, PaymentEventRecord[], string>(
    (payments) => Promise.all(payments.map((p) => reader.events(p))),
    { cacheKeyFn: (p) => `${p.merchantSerialNumber}\u0000${p.reference}` },
  );
  return { payment, events };
}

export type PaymentLoaders = ReturnType<typeof createPaymentLoaders>;
