import type { Redis } from 'ioredis';
import type { Config, Merchant } from '../config/config';
import type { Logger } from '../log/logger';
import { redisKeys } from '../redis/keys';
import { AccessTokenProvider } from './access-token';
import { createEpaymentClient } from './epayment-client';
import { VippsUnknownMerchantError } from './errors';
import type { FetchFn } from './http-exchange';
import { createOrderManagementClient } from './order-management-client';
import { createRecurringClient } from './recurring-client';
import type { RetryPolicy } from './retry';
import type { VippsMetrics } from '../telemetry/metrics';
import { vippsCaller, VippsTransport } from './transport';
import { createWebhooksClient } from './webhooks-client';

export interface VippsClientOptions {
  config: Pick<Config, 'vipps' | 'redis'>;
  /** Shares access tokens between processes; without it each process keeps its own. */
  redis?: Redis;
  log: Logger;
  /** Defaults to the global `fetch`. */
  fetch?: FetchFn;
  /** Backoff tuning (tests shorten it). */
  retryPolicy?: RetryPolicy;
  /** The process's Vipps call metrics (`Metrics.vipps`); none are kept without it. */
  metrics?: VippsMetrics;
}

/**
 * The Vipps client: one transport and one token cache behind four endpoint clients. Every method
 * takes the merchant's MSN first; an MSN missing from `VIPPS_MERCHANTS` throws
 * `VippsUnknownMerchantError` before anything is sent.
 */
export function createVippsClient({ config, redis, log, fetch, retryPolicy, metrics }: VippsClientOptions) {
  const { baseUrl, system, timeoutMs, maxRetries, merchants } = config.vipps;
  const byMsn = new Map<string, Merchant>(merchants.map((m) => [m.msn, m]));
  const merchantOf = (msn: string): Merchant => {
    const merchant = byMsn.get(msn);
    if (!merchant) throw new VippsUnknownMerchantError(msn);
    return merchant;
  };
  const tokens = new AccessTokenProvider({ baseUrl, system, timeoutMs, maxRetries, log, redis, fetch, retryPolicy, metrics, keys: redisKeys(config.redis.prefix) });
  const transport = new VippsTransport({ baseUrl, system, timeoutMs, maxRetries, log, fetch, retryPolicy, metrics, tokens });
  return {
    epayment: createEpaymentClient(vippsCaller(transport, merchantOf, 'epayment')),
    recurring: createRecurringClient(vippsCaller(transport, merchantOf, 'recurring')),
    webhooks: createWebhooksClient(vippsCaller(transport, merchantOf, 'webhooks')),
    orderManagement: createOrderManagementClient(vippsCaller(transport, merchantOf, 'order-management')),
  };
}

export type VippsClient = ReturnType<typeof createVippsClient>;
