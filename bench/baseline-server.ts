import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiRedis } from '../src/redis/client';

/**
 * The baseline: a plain Node `http` server that answers every request with one cached value
 * read from Redis (one GET with ioredis, written out as is). It is what any Node service
 * serving the same cached JSON costs at the least: HTTP parsing, one Redis round trip, a write.
 *
 * It runs in its own child process (started by `startBaselineServer`), not inside the process
 * that hosts the API under test: a fresh process with a small heap is the baseline's best case,
 * so the ratio is never flattered by the baseline sharing a heap (GC), timers or the simulator
 * with the API. It uses the API's Redis client options (`apiRedis`), drains the same POST body
 * the GraphQL request carries, and is measured with the same load generator and connections.
 *
 * Started with `fork(<this file>, [redisUrl, key])`; sends `{ port }` once listening and exits
 * on `stop`.
 */
async function main(): Promise<void> {
  const [redisUrl, key] = process.argv.slice(2);
  if (!redisUrl || !key) throw new Error('usage: baseline-server <redisUrl> <key>');
  const redis = apiRedis(redisUrl);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      redis.get(key).then(
        (value) => {
          if (value === null) {
            res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end('{"error":"not cached"}');
            return;
          }
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(value) });
          res.end(value);
        },
        () => {
          res.writeHead(500).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  process.on('message', (message) => {
    if (message === 'stop') {
      server.closeAllConnections();
      server.close(() => {
        redis.disconnect();
        process.exit(0);
      });
    }
  });
  process.send?.({ port: (server.address() as AddressInfo).port });
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
