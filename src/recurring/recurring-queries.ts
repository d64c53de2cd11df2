import { merchantFor, requireScope, type Caller } from '../access/caller';
import { badCursor, decodeCursor, encodeCursor, type Page } from '../graphql/paging';
import type { AgreementKey, ChargeKey } from './recurring-cache';
import type { RecurringLoaders } from './recurring.loaders';
import type { AgreementRecord, AgreementStatus, ChargeRecord, ChargeStatus } from './recurring-record';
import { isAgreementPosition, type RecurringRegistry } from './recurring-registry';
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

/** Charge cursors (`<scope>:<index>`); the scope stops a cursor from one list being used on another. */
function startAfter(after: string | null | undefined, scope: string): number {
  if (!after) return 0;
  const text = decodeCursor(after);
  const cut = text.lastIndexOf(':');
  const index = Number(text.slice(cut + 1));
  if (cut < 0 || text.slice(0, cut) !== scope || !Number.isInteger(index) || index < 0) badCursor();
  return index + 1;
}

/**
 * A page of a merchant's agreements in one status, oldest first, from the registry's index (no
 * Vipps list call), the agreements through the request's loader (one MGET when cached). An
 * agreement the loader finds in another status (it moved since it was indexed; reading it moved
 * its index entry too) is left out of this page. Cursors are positions in the index, so an
 * agreement moving between statuses while a client pages neither repeats nor hides another.
 */
export async function listAgreements(
  registry: RecurringRegistry,
  loaders: RecurringLoaders,
  msn: string,
  status: AgreementStatus,
  first: number,
  after: string | null | undefined,
): Promise<Page<AgreementRecord>> {
  const page = await registry.agreements(msn, status, after ? positionAfter(after, status) : null, first + 1);
  const rows = page.rows.slice(0, first);
  const records = await loaders.agreement.loadMany(rows.map(({ agreementId }) => ({ msn, agreementId })));
  const items: Page<AgreementRecord>['items'] = [];
  records.forEach((record, i) => {
    if (record instanceof Error) throw record;
    if (record && record.status === status) items.push({ cursor: encodeCursor(`${status}:${rows[i]?.position}`), node: record });
  });
  return { items, hasNextPage: page.rows.length > first, totalCount: page.total };
}

/** The index position in an agreement cursor (`<status>:<position>`), which must be of this status. */
function positionAfter(after: string, status: AgreementStatus): string {
  const text = decodeCursor(after);
  const cut = text.indexOf(':');
  const position = text.slice(cut + 1);
  if (cut < 0 || text.slice(0, cut) !== status || !isAgreementPosition(position)) badCursor();
  return position;
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
