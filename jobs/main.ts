import { startProcess, stopOnSignals } from '../src/app/process';
import { workerRedis } from '../src/redis/client';
import { startWorkers } from './worker';
import { startWorkerOps } from './worker-ops';

/** `npm run start:worker`: pollers, capture-before-expiry, webhook events and the sweeper. */
async function main(): Promise<void> {
  const { config, log, redis, services, close } = await startProcess('worker', workerRedis);
  const running = await startWorkers(services, redis);
  const { host, port } = config.workerMetrics;
  const ops = await startWorkerOps(running, redis, services.metrics.registry, host, port).catch((error: NodeJS.ErrnoException) => {
    log.fatal({ code: error.code }, `cannot serve /metrics and /healthz on ${host}:${port}: set WORKER_METRICS_PORT to a free port (0: any)`);
    return process.exit(1);
  });
  log.info({ queues: running.workers.map((w) => w.name), metrics: ops.metricsUrl, health: ops.healthUrl }, 'worker started');
  stopOnSignals({
    stop: async () => {
      log.info('worker stopping: finishing the jobs in hand');
      await running.close();
      // Until now /healthz answered 503 (workers closing), as a probe should see.
      await ops.close();
      await close();
    },
    // No load balancer sends the worker anything, so there is no readiness to turn off first.
    shutdown: { ...config.shutdown, graceSeconds: 0 },
    log,
  });
}

void main();
