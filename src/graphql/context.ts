import type { Caller } from '../access/caller';
import type { Services } from '../app/services';
import { createPaymentLoaders, type PaymentLoaders } from '../payments/payment.loaders';
import { createRecurringLoaders, type RecurringLoaders } from '../recurring/recurring.loaders';

/** What every resolver gets: who calls, the shared services, and this request's loaders. */
export interface GraphQLContext {
  caller: Caller;
  services: Services;
  loaders: { payments: PaymentLoaders; recurring: RecurringLoaders };
}

export function createContext(caller: Caller, services: Services): GraphQLContext {
  return { caller, services, loaders: { payments: createPaymentLoaders(services.paymentReader), recurring: createRecurringLoaders(services.recurringReader) } };
}
