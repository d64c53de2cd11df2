import type { Caller } from '../access/caller';
import type { LiveUpdates } from '../live/live-updates';
import type { AgreementService } from './agreement.service';
import type { ChargeService } from './charge.service';
import type { RecurringRegistry } from './recurring-registry';
import type { RecurringLoaders } from './recurring.loaders';

/** What Recurring resolvers get from a request: the caller, the Recurring services, the request's loaders. */
export interface RecurringContext {
  caller: Caller;
  services: { agreements: AgreementService; charges: ChargeService; recurringRegistry: RecurringRegistry; live: LiveUpdates };
  loaders: { recurring: RecurringLoaders };
}
