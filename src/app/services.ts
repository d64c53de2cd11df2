import type { Redis } from 'ioredis';
import { Authenticator } from '../access/authenticate';
import { IdempotencyLedger } from '../common/idempotency-ledger';
import type { Config } from '../config/config';
import type { Logger } from '../log/logger';
import { PaymentCache } from '../payments/payment-cache';
import { PaymentReader } from '../payments/payment-reader';
import { PaymentRegistry } from '../payments/payment-registry';
import { PaymentService, type PaymentChanged } from '../payments/payment.service';
import { StatusTokens } from '../payments/status-tokens';
import { redisKeys } from '../redis/keys';
import type { VippsClient } from '../vipps/vipps-client';

/** The long-lived parts of the product, wired once per process (API and worker alike). */
export interface Services {
  config: Config;
  authenticator: Authenticator;
  paymentReader: PaymentReader;
  paymentRegistry: PaymentRegistry;
  payments: PaymentService;
  statusTokens: StatusTokens;
}

export function createServices(deps: { config: Config; redis: Redis; vipps: VippsClient; log: Logger; paymentChanged?: PaymentChanged }): Services {
  const { config, redis, vipps, log } = deps;
  const keys = redisKeys(config.redis.prefix);
  const paymentRegistry = new PaymentRegistry(redis, keys);
  const paymentReader = new PaymentReader(vipps.epayment, new PaymentCache(redis, keys, log), paymentRegistry, log);
  const ledger = new IdempotencyLedger(redis, keys, log);
  return {
    config,
    authenticator: new Authenticator(config.apiKeys, config.signingSecret),
    paymentReader,
    paymentRegistry,
    payments: new PaymentService(vipps.epayment, vipps.orderManagement, paymentReader, ledger, log, deps.paymentChanged),
    statusTokens: new StatusTokens(config.signingSecret),
  };
}
