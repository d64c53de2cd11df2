import { DEMO_ORDERS, startOrdersSubgraph } from './orders-subgraph';

/** `node dist/examples/orders/main.js [port]`: the demo orders subgraph (default port 4002). */
async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 4002);
  const subgraph = await startOrdersSubgraph(DEMO_ORDERS, port);
  process.stdout.write(`orders subgraph at ${subgraph.url}\n`);
  const stop = () => void subgraph.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
