import { once } from 'node:events';
import { createServices } from '../app/services';
import { configOrExit } from '../config/config';
import { buildGraphQLSchema } from '../graphql/schema';
import { createLogger } from '../log/logger';
import { apiRedis, workerRedis } from '../redis/client';
import { createVippsClient } from '../vipps/vipps-client';
import { startApiServer } from './server';
import { redisKeys } from '../redis/keys';
import { WEBHOOK_PATH } from '../webhooks/webhook-events';
import { ensureWebhooks } from '../webhooks/webhook-registration';

/** `npm run start:api`: the API process (GraphQL over HTTP and WebSocket, webhooks, health). */
async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  if (!config.redis.url) {
    log.fatal('REDIS_URL is not set. Start Redis and set REDIS_URL, or use npm start, which runs a private Redis.');
    process.exit(1);
  }
  const redis = apiRedis(config.redis.url);
  const subscriber = workerRedis(config.redis.url);
  // The API's connection queues nothing while offline, so wait for it before serving.
  await once(redis, 'ready');
  const vipps = createVippsClient({ config, redis, log });
  const services = createServices({ config, redis, subscriber, vipps, log });
  const server = await startApiServer({
    schema: buildGraphQLSchema(),
    services,
    redis,
    log,
    port: config.port,
  });
  log.info({ url: `${server.url}/graphql`, env: config.vipps.env }, 'API listening');
  if (config.vipps.env === 'simulator') {
    // The simulator delivers to us directly; real environments register with `npm run webhooks:register`.
    const url = `${config.publicUrl}${WEBHOOK_PATH}`;
    await ensureWebhooks(vipps, redis, redisKeys(config.redis.prefix), config.vipps.merchants.map((m) => m.msn), url, log).catch((error: unknown) =>
      log.warn({ err: error }, 'could not register webhooks with the simulator; polling still follows every payment'),
    );
  }
  const stop = async () => {
    await server.close();
    await services.close();
    subscriber.disconnect();
    redis.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
