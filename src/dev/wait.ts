/** Thrown when something did not become ready: in time (`timedOut`) or because `abort` said so. */
export class NotReadyError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Checked before every attempt; a string stops the wait with that message. */
  abort?: () => string | undefined;
}

/**
 * Calls `probe` until it resolves true, the deadline passes or `abort` says stop. A probe that
 * throws counts as "not yet" (a server that is still binding refuses connections).
 */
export async function waitUntil(what: string, probe: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  let lastError = '';
  for (;;) {
    const aborted = options.abort?.();
    if (aborted) throw new NotReadyError(aborted, false);
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error instanceof Error ? `: ${error.message}` : '';
    }
    if (Date.now() >= deadline) {
      throw new NotReadyError(`${what} was not ready after ${Math.round(options.timeoutMs / 1000)} s${lastError}`, true);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** True when `GET url` answers 200 within a second. */
export async function answers200(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return response.status === 200;
}
