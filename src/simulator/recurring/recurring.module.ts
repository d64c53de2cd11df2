import type { SimContext, SimModule } from '../simulator-context';
import { agreementRoutes } from './agreements.routes';
import { chargeRoutes } from './charges.routes';
import { landingRoutes } from './landing.routes';
import { RecurringService } from './recurring-service';

/** The Recurring v3 part of the simulator (docs/vipps.md §10) with its landing page. */
export function recurringModule(ctx: SimContext): SimModule {
  const service = new RecurringService(ctx);
  return {
    routes: [...agreementRoutes(ctx, service), ...chargeRoutes(ctx, service), ...landingRoutes(service)],
    tick: (now) => service.tick(now),
    reset: () => service.store.clear(),
  };
}
