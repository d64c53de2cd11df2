import type { Redis } from 'ioredis';
import { Authenticator } from '../access/authenticate';
import { RateLimiter } from '../access/rate-limiter';
import { AuditLog } from '../audit/audit-log';
import { IdempotencyLedger } from '../common/idempotency-ledger';
import type { Config } from '../config/config';
import { LiveUpdates } from '../live/live-updates';
import type { Logger } from '../log/logger';
import { PaymentCache } from '../payments/payment-cache';
import { PaymentReader } from '../payments/payment-reader';
import type { PaymentRecord } from '../payments/payment-record';
import { PaymentRegistry } from '../payments/payment-registry';
import { PaymentStore } from '../payments/payment-store';
import { progressVersion } from '../payments/payment-version';
import { PaymentService } from '../payments/payment.service';
import type { AgreementRecord, ChargeRecord } from '../recurring/recurring-record';
import { RecurringRegistry } from '../recurring/recurring-registry';
import { agreementVersion, chargeVersion } from '../recurring/recurring-versions';
import { AgreementStore } from '../recurring/agreement-store';
import { ChargeStore } from '../recurring/charge-store';
import { AgreementLinks } from '../recurring/agreement-links';
import { AgreementService } from '../recurring/agreement.service';
import { ChargeService } from '../recurring/charge.service';
import { RecurringCache } from '../recurring/recurring-cache';
import { RecurringReader } from '../recurring/recurring-reader';
import { RecurringRunner } from '../recurring/recurring-run';
import { StatusTokens } from '../payments/status-tokens';
import { JobScheduler } from '../queues/job-scheduler';
import { reportRedisErrors } from '../redis/client';
import { redisKeys } from '../redis/keys';
import { Metrics } from '../telemetry/metrics';
import { traceRedisCommands } from '../telemetry/redis-spans';
import type { VippsClient } from '../vipps/vipps-client';
import { WebhookReceiver } from '../webhooks/webhook-receiver';
import { MerchantWebhooks } from '../merchant-webhooks/merchant-webhooks';
import { agreementTopic, chargeTopic } from '../recurring/recurring-topics';
import { paymentTopic } from '../payments/payment-topic';
import { CaptureWarnings } from '../merchant-events/capture-warnings';
import { agreementEvents, chargeEvents, paymentEvents } from '../merchant-events/change-events';
import { MerchantEvents } from '../merchant-events/merchant-events';
import { ReservationIndex } from '../merchant-events/reservation-index';

/** The long-lived parts of the product, wired once per process (API and worker alike). */
export interface Services {
  config: Config;
  log: Logger;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  audit: AuditLog;
  live: LiveUpdates;
  jobs: JobScheduler;
  paymentReader: PaymentReader;
  paymentStore: PaymentStore;
  paymentRegistry: PaymentRegistry;
  recurringRegistry: RecurringRegistry;
  payments: PaymentService;
  statusTokens: StatusTokens;
  recurringReader: RecurringReader;
  agreements: AgreementService;
  charges: ChargeService;
  agreementLinks: AgreementLinks;
  webhookReceiver: WebhookReceiver;
  /** Outbound merchant webhooks: endpoints, deliveries (a sink of merchantEvents), the delivery log. */
  merchantWebhooks: MerchantWebhooks;
  /** The process's metrics registry: what the services count, and what its entry point adds. */
  metrics: Metrics;
  /** A merchant's stream (`merchantEvents`) and, through the sinks, its outbound webhooks. */
  merchantEvents: MerchantEvents;
  reservations: ReservationIndex;
  captureWarnings: CaptureWarnings;
  close(): Promise<void>;
}

export interface ServiceDeps {
  config: Config;
  /** Cache, registry, ledger, publishing and job producers. */
  redis: Redis;
  /** A connection that only subscribes (pub/sub takes a connection over). */
  subscriber: Redis;
  vipps: VippsClient;
  log: Logger;
  /** The one the Vipps client was given (`metrics.vipps`); a registry of their own without it. */
  metrics?: Metrics;
}

export function createServices(deps: ServiceDeps): Services {
  const { config, redis, vipps, log } = deps;
  const keys = redisKeys(config.redis.prefix);
  const metrics = deps.metrics ?? new Metrics();
  // Its own connection, so counting requests never queues behind cache reads.
  const limiterRedis = traceRedisCommands(redis.duplicate());
  reportRedisErrors(limiterRedis, log, 'rate limiter');
  const live = new LiveUpdates(redis, deps.subscriber, keys, log);
  const jobs = new JobScheduler(redis, config.redis.prefix, config.capture, log);
  const merchantWebhooks = new MerchantWebhooks(redis, keys, jobs, log, { policy: config.merchantWebhooks });
  // Where merchant events go besides the stream: the outbound webhooks.
  const merchantEvents = new MerchantEvents(live, [merchantWebhooks], log);
  const reservations = new ReservationIndex(redis, keys);
  const paymentRegistry = new PaymentRegistry(redis, keys);
  const paymentCache = new PaymentCache(redis, keys, log, metrics.cache);
  /**
   * After a payment's new state is stored: keep its jobs and its place among expiring reservations
   * current, then tell subscribers and the merchant once. The jobs first: they are what finds the
   * next change, and a failed publish must not skip them.
   */
  const paymentChanged = async (p: PaymentRecord): Promise<void> => {
    await jobs.followPayment(p);
    await reservations.keepPayment(p);
    await live.publishOnce(paymentTopic(p.merchantSerialNumber, p.reference), progressVersion(p), p);
    await merchantEvents.emitAll(paymentEvents(p));
  };
  const paymentStore = new PaymentStore(paymentRegistry, paymentCache, log, paymentChanged);
  const paymentReader = new PaymentReader(vipps.epayment, paymentCache, paymentRegistry, paymentStore, log);
  const ledger = new IdempotencyLedger(redis, keys, log);
  const recurringCache = new RecurringCache(redis, keys, log, metrics.cache);
  const audit = new AuditLog(redis, keys, log);
  const recurringRunner = new RecurringRunner(ledger, log, audit);
  const statusTokens = new StatusTokens(config.signingSecret);
  const agreementLinks = new AgreementLinks(config.signingSecret, config.publicUrl, redis, keys, log);

  /**
   * After an agreement's or charge's change is stored (by its store, whoever read it): keep its
   * jobs current, then tell subscribers once, a charge on its own topic and its agreement's.
   */
  const agreementChanged = async (a: AgreementRecord): Promise<void> => {
    await jobs.pollAgreement(a);
    await live.publishOnce(agreementTopic(a.merchantSerialNumber, a.agreementId), agreementVersion(a), a);
    await merchantEvents.emitAll(agreementEvents(a));
  };
  const chargeChanged = async (c: ChargeRecord): Promise<void> => {
    await jobs.pollCharge(c);
    await jobs.scheduleChargeCaptureDeadline(c);
    await reservations.keepCharge(c);
    const published = await live.publishOnce(chargeTopic(c.merchantSerialNumber, c.agreementId, c.chargeId), chargeVersion(c), c);
    if (published) await live.publish(chargeTopic(c.merchantSerialNumber, c.agreementId), c);
    await merchantEvents.emitAll(chargeEvents(c));
  };
  const recurringRegistry = new RecurringRegistry(redis, keys);
  const agreementStore = new AgreementStore(recurringRegistry, recurringCache, log, agreementChanged);
  const chargeStore = new ChargeStore(recurringRegistry, recurringCache, log, chargeChanged);
  const recurringReader = new RecurringReader(vipps.recurring, recurringCache, agreementStore, chargeStore);

  return {
    config,
    log,
    authenticator: new Authenticator(config.apiKeys, config.signingSecret),
    rateLimiter: new RateLimiter(limiterRedis, keys, config.graphql.rateLimitPerMinute, log),
    audit,
    live,
    jobs,
    paymentReader,
    paymentStore,
    paymentRegistry,
    recurringRegistry,
    payments: new PaymentService(vipps.epayment, vipps.orderManagement, paymentReader, paymentStore, ledger, log, statusTokens, audit, config.vipps.env),
    statusTokens,
    recurringReader,
    agreements: new AgreementService(vipps.recurring, recurringReader, recurringRunner, agreementLinks),
    charges: new ChargeService(vipps.recurring, recurringReader, recurringRunner),
    agreementLinks,
    webhookReceiver: new WebhookReceiver(redis, keys, jobs, new URL(config.publicUrl).host, log),
    merchantWebhooks,
    metrics,
    merchantEvents,
    reservations,
    captureWarnings: new CaptureWarnings(redis, keys, merchantEvents),
    close: async () => {
      await jobs.close();
      limiterRedis.disconnect();
      merchantWebhooks.close();
    },
  };
}
