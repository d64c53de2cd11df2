/**
 * The promise's value, or undefined when it rejects or has not settled within `ms`: for answers
 * that must not wait on Redis (a health check, a metrics scrape) while a worker connection, which
 * queues commands until Redis is back, would wait forever.
 */
export async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
