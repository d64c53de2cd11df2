import type { Caller } from '../access/caller';
import type { MerchantWebhooks } from './merchant-webhooks';

/** What the merchant webhook resolvers get from a request. */
export interface MerchantWebhookContext {
  caller: Caller;
  services: { merchantWebhooks: MerchantWebhooks };
}
