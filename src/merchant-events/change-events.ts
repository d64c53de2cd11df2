import { createHash } from 'node:crypto';
import { progressVersion } from '../payments/payment-version';
import type { PaymentRecord } from '../payments/payment-record';
import type { CaptureThreshold } from '../queues/queues';
import type { AgreementRecord, ChargeRecord } from '../recurring/recurring-record';
import { agreementVersion, chargeVersion } from '../recurring/recurring-versions';
import type { CaptureWarning, MerchantEvent, MerchantEventType } from './merchant-event';

/**
 * The merchant events of one stored change, built from the record alone (pure). Ids come from
 * the resource and the version the registry stored (`progressVersion`, `agreementVersion`,
 * `chargeVersion`), so the same change announced twice — by two replicas, or again after a
 * retried job — carries the same id.
 */

/** An opaque id from what the event is about: equal parts, equal id; never random. */
export function eventId(...parts: readonly string[]): string {
  return `evt_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;
}

function event(type: MerchantEventType, msn: string, idParts: readonly string[], occurredAt: string, about: Partial<MerchantEvent>): MerchantEvent {
  return { id: eventId(type, msn, ...idParts), type, merchantSerialNumber: msn, occurredAt, ...about };
}

export function paymentEvents(p: PaymentRecord): MerchantEvent[] {
  return [event('PAYMENT_UPDATED', p.merchantSerialNumber, [p.reference, progressVersion(p)], p.updatedAt, { payment: p })];
}

/** AGREEMENT_UPDATED, and AGREEMENT_STOPPED when this change stopped it. */
export function agreementEvents(a: AgreementRecord, now = new Date()): MerchantEvent[] {
  const parts = [a.agreementId, agreementVersion(a)];
  const updated = event('AGREEMENT_UPDATED', a.merchantSerialNumber, parts, now.toISOString(), { agreement: a });
  if (a.status !== 'STOPPED') return [updated];
  return [updated, event('AGREEMENT_STOPPED', a.merchantSerialNumber, parts, a.stop ?? updated.occurredAt, { agreement: a })];
}

/** CHARGE_UPDATED, and CHARGE_FAILED when this change failed it. */
export function chargeEvents(c: ChargeRecord, now = new Date()): MerchantEvent[] {
  const parts = [c.agreementId, c.chargeId, chargeVersion(c)];
  const latest = c.history.at(-1)?.occurred ?? now.toISOString();
  const updated = event('CHARGE_UPDATED', c.merchantSerialNumber, parts, latest, { charge: c });
  if (c.status !== 'FAILED') return [updated];
  return [updated, event('CHARGE_FAILED', c.merchantSerialNumber, parts, latest, { charge: c })];
}

/**
 * The id of CAPTURE_DEADLINE_APPROACHING for one reservation (`reference`, or
 * `agreementId/chargeId`), deadline and threshold — not the amount left — so each threshold
 * warns once. Known from the job alone, before Vipps is read.
 */
export function captureWarningId(msn: string, target: string, deadline: string, threshold: CaptureThreshold): string {
  return eventId('CAPTURE_DEADLINE_APPROACHING', msn, target, deadline, threshold);
}

export function captureWarningEvent(
  reservation: { payment: PaymentRecord } | { charge: ChargeRecord },
  threshold: CaptureThreshold,
  warning: CaptureWarning,
  now = new Date(),
): MerchantEvent {
  const resource = 'payment' in reservation ? reservation.payment : reservation.charge;
  const target = 'payment' in reservation ? reservation.payment.reference : `${reservation.charge.agreementId}/${reservation.charge.chargeId}`;
  const msn = resource.merchantSerialNumber;
  return {
    id: captureWarningId(msn, target, warning.deadline, threshold),
    type: 'CAPTURE_DEADLINE_APPROACHING',
    merchantSerialNumber: msn,
    occurredAt: now.toISOString(),
    ...reservation,
    captureWarning: warning,
  };
}
