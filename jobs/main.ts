import { startProcess, stopOnSignals } from '../src/app/process';
import { workerRedis } from '../src/redis/client';
import { startWorkers } from './worker';

/** `npm run start:worker`: pollers, capture-before-expiry, webhook events and the sweeper. */
async function main(): Promise<void> {
  const { config, log, redis, services, close } = await startProcess('worker', workerRedis);
  const running = await startWorkers(services, redis);
  log.info({ queues: running.workers.map((w) => w.name) }, 'worker started');
  stopOnSignals({
    stop: async () => {
      log.info('worker stopping: finishing the jobs in hand');
      await running.close();
      await close();
    },
    // No load balancer sends the worker anything, so there is no readiness to turn off first.
    shutdown: { ...config.shutdown, graceSeconds: 0 },
    log,
  });
}

void main();
