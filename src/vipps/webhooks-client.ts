import type { ListWebhooksResponse, RegisterWebhookRequest, RegisterWebhookResponse } from './api-types';
import { vippsPath as p, type VippsCaller } from './transport';

/**
 * Webhooks API v1 (docs/vipps.md §11). This API takes no Idempotency-Key, so register and delete are
 * never retried by the transport: a blind retry of register could leave two registrations.
 * The `secret` in the register response is shown only once; store it before anything else.
 */
export function createWebhooksClient(call: VippsCaller) {
  return {
    registerWebhook: (msn: string, body: RegisterWebhookRequest) =>
      call.request<RegisterWebhookResponse>(msn, { method: 'POST', path: p`/webhooks/v1/webhooks`, body }),
    listWebhooks: (msn: string) => call.request<ListWebhooksResponse>(msn, { method: 'GET', path: p`/webhooks/v1/webhooks` }),
    deleteWebhook: (msn: string, id: string) => call.request<void>(msn, { method: 'DELETE', path: p`/webhooks/v1/webhooks/${id}` }),
  };
}

export type WebhooksClient = ReturnType<typeof createWebhooksClient>;
