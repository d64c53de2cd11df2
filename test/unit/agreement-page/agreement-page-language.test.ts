import type { IncomingMessage } from 'node:http';
import { formatAmount, formatDate, priceText } from '../../../src/agreement-page/agreement-page.format';
import { chooseLanguage, fromAcceptLanguage, languageCookie } from '../../../src/agreement-page/agreement-page.language';
import { TEXT } from '../../../src/agreement-page/agreement-page.text';
import type { AgreementRecord } from '../../../src/recurring/recurring-record';

const NBSP = '\u00a0';

function request(url: string, headers: Record<string, string> = {}): IncomingMessage {
  return { url, headers } as unknown as IncomingMessage;
}

describe('the agreement page language', () => {
  it('reads Accept-Language by q-value, order breaking ties, q=0 refusing, and falls back to English', () => {
    expect(fromAcceptLanguage('nb-NO,nb;q=0.9,en;q=0.8')).toBe('nb');
    expect(fromAcceptLanguage('nn')).toBe('nb');
    expect(fromAcceptLanguage('no')).toBe('nb');
    expect(fromAcceptLanguage('en;q=0.5, da;q=0.8')).toBe('da');
    expect(fromAcceptLanguage('de-DE, fi;q=0.3, en;q=0.2')).toBe('fi');
    expect(fromAcceptLanguage('FI-fi')).toBe('fi');
    expect(fromAcceptLanguage('da;q=0, sv, nb;q=0.1')).toBe('nb');
    expect(fromAcceptLanguage('da, fi')).toBe('da');
    expect(fromAcceptLanguage('fi;q=0.7, da;q=0.7')).toBe('fi');
    expect(fromAcceptLanguage('sv-SE, de')).toBe('en');
    expect(fromAcceptLanguage('*')).toBe('en');
    expect(fromAcceptLanguage('')).toBe('en');
    expect(fromAcceptLanguage(undefined)).toBe('en');
    expect(fromAcceptLanguage('da;q=nonsense, fi;q=0.5')).toBe('da'); // an unreadable q counts as 1
  });

  it('puts ?lang first, then the cookie, then the header; an unknown ?lang is ignored', () => {
    const header = { 'accept-language': 'fi', cookie: 'other=1; agreement_lang=da' };
    expect(chooseLanguage(request('/agreements/manage/t?lang=nb', header))).toEqual({ language: 'nb', picked: true });
    expect(chooseLanguage(request('/agreements/manage/t', header))).toEqual({ language: 'da', picked: false });
    expect(chooseLanguage(request('/agreements/manage/t?lang=xx', { 'accept-language': 'fi', cookie: 'agreement_lang=zz' }))).toEqual({ language: 'fi', picked: false });
    expect(languageCookie('da', '/agreements/manage/a1.x.y', true)).toBe('agreement_lang=da; Path=/agreements/manage/a1.x.y; Max-Age=31536000; HttpOnly; SameSite=Lax; Secure');
  });

  it('formats money from minor units and dates in each language', () => {
    expect(formatAmount(19900, 'NOK', TEXT.nb)).toBe(`199,00${NBSP}kr`);
    expect(formatAmount(123456789, 'DKK', TEXT.da)).toBe(`1.234.567,89${NBSP}kr.`);
    expect(formatAmount(5, 'EUR', TEXT.fi)).toBe(`0,05${NBSP}€`);
    expect(formatAmount(-19900, 'NOK', TEXT.en)).toBe(`-NOK${NBSP}199.00`);
    expect(formatDate('2026-12-01T00:00:00Z', TEXT.nb)).toBe('1. desember 2026');
    expect(formatDate('2026-12-01T00:00:00Z', TEXT.fi)).toBe('1. joulukuuta 2026');
    expect(formatDate('2026-12-01T00:00:00Z', TEXT.en)).toBe('1 December 2026');
  });

  it('words the price and interval in each language', () => {
    const agreement = {
      pricing: { type: 'LEGACY', currency: 'NOK', amount: 19900, suggestedMaxAmount: null, maxAmount: null },
      interval: { unit: 'MONTH', count: 1, text: null },
    } as AgreementRecord;
    const twoWeeks = { ...agreement, interval: { unit: 'WEEK', count: 2, text: null } } as AgreementRecord;
    expect(priceText(agreement, TEXT.nb)).toBe(`199,00${NBSP}kr per måned`);
    expect(priceText(twoWeeks, TEXT.nb)).toBe(`199,00${NBSP}kr hver 2. uke`);
    expect(priceText(agreement, TEXT.da)).toBe(`199,00${NBSP}NOK om måneden`);
    expect(priceText(twoWeeks, TEXT.fi)).toBe(`199,00${NBSP}NOK 2 viikon välein`);
    // Vipps' own `interval.text` is English whatever the customer reads: not used.
    expect(priceText({ ...agreement, interval: { unit: 'MONTH', count: 1, text: 'every month' } }, TEXT.fi)).toBe(`199,00${NBSP}NOK kuukaudessa`);
    expect(priceText({ ...agreement, interval: { unit: 'DAY', count: 3, text: null } }, TEXT.en)).toBe(`NOK${NBSP}199.00 every 3 days`);
  });
});
