import { configOrExit } from '../config/config';
import { createLogger } from '../log/logger';
import { startSimulator } from './simulator-server';

/** `npm run simulator`: the Vipps simulator alone, on SIMULATOR_PORT (default 4010). */
async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  const sim = await startSimulator({ port: config.simulator.port, merchants: config.simulator.merchants, log });
  log.info({ url: sim.url, merchants: config.simulator.merchants.map((m) => m.msn) }, 'Vipps simulator listening');
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
