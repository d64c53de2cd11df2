import { merchantFor, requireScope, type Caller } from '../access/caller';
import { badCursor, decodeCursor, encodeCursor, type Page } from '../graphql/paging';
import type { AgreementKey, ChargeKey } from './recurring-cache';
import type { RecurringLoaders } from './recurring.loaders';
import type { RecurringReader } from './recurring-reader';
import type { AgreementRecord, AgreementStatus, ChargeRecord, ChargeStatus } from './recurring-record';
import { isAgreementId, isChargeId } from './recurring-validation';

/** Which agreement a caller may read, or null (unknown, malformed and foreign look alike). */
export function agreementKeyFor(caller: Caller, agreementId: string, msn: string | null | undefined): AgreementKey | null {
  const merchant = merchantFor(requireScope(caller, 'recurring:read'), msn);
  return merchant && isAgreementId(agreementId) ? { msn: merchant, agreementId } : null;
}

export function chargeKeyFor(caller: Caller, agreementId: string, chargeId: string, msn: string | null | undefined): ChargeKey | null {
  const key = agreementKeyFor(caller, agreementId, msn);
  return key && isChargeId(chargeId) ? { ...key, chargeId } : null;
}

/** Position cursors (`<scope>:<index>`); the scope stops a cursor from one list being used on another. */
function startAfter(after: string | null | undefined, scope: string): number {
  if (!after) return 0;
  const text = decodeCursor(after);
  const cut = text.lastIndexOf(':');
  const index = Number(text.slice(cut + 1));
  if (cut < 0 || text.slice(0, cut) !== scope || !Number.isInteger(index) || index < 0) badCursor();
  return index + 1;
}

/**
 * A page of a merchant's agreements in one status, in Vipps' order. The id list comes from the
 * cache (ListAgreements is 5/min), the agreements through the request's loader (one MGET). An
 * agreement that changed status since the list was read is left out of this page.
 */
export async function listAgreements(
  reader: RecurringReader,
  loaders: RecurringLoaders,
  msn: string,
  status: AgreementStatus,
  first: number,
  after: string | null | undefined,
): Promise<Page<AgreementRecord>> {
  const ids = await reader.agreementIds(msn, status);
  const start = startAfter(after, status);
  const slice = ids.slice(start, start + first);
  const records = await loaders.agreement.loadMany(slice.map((agreementId) => ({ msn, agreementId })));
  const items: Page<AgreementRecord>['items'] = [];
  records.forEach((record, i) => {
    if (record instanceof Error) throw record;
    if (record && record.status === status) items.push({ cursor: encodeCursor(`${status}:${start + i}`), node: record });
  });
  return { items, hasNextPage: start + first < ids.length, totalCount: ids.length };
}

/** A page of an agreement's charges, optionally of one status, in Vipps' order. */
export function pageCharges(charges: readonly ChargeRecord[], status: ChargeStatus | null, first: number, after: string | null | undefined): Page<ChargeRecord> {
  const matching = status ? charges.filter((c) => c.status === status) : charges;
  const start = startAfter(after, status ?? 'ALL');
  return {
    items: matching.slice(start, start + first).map((node, i) => ({ cursor: encodeCursor(`${status ?? 'ALL'}:${start + i}`), node })),
    hasNextPage: start + first < matching.length,
    totalCount: matching.length,
  };
}
