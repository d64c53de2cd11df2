import type { Config } from '../config/config';

/**
 * One HTTP attempt against Vipps with a hard timeout, and the pieces every attempt shares. Retrying
 * is decided elsewhere (`retry.ts`) and looped in `transport.ts` / `access-token.ts`.
 */

export type FetchFn = typeof fetch;
export type SystemInfo = Config['vipps']['system'];

export interface ExchangeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface ExchangeResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** False when a non-empty body could not be parsed as JSON. */
  json: boolean;
}

/** No response arrived: the request may or may not have reached Vipps. */
export class NoResponseError extends Error {
  constructor(
    readonly timedOut: boolean,
    cause: unknown,
  ) {
    super(timedOut ? 'timed out' : 'network error', { cause });
    this.name = 'NoResponseError';
  }
}

/** The four Vipps-System-* headers Vipps asks every integration to send (docs/vipps.md §3). */
export function systemHeaders(system: SystemInfo): Record<string, string> {
  return {
    'Vipps-System-Name': system.name,
    'Vipps-System-Version': system.version,
    'Vipps-System-Plugin-Name': system.pluginName,
    'Vipps-System-Plugin-Version': system.pluginVersion,
  };
}

/** Sends once. The timeout covers the whole exchange, body included, so a stalled stream cannot hang a caller. */
export async function exchange(fetchFn: FetchFn, request: ExchangeRequest): Promise<ExchangeResponse> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await fetchFn(request.url, { method: request.method, headers: request.headers, body: request.body, signal });
    const text = await response.text();
    const { body, json } = parseBody(text);
    return { status: response.status, headers: response.headers, body, json };
  } catch (error) {
    throw new NoResponseError(signal.aborted || isTimeout(error), error);
  }
}

function parseBody(text: string): { body: unknown; json: boolean } {
  if (text.trim() === '') return { body: undefined, json: true };
  try {
    return { body: JSON.parse(text), json: true };
  } catch {
    return { body: text, json: false };
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
