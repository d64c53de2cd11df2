import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DestinationRefused, resolveDestination, systemLookup, type DestinationPolicy, type HostLookup, type ResolvedAddress } from './destination';

/** What one POST to a merchant's endpoint came to: a status code, or why there was none. */
export interface SendResult {
  statusCode: number | null;
  /** A short description of the failure when there is no status code; never an address or a stack. */
  error: string | null;
  durationMs: number;
}

export interface SenderOptions {
  /** The whole exchange, from connect to the end of the answer (default 10 s). */
  timeoutMs?: number;
  lookup?: HostLookup;
}

const USER_AGENT = 'vipps-graph-webhooks/1';

/**
 * Sends webhook requests: checks the destination (destination.ts) on every send and connects to
 * the address it checked, keeps connections alive per host, and bounds each exchange by a timeout.
 * Redirects are not followed (a 3xx is a failed attempt), so a receiver cannot bounce a
 * delivery to an address the guard never saw.
 */
export class WebhookSender {
  private readonly timeoutMs: number;
  private readonly lookup: HostLookup;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly policy: DestinationPolicy,
    options: SenderOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.lookup = options.lookup ?? systemLookup;
  }

  async post(url: URL, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let destination: ResolvedAddress;
    try {
      destination = await resolveDestination(url, this.policy, this.lookup);
    } catch (error) {
      if (error instanceof DestinationRefused) return { statusCode: null, error: error.message, durationMs: elapsed() };
      throw error;
    }
    const secure = url.protocol === 'https:';
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (statusCode: number | null, error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ statusCode, error, durationMs: elapsed() });
      };
      const request = (secure ? https : http).request(url, {
        method: 'POST',
        agent: secure ? this.httpsAgent : this.httpAgent,
        lookup: pinnedLookup(destination),
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': USER_AGENT },
      });
      const timer = setTimeout(() => {
        finish(null, `no answer within ${this.timeoutMs / 1000} s`);
        request.destroy();
      }, this.timeoutMs);
      request.on('response', (response) => {
        // The answer's body means nothing to us; reading it to the end frees the connection for reuse.
        response.resume();
        response.on('end', () => finish(response.statusCode ?? null, null));
        response.on('error', () => finish(response.statusCode ?? null, null));
      });
      request.on('error', (error) => finish(null, describeNetworkError(error)));
      request.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Answers every lookup of this request with the address that was checked. */
function pinnedLookup(destination: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [destination]);
    else callback(null, destination.address, destination.family);
  };
}

/** A network failure in a few words, by its code: Node's messages carry addresses and ports. */
export function describeNetworkError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection reset';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name could not be resolved';
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_STATUS':
      return 'the answer was not HTTP';
  }
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS failed (${code})`;
  return code ? `network error (${code})` : 'network error';
}
