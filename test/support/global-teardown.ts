import { rmSync } from 'node:fs';
import { takeTestServices } from './global-setup';

/** Stops what `global-setup.ts` started; runs in the same process, after the last test file. */
export default async function globalTeardown(): Promise<void> {
  const services = takeTestServices();
  if (!services) return;
  await services.stopRedis?.();
  if (services.dataDir) rmSync(services.dataDir, { recursive: true, force: true });
}
