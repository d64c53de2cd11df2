import type { Caller } from '../access/caller';
import type { LiveUpdates } from '../live/live-updates';
import type { PaymentLoaders } from '../payments/payment.loaders';
import type { RecurringLoaders } from '../recurring/recurring.loaders';
import type { ReservationIndex } from './reservation-index';

/** What the merchant-event resolvers get from a request. */
export interface MerchantEventsContext {
  caller: Caller;
  services: { live: LiveUpdates; reservations: ReservationIndex };
  loaders: { payments: PaymentLoaders; recurring: RecurringLoaders };
}
