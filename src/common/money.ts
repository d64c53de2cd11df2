/** Money is integer minor units (øre/cents) with a currency; never a float. */
export const CURRENCIES = ['NOK', 'DKK', 'EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface Amount {
  value: number;
  currency: Currency;
}

/** "1250.00 NOK" from 125000 minor units, with integer arithmetic only. */
export function formatMoney(value: number, currency: string): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${currency}`;
}

/** The smallest amount Vipps accepts per payment (docs/vipps.md §4): NOK 1.00, DKK/EUR 0.01. */
export function minimumAmount(currency: Currency): number {
  return currency === 'NOK' ? 100 : 1;
}

/** The largest ePayment amount (docs/vipps.md §7.1). */
export const MAX_PAYMENT_AMOUNT = 65_000_000;
