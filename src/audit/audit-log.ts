import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import type { RedisKeys } from '../redis/keys';
import { auditReason } from './audit-reason';
import { fromStreamFields, toStreamFields, type AuditEntry, type AuditRecord } from './audit-entry';

/** About a million entries per merchant; `~` lets Redis trim whole nodes, cheaply. */
const MAX_ENTRIES = 1_000_000;
/** Entries read per XREVRANGE while filtering. */
const CHUNK = 500;
/**
 * At most this many entries are examined for one filtered page. A stream has no index on
 * reference or agreement, so a rare match deep in the past would otherwise scan the whole
 * stream; the page then ends early with a cursor to go on from.
 */
const MAX_SCANNED_PER_PAGE = 20_000;

export interface AuditFilter {
  reference?: string | null;
  agreementId?: string | null;
  chargeId?: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  hasNextPage: boolean;
  /** Where the next page starts when the scan stopped before finding a full page. */
  scannedTo: string | null;
}

/**
 * The audit log of money mutations: one Redis stream per merchant (durable, no TTL, capped),
 * newest first when read. Writing never fails the operation it records.
 */
export class AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(record: AuditRecord): Promise<void> {
    const reason = record.reason ?? auditReason() ?? null;
    try {
      await this.redis.xadd(this.keys.auditLog(record.msn), 'MAXLEN', '~', MAX_ENTRIES, '*', ...toStreamFields(clipped({ ...record, reason }), this.now()));
    } catch (error) {
      // Loud, with what would have been written (no secrets in it), so it can be reconstructed.
      this.log.error({ err: error, audit: record }, 'audit log write failed');
    }
  }

  /** Newest first, after the stream id `after` (exclusive), matching the filter. */
  async page(msn: string, filter: AuditFilter, first: number, after: string | null): Promise<AuditPage> {
    const key = this.keys.auditLog(msn);
    const entries: AuditEntry[] = [];
    let end = after ? `(${after}` : '+';
    let scanned = 0;
    for (;;) {
      const want = filter.reference || filter.agreementId || filter.chargeId ? CHUNK : first + 1 - entries.length;
      const chunk = await this.redis.xrevrange(key, end, '-', 'COUNT', want);
      for (const [id, fields] of chunk) {
        scanned += 1;
        const entry = fromStreamFields(id, fields);
        if (!matches(entry, filter)) continue;
        if (entries.length === first) return { entries, hasNextPage: true, scannedTo: null };
        entries.push(entry);
      }
      if (chunk.length < want) return { entries, hasNextPage: false, scannedTo: null };
      const last = chunk.at(-1)?.[0] as string;
      end = `(${last}`;
      if (scanned >= MAX_SCANNED_PER_PAGE) return { entries, hasNextPage: true, scannedTo: last };
    }
  }
}

/** Fields come from callers before validation: a refused 1 MB reference is kept as its start. */
const MAX_FIELD_LENGTH = 200;

function clipped(record: AuditRecord): AuditRecord {
  const clip = (text: string | null | undefined) => (text == null || text.length <= MAX_FIELD_LENGTH ? text : `${text.slice(0, MAX_FIELD_LENGTH)}…`);
  return { ...record, reference: clip(record.reference), agreementId: clip(record.agreementId), chargeId: clip(record.chargeId), idempotencyKey: clip(record.idempotencyKey) ?? '', reason: clip(record.reason) };
}

function matches(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.reference && entry.reference !== filter.reference) return false;
  if (filter.agreementId && entry.agreementId !== filter.agreementId) return false;
  if (filter.chargeId && entry.chargeId !== filter.chargeId) return false;
  return true;
}
