import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import type { RedisKeys } from '../redis/keys';
import type { VippsClient } from '../vipps/vipps-client';
import { WEBHOOK_EVENTS } from './webhook-events';

/**
 * Makes sure each merchant has one registration of `url` for every event, with its secret
 * stored in Redis for the receiver. A registration whose secret we no longer have is replaced
 * (Vipps shows a secret only once).
 */
export async function ensureWebhooks(vipps: VippsClient, redis: Redis, keys: RedisKeys, msns: readonly string[], url: string, log: Logger): Promise<void> {
  for (const msn of msns) {
    const secretsKey = keys.webhookSecrets(msn);
    const { webhooks } = await vipps.webhooks.listWebhooks(msn);
    let registered = false;
    for (const hook of webhooks.filter((w) => w.url === url)) {
      const known = await redis.hexists(secretsKey, hook.id);
      const complete = WEBHOOK_EVENTS.every((e) => hook.events.includes(e));
      if (known && complete && !registered) {
        registered = true;
        continue;
      }
      await vipps.webhooks.deleteWebhook(msn, hook.id);
      await redis.hdel(secretsKey, hook.id);
    }
    if (registered) continue;
    const created = await vipps.webhooks.registerWebhook(msn, { url, events: WEBHOOK_EVENTS });
    await redis.hset(secretsKey, created.id, created.secret);
    log.info({ msn, url, id: created.id }, 'registered Vipps webhooks');
  }
}
