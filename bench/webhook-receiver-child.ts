import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { serveRpc, wallMs } from './ipc';

/**
 * The merchant's receiver of the merchant-webhooks benchmark, in a process of its own (neither
 * the worker nor the baseline loop shares its event loop): answers 200 to every POST, verifies
 * its Standard Webhooks signature with the library, and notes when each `webhook-id` first
 * arrived (wall clock, comparable with the benchmark's process).
 */
let server: Server | undefined;
let webhook: Webhook | undefined;
const firstSeen = new Map<string, number>();
let requests = 0;
let invalid = 0;

serveRpc({
  start: async () => {
    server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const at = wallMs();
        requests++;
        const id = String(req.headers['webhook-id'] ?? '');
        try {
          if (!webhook) throw new Error('no secret yet');
          webhook.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
        } catch {
          invalid++;
        }
        if (!firstSeen.has(id)) firstSeen.set(id, at);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks` };
  },
  /** The endpoint's secret, known once the endpoint is registered with this receiver's URL. */
  verifyWith: ({ secret }: { secret: string }) => {
    webhook = new Webhook(secret);
  },
  /** Forgets what arrived, for the next run. */
  reset: () => {
    firstSeen.clear();
    requests = 0;
    invalid = 0;
  },
  counts: () => ({ requests, distinct: firstSeen.size, invalid }),
  /** When each webhook-id first arrived (wall-clock ms). */
  arrivals: () => Object.fromEntries(firstSeen),
  cpu: () => process.cpuUsage(),
  stop: async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  },
});
