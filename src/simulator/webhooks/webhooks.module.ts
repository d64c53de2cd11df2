import type { SimContext, SimModule } from '../simulator-context';
import type { Route } from '../http';
import { WebhookDeliverer } from './webhook-delivery';
import { WebhookRegistry } from './webhook-registry';

/**
 * Webhooks API v1 (docs/vipps.md §11): registrations per MSN, signed delivery of every event the
 * other modules publish, retries with backoff, and a delivery log for tests
 * (`GET /simulator/v1/webhook-deliveries`, not part of Vipps).
 */
export function webhooksModule(ctx: SimContext): SimModule {
  const registry = new WebhookRegistry();
  const deliverer = new WebhookDeliverer(ctx);

  ctx.onEvent((event) => {
    for (const registration of registry.subscribers(event.msn, event.name)) deliverer.enqueue(registration, event);
  });

  const api = (method: Route['method'], path: string, handler: Route['handler']): Route => ({
    method,
    path: `/webhooks/v1${path}`,
    auth: 'token',
    api: 'webhooks',
    handler,
  });

  return {
    routes: [
      api('POST', '/webhooks', (req) => {
        const { id, secret } = registry.register(req.merchant.msn, req.body);
        return { status: 201, body: { id, secret } };
      }),
      api('GET', '/webhooks', (req) => ({
        status: 200,
        body: { webhooks: registry.forMsn(req.merchant.msn).map(({ id, url, events }) => ({ id, url, events })) },
      })),
      api('DELETE', '/webhooks/:id', (req) => {
        const registration = registry.delete(req.merchant.msn, req.params.id as string);
        deliverer.forget(registration.id);
        return { status: 204 };
      }),
      {
        method: 'GET',
        path: '/simulator/v1/webhook-deliveries',
        auth: 'none',
        api: 'control',
        handler: () => ({ status: 200, body: { deliveries: deliverer.log } }),
      },
    ],
    reset: () => {
      deliverer.reset();
      registry.clear();
    },
    close: () => deliverer.stop(),
  };
}
