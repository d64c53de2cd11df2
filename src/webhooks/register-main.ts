import { configOrExit } from '../config/config';
import { createLogger } from '../log/logger';
import { workerRedis } from '../redis/client';
import { redisKeys } from '../redis/keys';
import { createVippsClient } from '../vipps/vipps-client';
import { WEBHOOK_PATH } from './webhook-events';
import { ensureWebhooks } from './webhook-registration';

/**
 * `npm run webhooks:register`: registers `PUBLIC_URL/webhooks/vipps` for every ePayment and
 * Recurring event for each configured merchant, and stores the secrets in Redis.
 */
async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  if (!config.redis.url) {
    log.fatal('REDIS_URL is not set: the webhook secrets are stored in Redis.');
    process.exit(1);
  }
  const redis = workerRedis(config.redis.url);
  const url = `${config.publicUrl}${WEBHOOK_PATH}`;
  const msns = config.vipps.merchants.map((m) => m.msn);
  await ensureWebhooks(createVippsClient({ config, redis, log }), redis, redisKeys(config.redis.prefix), msns, url, log);
  process.stdout.write(`Webhooks registered at ${url} for ${msns.join(', ')}\n`);
  redis.disconnect();
}

void main().catch((error: unknown) => {
  process.stderr.write(`webhooks:register failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
