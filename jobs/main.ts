import { startProcess, stopOnSignals } from '../src/app/process';
import { workerRedis } from '../src/redis/client';
import { startWorkers } from './worker';

/** `npm run start:worker`: pollers, capture-before-expiry, webhook events and the sweeper. */
async function main(): Promise<void> {
  const { log, redis, services, close } = await startProcess(workerRedis);
  const running = await startWorkers(services, redis);
  log.info({ queues: running.workers.map((w) => w.name) }, 'worker started');
  stopOnSignals(async () => {
    log.info('worker stopping: finishing the jobs in hand');
    await running.close();
    await close();
  });
}

void main();
