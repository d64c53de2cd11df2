import { createServices } from '../app/services';
import { configOrExit } from '../config/config';
import { buildGraphQLSchema } from '../graphql/schema';
import { createLogger } from '../log/logger';
import { apiRedis } from '../redis/client';
import { createVippsClient } from '../vipps/vipps-client';
import { startApiServer } from './server';

/** `npm run start:api`: the API process (GraphQL over HTTP and WebSocket, webhooks, health). */
async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  if (!config.redis.url) {
    log.fatal('REDIS_URL is not set. Start Redis and set REDIS_URL, or use npm start, which runs a private Redis.');
    process.exit(1);
  }
  const redis = apiRedis(config.redis.url);
  const vipps = createVippsClient({ config, redis, log });
  const services = createServices({ config, redis, vipps, log });
  const server = await startApiServer({
    schema: buildGraphQLSchema(),
    services,
    redis,
    log,
    port: config.port,
    introspection: config.vipps.env !== 'production',
  });
  log.info({ url: `${server.url}/graphql`, env: config.vipps.env }, 'API listening');
  const stop = async () => {
    await server.close();
    redis.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
