import { concurrencyLimit, SingleFlight } from '../common/concurrency';
import type { RecurringClient } from '../vipps/recurring-client';
import { VippsInvalidRequestError, VippsNotFoundError } from '../vipps/errors';
import type { AgreementStore } from './agreement-store';
import type { ChargeStore } from './charge-store';
import type { AgreementKey, ChargeKey, RecurringCache } from './recurring-cache';
import { agreementFromVipps, chargeFromVipps } from './recurring-mapper';
import { type AgreementRecord, type AgreementStatus, type ChargeRecord } from './recurring-record';

/** At most this many Vipps reads in flight per process. */
const MAX_CONCURRENT_VIPPS_READS = 16;
/** Vipps [now] pages ListAgreements; the sweeper reads whole lists into the registry. */
const LIST_PAGE_SIZE = 1000;
const MAX_LIST_PAGES = 20;

const keyOf = (...parts: string[]) => parts.join('\u0000');

/**
 * Reads agreements and charges: cache first (one MGET per batch), Vipps for misses (bounded
 * concurrency, one call per thing however many ask at once). What Vipps says goes to the
 * agreement and charge stores, which cache it and announce what moved, whoever asked.
 * `refresh*` always asks Vipps: mutations, the agreement page and pollers use them.
 */
export class RecurringReader {
  private readonly limit = concurrencyLimit(MAX_CONCURRENT_VIPPS_READS);
  private readonly agreementFlights = new SingleFlight<AgreementRecord | null>();
  private readonly chargeFlights = new SingleFlight<ChargeRecord | null>();
  private readonly chargeListFlights = new SingleFlight<ChargeRecord[]>();

  constructor(
    private readonly vipps: RecurringClient,
    private readonly cache: RecurringCache,
    private readonly agreements: AgreementStore,
    private readonly charges: ChargeStore,
  ) {}

  async loadAgreements(keys: readonly AgreementKey[]): Promise<(AgreementRecord | null)[]> {
    const cached = await this.cache.getAgreements(keys);
    return Promise.all(keys.map((k, i) => cached[i] ?? this.refreshAgreement(k.msn, k.agreementId)));
  }

  async loadCharges(keys: readonly ChargeKey[]): Promise<(ChargeRecord | null)[]> {
    const cached = await this.cache.getCharges(keys);
    return Promise.all(keys.map((k, i) => cached[i] ?? this.refreshCharge(k.msn, k.agreementId, k.chargeId)));
  }

  /**
   * All charges of each agreement, in Vipps' order: two MGETs when warm (the id lists, then the
   * charges); an agreement whose list or any charge is missing is listed again (one call).
   */
  async chargesOfMany(keys: readonly AgreementKey[]): Promise<ChargeRecord[][]> {
    const lists = await this.cache.getChargeLists(keys);
    const wanted = keys.flatMap((k, i) => (lists[i] ?? []).map((chargeId) => ({ ...k, chargeId })));
    const charges = await this.cache.getCharges(wanted);
    const byKey = new Map<string, ChargeRecord>();
    for (const c of charges) if (c) byKey.set(keyOf(c.merchantSerialNumber, c.agreementId, c.chargeId), c);
    return Promise.all(
      keys.map(async (k, i) => {
        const ids = lists[i];
        const found = ids?.map((id) => byKey.get(keyOf(k.msn, k.agreementId, id)));
        if (found && found.every((c): c is ChargeRecord => c !== undefined)) return found;
        return this.refreshChargeList(k.msn, k.agreementId);
      }),
    );
  }

  refreshAgreement(msn: string, agreementId: string): Promise<AgreementRecord | null> {
    return this.agreementFlights.share(keyOf(msn, agreementId), () =>
      this.limit(async () => {
        const body = await notFoundAsNull(() => this.vipps.getAgreement(msn, agreementId));
        if (!body) return null;
        const record = agreementFromVipps(msn, body);
        await this.agreements.store(record);
        return record;
      }),
    );
  }

  refreshCharge(msn: string, agreementId: string, chargeId: string): Promise<ChargeRecord | null> {
    return this.chargeFlights.share(keyOf(msn, agreementId, chargeId), () =>
      this.limit(async () => {
        const body = await notFoundAsNull(() => this.vipps.getCharge(msn, agreementId, chargeId));
        if (!body) return null;
        const record = chargeFromVipps(msn, body);
        await this.charges.store(record);
        return record;
      }),
    );
  }

  /** List an agreement's charges at Vipps (following continuation tokens) and store them all. */
  refreshChargeList(msn: string, agreementId: string): Promise<ChargeRecord[]> {
    return this.chargeListFlights.share(keyOf(msn, agreementId), () =>
      this.limit(async () => {
        const records: ChargeRecord[] = [];
        let continuationToken: string | undefined;
        for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
          const result = await notFoundAsNull(() => this.vipps.listCharges(msn, agreementId, continuationToken ? { continuationToken } : {}));
          if (!result) break;
          records.push(...result.items.map((c) => chargeFromVipps(msn, c)));
          continuationToken = result.continuationToken;
          if (!continuationToken) break;
        }
        const [agreement] = await this.cache.getAgreements([{ msn, agreementId }]);
        await this.charges.storeListed({ msn, agreementId }, records, agreement ?? null);
        return records;
      }),
    );
  }

  /**
   * List a merchant's agreements in one status at Vipps and store each page as it comes (so an
   * agreement that never passed through us joins the registry). Spends one of the merchant's 5
   * ListAgreements calls a minute per page: only the sweeper calls it. Returns how many were listed.
   */
  async listAtVipps(msn: string, status: AgreementStatus): Promise<number> {
    let listed = 0;
    for (let pageNumber = 1; pageNumber <= MAX_LIST_PAGES; pageNumber += 1) {
      const page = await this.limit(() => this.vipps.listAgreements(msn, { status, pageNumber, pageSize: LIST_PAGE_SIZE }));
      if (!(await this.agreements.storeAll(page.items.map((a) => agreementFromVipps(msn, a))))) throw new Error('the listed agreements could not be stored');
      listed += page.items.length;
      if (page.items.length < LIST_PAGE_SIZE) break;
    }
    return listed;
  }
}

/** Unknown, foreign and malformed ids all read as "not found" (Vipps answers 404 or invalid-agreement-id). */
async function notFoundAsNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof VippsNotFoundError) return null;
    if (error instanceof VippsInvalidRequestError && error.problem === 'invalid-agreement-id') return null;
    throw error;
  }
}
