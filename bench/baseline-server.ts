import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { runChild, serveForParent } from './child-server';

/**
 * The baseline: a plain Node `http` server that answers every request with one cached value
 * read from Redis (one GET with ioredis, written out as is). It is what any Node service
 * serving the same cached JSON costs at the least: HTTP parsing, one Redis round trip, a write.
 *
 * It is given its best case: its own child process (started by `startBaselineServer`), not the
 * process that hosts the API under test, so it never shares a heap (GC), timers or the simulator
 * with the API; and an ioredis client with default options (the API's fail-fast timeouts and
 * auto-pipelining cost this server a little and buy it nothing). It drains the same POST body the
 * GraphQL request carries and is measured with the same load generator and connections.
 *
 * Started with `fork(<this file>, [redisUrl, key])`.
 */
async function main(): Promise<void> {
  const [redisUrl, key] = process.argv.slice(2);
  if (!redisUrl || !key) throw new Error('usage: baseline-server <redisUrl> <key>');
  const redis = new Redis(redisUrl);
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
  await serveForParent(server, () => redis.disconnect());
}

runChild('baseline server', main);
