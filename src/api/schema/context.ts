import type { Caller } from '../../access/caller';
import type { Services } from '../../app/services';
import { createPaymentLoaders, type PaymentLoaders } from '../../payments/payment.loaders';
import { createRecurringLoaders, type RecurringLoaders } from '../../recurring/recurring.loaders';

/** What every resolver gets: who calls, the shared services, and this request's loaders. */
export interface GraphQLContext {
  caller: Caller;
  services: Services;
  loaders: { payments: PaymentLoaders; recurring: RecurringLoaders };
}

/** The loaders are made on first use: most requests touch payments or Recurring, not both. */
export function createContext(caller: Caller, services: Services): GraphQLContext {
  let payments: PaymentLoaders | undefined;
  let recurring: RecurringLoaders | undefined;
  const loaders = {
    get payments() {
      return (payments ??= createPaymentLoaders(services.paymentReader));
    },
    get recurring() {
      return (recurring ??= createRecurringLoaders(services.recurringReader));
    },
  };
  return { caller, services, loaders };
}
