import { startGateway } from './gateway';

/**
 * `node dist/examples/gateway/main.js [vipps-graph url] [orders url] [port]`: a gateway in front of
 * vipps-graph (default http://localhost:4000/graphql) and the demo orders subgraph (default
 * http://localhost:4002/), on port 4100. The fourth argument is the API key used to read
 * vipps-graph's SDL at start-up (default: the simulator's `dev`).
 */
async function main(): Promise<void> {
  const [payments = 'http://localhost:4000/graphql', orders = 'http://localhost:4002/', port = '4100', key = 'dev'] = process.argv.slice(2);
  const gateway = await startGateway({
    subgraphs: [
      { name: 'payments', url: payments },
      { name: 'orders', url: orders },
    ],
    schemaAuthorization: `Bearer ${key}`,
    port: Number(port),
  });
  process.stdout.write(`gateway at ${gateway.url}\n`);
  const stop = () => void gateway.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
