/**
 * One money mutation as the audit log keeps it (issue 6): who did what to which payment,
 * agreement or charge, for how much, with which idempotency key, and how it ended. Never a
 * secret: the actor is an API key's configured id, never the key or a token.
 */
export const AUDITED_OPERATIONS = [
  'createPayment',
  'capturePayment',
  'refundPayment',
  'cancelPayment',
  'addPaymentReceipt',
  'forceApprovePayment',
  'createAgreement',
  'updateAgreement',
  'stopAgreement',
  'createCharge',
  'captureCharge',
  'cancelCharge',
  'refundCharge',
] as const;
export type AuditOperation = (typeof AUDITED_OPERATIONS)[number];

/** The worker's automatic capture before a reservation expires (`jobs/capture-before-expiry.processor.ts`). */
export const SYSTEM_CAPTURE_ACTOR = 'system:capture-before-expiry';
/** The customer pressing Stop on the agreement page (`/agreements/manage/<token>`). */
export const AGREEMENT_PAGE_ACTOR = 'customer:agreement-page';

/**
 * Who an operation is done for, as the audit log names them: an API key's configured id, or
 * `system:<job>`, or `customer:<page>`, or `console:<key id>:<staff name>` (the support console). Services take it from their caller and the mutation frame
 * writes it; a status token acts on nothing.
 */
export type Actor = string;

/** `OK`, or the code of the first error the operation ended with. */
export function outcomeOf(errors: readonly { code: string }[]): string {
  return errors[0]?.code ?? 'OK';
}

export interface AuditRecord {
  /** Who did it (see `Actor`). */
  actor: Actor;
  operation: AuditOperation;
  msn: string;
  reference?: string | null;
  agreementId?: string | null;
  chargeId?: string | null;
  /** Minor units and currency, when the operation names or decides an amount. */
  amount?: { value: number; currency: string } | null;
  idempotencyKey: string;
  /** `OK`, or the `ErrorCode` the operation ended with. */
  outcome: string;
  /** Why a person did it, in their words (the support console asks for it; see `audit-reason.ts`). */
  reason?: string | null;
}

export interface AuditEntry extends AuditRecord {
  /** The Redis stream id: when it was written, and the cursor. */
  id: string;
  at: Date;
}

/** Stream entry fields (flat strings) from a record, and back. Empty optional fields are left out. */
export function toStreamFields(record: AuditRecord, at: Date): string[] {
  const fields: [string, string | null | undefined][] = [
    ['at', at.toISOString()],
    ['actor', record.actor],
    ['operation', record.operation],
    ['msn', record.msn],
    ['reference', record.reference],
    ['agreementId', record.agreementId],
    ['chargeId', record.chargeId],
    ['amount', record.amount ? String(record.amount.value) : null],
    ['currency', record.amount ? record.amount.currency : null],
    ['idempotencyKey', record.idempotencyKey],
    ['outcome', record.outcome],
    ['reason', record.reason],
  ];
  return fields.flatMap(([name, value]) => (value == null || value === '' ? [] : [name, value]));
}

export function fromStreamFields(id: string, flat: readonly string[]): AuditEntry {
  const f = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) f.set(flat[i] as string, flat[i + 1] as string);
  const amount = f.get('amount');
  return {
    id,
    at: new Date(f.get('at') ?? Number(id.split('-')[0])),
    actor: f.get('actor') ?? 'unknown',
    operation: (f.get('operation') ?? 'unknown') as AuditOperation,
    msn: f.get('msn') ?? '',
    reference: f.get('reference') ?? null,
    agreementId: f.get('agreementId') ?? null,
    chargeId: f.get('chargeId') ?? null,
    amount: amount !== undefined ? { value: Number(amount), currency: f.get('currency') ?? '' } : null,
    idempotencyKey: f.get('idempotencyKey') ?? '',
    outcome: f.get('outcome') ?? 'unknown',
    reason: f.get('reason') ?? null,
  };
}

/** A stream id as Redis makes them: `<ms>-<seq>`. */
export const STREAM_ID = /^\d{1,15}-\d{1,15}$/;
