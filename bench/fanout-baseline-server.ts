import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { workerRedis } from '../src/redis/client';
import { memoryAfterGc, serveRpc } from './ipc';

/**
 * The fan-out baseline (forked with --expose-gc, like the API child): a plain `ws` server that
 * SUBSCRIBEs to one Redis channel and writes every message it gets, as is, to every connected
 * client. No protocol, no auth, no GraphQL execution: what broadcasting the same JSON costs at
 * the least in Node with the same Redis pub/sub hop in front.
 */
let wss: WebSocketServer | undefined;
let subscriber: Redis | undefined;

serveRpc({
  start: async ({ redisUrl, channel }: { redisUrl: string; channel: string }) => {
    subscriber = workerRedis(redisUrl);
    await subscriber.subscribe(channel);
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss = server;
    subscriber.on('message', (_channel: string, message: string) => {
      for (const client of server.clients) client.send(message);
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
  },
  memory: () => memoryAfterGc(),
  listeners: () => wss?.clients.size ?? 0,
  cpu: () => process.cpuUsage(),
  stop: async () => {
    for (const client of wss?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
    subscriber?.disconnect();
  },
});
