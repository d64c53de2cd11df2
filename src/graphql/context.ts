import type { Caller } from '../access/caller';
import type { Services } from '../app/services';
import { createPaymentLoaders, type PaymentLoaders } from '../payments/payment.loaders';

/** What every resolver gets: who calls, the shared services, and this request's loaders. */
export interface GraphQLContext {
  caller: Caller;
  services: Services;
  loaders: { payments: PaymentLoaders };
}

export function createContext(caller: Caller, services: Services): GraphQLContext {
  return { caller, services, loaders: { payments: createPaymentLoaders(services.paymentReader) } };
}
