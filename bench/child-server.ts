import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The child side of `startChildServer` (baseline.ts): listens on a free loopback port, tells the
 * parent `{ port }`, and on `stop` closes every connection, runs `cleanup` and exits.
 */
export async function serveForParent(server: Server, cleanup: () => void): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  process.on('message', (message) => {
    if (message !== 'stop') return;
    server.closeAllConnections();
    server.close(() => {
      cleanup();
      process.exit(0);
    });
  });
  process.send?.({ port: (server.address() as AddressInfo).port });
}

/** Runs a child server's `main`, reporting a failure on stderr with a non-zero exit. */
export function runChild(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
