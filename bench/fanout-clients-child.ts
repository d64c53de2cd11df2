import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { serveRpc, wallMs } from './ipc';

/**
 * The subscribers of the fan-out benchmark, in their own process so their CPU does not compete
 * with the server's event loop. `graphql-ws` mode: one graphql-ws client (on `ws`) per
 * subscriber, each following the query given. `raw` mode: one plain `ws` connection per
 * subscriber, for the baseline. Every message is parsed (JSON) in both modes; the time a
 * subscriber got its k-th message is taken (wall clock, see `wallMs`) when its handler runs.
 */
interface OpenArgs {
  mode: 'graphql-ws' | 'raw';
  /** ws://… (raw) or the API's http://… base URL (graphql-ws). */
  url: string;
  count: number;
  batch: number;
  query?: string;
  variables?: Record<string, unknown>;
  authorization?: string;
}

let received: number[][] = [];
let errors: string[] = [];
let sample: string | null = null;
const disposers: (() => void)[] = [];

function record(i: number): void {
  (received[i] as number[]).push(wallMs());
}

function openGraphqlWs(args: OpenArgs, i: number): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (error?: string) => {
      if (settled) return;
      settled = true;
      if (error) errors.push(error);
      resolve();
    };
    const client: Client = createClient({
      url: `${args.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: args.authorization },
      retryAttempts: 0,
      lazy: true,
      on: {
        connected: () => done(),
        closed: (event) => done(`closed ${(event as { code?: number }).code ?? ''} before connected`),
        error: (error) => done(`error ${String(error)}`),
      },
    });
    const id = randomUUID();
    const unsubscribe = client.subscribe(
      { query: args.query as string, variables: args.variables ?? {} },
      {
        next: (result) => {
          record(i);
          if (result.errors) errors.push(JSON.stringify(result.errors));
          if (sample === null) sample = JSON.stringify({ id, type: 'next', payload: result });
        },
        error: (error) => void errors.push(`subscription error ${JSON.stringify(error)}`),
        complete: () => undefined,
      },
    );
    disposers.push(() => {
      unsubscribe();
      void client.dispose();
    });
  });
}

function openRaw(args: OpenArgs, i: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(args.url);
    let settled = false;
    socket.once('open', () => {
      settled = true;
      resolve();
    });
    socket.once('error', (error) => {
      errors.push(`error ${error.message}`);
      if (!settled) resolve();
      settled = true;
    });
    socket.on('message', (data) => {
      JSON.parse(String(data));
      record(i);
    });
    disposers.push(() => socket.terminate());
  });
}

serveRpc({
  /** Opens `count` subscribers, `batch` at a time (each batch connected before the next starts). */
  open: async (args: OpenArgs) => {
    const started = wallMs();
    received = Array.from({ length: args.count }, () => []);
    errors = [];
    for (let first = 0; first < args.count; first += args.batch) {
      const batch: Promise<void>[] = [];
      for (let i = first; i < Math.min(args.count, first + args.batch); i++) batch.push(args.mode === 'raw' ? openRaw(args, i) : openGraphqlWs(args, i));
      await Promise.all(batch);
    }
    return { ms: Math.round(wallMs() - started), errors: errors.length, firstError: errors[0] ?? null };
  },
  /**
   * Waits until every subscriber has `k` messages (or `timeoutMs` passed) and returns the time
   * each got its k-th (NaN when it did not), with one message as sent (graphql-ws mode).
   */
  collect: async ({ k, timeoutMs }: { k: number; timeoutMs: number }) => {
    const deadline = Date.now() + timeoutMs;
    const missing = () => received.filter((r) => r.length < k).length;
    while (missing() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return {
      times: received.map((r) => r[k - 1] ?? Number.NaN),
      missing: missing(),
      extra: received.filter((r) => r.length > k).length,
      errors: errors.length,
      firstError: errors[0] ?? null,
      sample,
    };
  },
  close: () => {
    for (const dispose of disposers.splice(0)) dispose();
  },
  stop: () => {
    for (const dispose of disposers.splice(0)) dispose();
  },
});
