import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { settledWithin } from '../src/common/settled-within';
import { metricsRoute, startOpsServer } from '../src/telemetry/ops-server';
import type { RunningWorkers } from './worker';

/** How long `/healthz` waits for Redis to answer PING. */
const PING_TIMEOUT_MS = 1_000;

export interface WorkerOps {
  metricsUrl: string;
  healthUrl: string;
  close(): Promise<void>;
}

/**
 * The worker's operator endpoints on WORKER_METRICS_HOST:WORKER_METRICS_PORT: `/metrics`, and
 * `/healthz`, 200 while every queue's worker runs and Redis answers, else 503 (for a liveness
 * probe, or a process manager that restarts a worker whose jobs no longer move).
 */
export async function startWorkerOps(running: RunningWorkers, redis: Redis, registry: Registry, host: string, port: number): Promise<WorkerOps> {
  const server = await startOpsServer(host, port, {
    '/metrics': metricsRoute(registry),
    '/healthz': async () => {
      const health = await workerHealth(running, redis);
      const ok = health.workers === 'running' && health.redis === 'ok';
      return { status: ok ? 200 : 503, contentType: 'application/json; charset=utf-8', body: JSON.stringify(health) };
    },
  });
  return { metricsUrl: `${server.baseUrl}/metrics`, healthUrl: `${server.baseUrl}/healthz`, close: server.close };
}

async function workerHealth(running: RunningWorkers, redis: Redis): Promise<{ workers: 'running' | 'stopped'; redis: 'ok' | 'unavailable' }> {
  // A closing worker still finishes its jobs in hand but takes no new ones: not healthy.
  const workers = running.workers.every((w) => w.isRunning() && !w.closing) ? 'running' : 'stopped';
  const pong = await settledWithin(redis.ping(), PING_TIMEOUT_MS);
  return { workers, redis: pong === 'PONG' ? 'ok' : 'unavailable' };
}
