import { merchantFor, requireScope, type Caller } from '../access/caller';
import { badCursor, decodeCursor, encodeCursor, type Page } from '../graphql/paging';
import type { PaymentKey } from './payment-reader';
import type { PaymentLoaders } from './payment.loaders';
import type { PaymentEventRecord, PaymentRecord, PaymentState } from './payment-record';
import type { PaymentRegistry } from './payment-registry';
import { REFERENCE_PATTERN } from './payment-validation';

/** Which payment a caller may read under `reference`, or null (unknown and foreign look alike). */
export function paymentKeyFor(caller: Caller, reference: string, msn: string | null | undefined): PaymentKey | null {
  if (!REFERENCE_PATTERN.test(reference)) return null;
  if (caller.kind === 'status-token') {
    const same = caller.reference === reference && (msn == null || msn === caller.msn);
    return same ? { msn: caller.msn, reference } : null;
  }
  const merchant = merchantFor(requireScope(caller, 'payments:read'), msn);
  return merchant ? { msn: merchant, reference } : null;
}

/**
 * A page of a merchant's payments, newest first, from the registry. Payments still cached come
 * back with the page in the same round trip; the rest are read through the request's loader.
 */
export async function listPayments(
  registry: PaymentRegistry,
  loaders: PaymentLoaders,
  msn: string,
  states: readonly PaymentState[] | null,
  first: number,
  after: string | null | undefined,
): Promise<Page<PaymentRecord>> {
  const cursor = after ? parsePaymentCursor(after) : null;
  const page = await registry.page(msn, states, first, cursor);
  const rows = page.rows.slice(0, first);
  for (const row of rows) if (row.cached) loaders.payment.prime({ msn, reference: row.reference }, row.cached);
  const records = await loaders.payment.loadMany(rows.map((r) => ({ msn, reference: r.reference })));
  const items: Page<PaymentRecord>['items'] = [];
  rows.forEach((row, i) => {
    const record = records[i];
    if (record && !(record instanceof Error)) items.push({ cursor: encodeCursor(`${row.createdAtMs}:${row.reference}`), node: record });
    else if (record instanceof Error) throw record;
  });
  return { items, hasNextPage: page.rows.length > first, totalCount: page.total };
}

function parsePaymentCursor(cursor: string): { createdAtMs: number; reference: string } {
  const [ms, reference] = decodeCursor(cursor).split(':');
  const createdAtMs = Number(ms);
  if (!Number.isSafeInteger(createdAtMs) || !reference) badCursor();
  return { createdAtMs, reference };
}

/** A page of a payment's event log, oldest first, cursors by position. */
export function pageEvents(events: readonly PaymentEventRecord[], first: number, after: string | null | undefined): Page<PaymentEventRecord> {
  let start = 0;
  if (after) {
    const index = Number(decodeCursor(after));
    if (!Number.isInteger(index) || index < 0) badCursor();
    start = index + 1;
  }
  const slice = events.slice(start, start + first);
  return {
    items: slice.map((node, i) => ({ cursor: encodeCursor(String(start + i)), node })),
    hasNextPage: start + first < events.length,
    totalCount: events.length,
  };
}
