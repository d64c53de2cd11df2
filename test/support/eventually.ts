/**
 * Polls an async assertion until it passes or `timeoutMs` runs out, then rethrows its last
 * failure (docs/design.md, convention 11: no blind sleeps). Returns what the assertion returned when it passed.
 */
export async function expectEventually<T>(assertion: () => Promise<T>, { timeoutMs = 10_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
