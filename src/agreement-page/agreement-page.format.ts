import type { AgreementRecord } from '../recurring/recurring-record';
import type { PageText } from './agreement-page.text';

/** Money and dates in the page's language, and the agreement's price in words. Pure. */

/**
 * "199,00 kr" (nb), "NOK 199.00" (en) from 19900 minor units. Intl is given the amount as an exact
 * decimal string, so no float ever stands for the money.
 */
export function formatAmount(minorUnits: number, currency: string, t: PageText): string {
  const abs = Math.abs(minorUnits);
  const decimal = `${minorUnits < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}` as `${number}`;
  return new Intl.NumberFormat(t.locale, { style: 'currency', currency }).format(decimal);
}

/** A charge's due date (Vipps sends midnight UTC, so the day is read in UTC). */
export function formatDate(iso: string, t: PageText): string {
  return new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
}

/** Worded here, not taken from Vipps' `interval.text`, which is always English ("every month"). */
function intervalText(a: AgreementRecord, t: PageText): string {
  return a.interval ? t.every(a.interval.unit, a.interval.count) : '';
}

/** "NOK 199.00 every month", "Opptil 500,00 kr per måned", or "Pay per use". */
export function priceText(a: AgreementRecord, t: PageText): string {
  const { pricing: p } = a;
  const every = intervalText(a, t);
  if (p.type === 'LEGACY' && p.amount !== null) return `${formatAmount(p.amount, p.currency, t)} ${every}`.trim();
  if (p.type === 'VARIABLE') {
    const max = p.maxAmount ?? p.suggestedMaxAmount;
    return max !== null ? `${t.upTo(formatAmount(max, p.currency, t))} ${every}`.trim() : `${t.variablePrice} ${every}`.trim();
  }
  return t.payPerUse;
}
