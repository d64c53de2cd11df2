import type { Caller } from '../access/caller';
import type { LiveUpdates } from '../live/live-updates';
import type { PaymentLoaders } from './payment.loaders';
import type { PaymentRegistry } from './payment-registry';
import type { PaymentService } from './payment.service';
import type { StatusTokens } from './status-tokens';

/** What payment resolvers get from a request: the caller, the payment services, the request's loaders. */
export interface PaymentContext {
  caller: Caller;
  services: { payments: PaymentService; paymentRegistry: PaymentRegistry; statusTokens: StatusTokens; live: LiveUpdates };
  loaders: { payments: PaymentLoaders };
}
