import { once } from 'node:events';
import { startProcess, stopOnSignals } from '../app/process';
import { buildGraphQLSchema } from './schema/schema';
import { apiRedis } from '../redis/client';
import { redisKeys } from '../redis/keys';
import { WEBHOOK_PATH } from '../webhooks/webhook-events';
import { ensureWebhooks } from '../webhooks/webhook-registration';
import { startApiServer, type ApiServer } from './server';

/** `npm run start:api`: the API process (GraphQL over HTTP and WebSocket, webhooks, health). */
async function main(): Promise<void> {
  // The API's connection queues nothing while offline, so wait for it before serving.
  const { config, log, redis, vipps, services, close } = await startProcess('api', apiRedis, (r) => once(r, 'ready'));
  // Signals are handled from before the listener opens: from then on a SIGTERM drains instead of killing.
  const started: { server?: ApiServer } = {};
  stopOnSignals({
    draining: () => started.server?.markDraining(),
    stop: async () => {
      await started.server?.close();
      await close();
    },
    shutdown: config.shutdown,
    log,
  });
  const server = await startApiServer({ schema: buildGraphQLSchema(), services, redis, log, port: config.port });
  started.server = server;
  log.info({ url: `${server.url}/graphql`, env: config.vipps.env }, 'API listening');
  if (config.vipps.env === 'simulator') {
    // The simulator delivers to us directly; real environments register with `npm run webhooks:register`.
    const url = `${config.publicUrl}${WEBHOOK_PATH}`;
    await ensureWebhooks(vipps, redis, redisKeys(config.redis.prefix), config.vipps.merchants.map((m) => m.msn), url, log).catch((error: unknown) =>
      log.warn({ err: error }, 'could not register webhooks with the simulator; polling still follows every payment'),
    );
  }
}

void main();
