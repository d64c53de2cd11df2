import type { SimContext, SimModule } from '../simulator-context';
import { epaymentRoutes } from './epayment.routes';
import { landingRoutes } from './landing.routes';
import { qrImageRoutes } from './qr-image.routes';
import { EpaymentSimulation } from './epayment-simulation';
import { PaymentStore } from './payment-store';

/** The simulated ePayment v1 API (docs/vipps.md §7–9) and its landing page. */
export function epaymentModule(ctx: SimContext): SimModule {
  const store = new PaymentStore();
  const service = new EpaymentSimulation(ctx, store);
  return {
    routes: [...epaymentRoutes(ctx, service), ...landingRoutes(ctx, service), ...qrImageRoutes(service)],
    tick: (now) => service.tick(now),
    reset: () => store.clear(),
  };
}
