import { startTestApi, OTHER_MERCHANT, type TestApi } from '../../support/api';
import { SIMULATOR_MERCHANT } from '../../../src/config/config';
import { CANCEL_CHARGE, CREATE_CHARGE, activeAgreement, advanceDays, createAgreement, dueIn, key, pollCharge } from './recurring-support';

/**
 * The customer's agreement page in the customer's language (Norwegian, Danish, Finnish, English,
 * from Accept-Language or the page's own switch), naming the merchant, listing past charges, and
 * offering no Stop before the customer has accepted. Plain HTTP against the API, the simulator and
 * Redis; the same pages in Chromium with axe-core are in test/integration/browser/agreement-page.test.ts.
 */

const NBSP = '\u00a0';

describe('customer agreement page: language, merchant, past charges', () => {
  let api: TestApi;
  beforeAll(async () => {
    // The simulator's merchant has a display name; the other one has none, so its MSN is shown.
    api = await startTestApi({ VIPPS_MERCHANTS: JSON.stringify([{ ...SIMULATOR_MERCHANT, name: 'Dagsavisen & Co' }, OTHER_MERCHANT]) });
  });
  afterAll(async () => {
    await api?.close();
  });

  const pageUrl = (merchantAgreementUrl: string) => `${api.url}${new URL(merchantAgreementUrl).pathname}`;
  async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; html: string; headers: Headers }> {
    const res = await fetch(url, { headers });
    return { status: res.status, html: await res.text(), headers: res.headers };
  }
  const htmlLang = (html: string) => /<html lang="([^"]+)">/.exec(html)?.[1];
  const status = (html: string) => /<strong id="status">([^<]*)<\/strong>/.exec(html)?.[1];

  it('speaks the language Accept-Language prefers, by q-value, with English for anything else', async () => {
    const agreement = await activeAgreement(api);
    const url = pageUrl(agreement.merchantAgreementUrl);
    const cases: [string, string, string][] = [
      ['en;q=0.4, fi;q=0.9, da;q=0.7', 'fi', 'Voimassa'],
      ['nn-NO, en;q=0.5', 'nb', 'Aktiv'],
      ['no', 'nb', 'Aktiv'],
      ['fi;q=0, da-DK;q=0.2, sv', 'da', 'Aktiv'],
      ['sv-SE, de;q=0.8', 'en', 'Active'],
    ];
    for (const [acceptLanguage, lang, words] of cases) {
      const page = await get(url, { 'accept-language': acceptLanguage });
      expect([acceptLanguage, page.status, htmlLang(page.html), status(page.html)]).toEqual([acceptLanguage, 200, lang, words]);
    }
    const finnish = await get(url, { 'accept-language': 'fi-FI' });
    expect(finnish.html).toContain(`<p class="price" id="price">199,00${NBSP}NOK kuukaudessa</p>`);
    expect(finnish.html).toContain('<button type="submit" name="confirm" value="stop">Lopeta tilaus</button>');
    const danish = await get(url, { 'accept-language': 'da' });
    expect(danish.html).toContain('Stop abonnementet');
    expect(danish.headers.get('set-cookie')).toBeNull(); // nothing remembered unless the customer picks
  });

  it('switches with ?lang links that keep the token, and remembers the pick for this page only', async () => {
    const agreement = await activeAgreement(api);
    const url = pageUrl(agreement.merchantAgreementUrl);
    const path = new URL(url).pathname;
    const finnish = await get(url, { 'accept-language': 'fi' });
    const links = [...finnish.html.matchAll(/<a href="([^"]+)" lang="([a-z]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(links).toEqual([
      [`${path}?lang=nb`, 'nb', 'Norsk'],
      [`${path}?lang=da`, 'da', 'Dansk'],
      [`${path}?lang=fi`, 'fi', 'Suomi'],
      [`${path}?lang=en`, 'en', 'English'],
    ]);
    expect(finnish.html).toContain(`<a href="${path}?lang=fi" lang="fi" hreflang="fi" aria-current="true">`);

    const picked = await get(`${url}?lang=da`, { 'accept-language': 'fi' });
    expect(htmlLang(picked.html)).toBe('da');
    expect(picked.html).toContain(`<form method="post" action="${path}/stop?lang=da"`);
    const cookie = picked.headers.get('set-cookie') ?? '';
    expect(cookie).toBe(`agreement_lang=da; Path=${path}; Max-Age=31536000; HttpOnly; SameSite=Lax`);
    // Back without ?lang: the cookie wins over Accept-Language; a wrong ?lang is ignored.
    const again = await get(url, { 'accept-language': 'fi', cookie: cookie.split(';')[0]! });
    expect(htmlLang(again.html)).toBe('da');
    expect(htmlLang((await get(`${url}?lang=sv`, { 'accept-language': 'fi' })).html)).toBe('fi');

    // The answers after Stop and the refusals speak the picked language too.
    const stopped = await fetch(`${url}/stop?lang=nb`, { method: 'POST', headers: { 'accept-language': 'fi', 'content-type': 'application/x-www-form-urlencoded' }, body: 'confirm=stop' });
    expect(stopped.status).toBe(200);
    const stoppedHtml = await stopped.text();
    expect(htmlLang(stoppedHtml)).toBe('nb');
    expect(stoppedHtml).toContain('<h1 id="result">Abonnementet ditt er nå stoppet</h1>');
    const forged = await get(`${url.slice(0, -3)}xyz`, { 'accept-language': 'da' });
    expect([forged.status, htmlLang(forged.html)]).toEqual([404, 'da']);
    expect(forged.html).toContain('Dette link til dit abonnement er ikke gyldigt');
  });

  it('names the merchant, or shows its MSN when the config gives no name', async () => {
    const named = await activeAgreement(api);
    expect((await get(pageUrl(named.merchantAgreementUrl))).html).toContain('Seller: <strong id="merchant">Dagsavisen &#38; Co</strong>');
    const other = await createAgreement(api, { msn: OTHER_MERCHANT.msn, apiKey: 'other' });
    expect((await get(pageUrl(other.agreement.merchantAgreementUrl), { 'accept-language': 'nb' })).html).toContain('Selger: <strong id="merchant">654321</strong>');
  });

  it('lists past charges newest first with date, amount and status in words, apart from the next ones', async () => {
    const agreement = await activeAgreement(api, { initialCharge: { amount: 4900, description: 'First box', transactionType: 'DIRECT_CAPTURE' } });
    const { agreementId } = agreement;
    const charge = async (amount: number, description: string, days: number) => {
      const created = await api.gql(CREATE_CHARGE, {
        input: { agreementId, idempotencyKey: key('chg'), amount: { value: amount, currency: 'NOK' }, description, due: await dueIn(api, days), retryDays: 0 },
      });
      expect(created.data.createCharge.errors).toEqual([]);
      return created.data.createCharge.charge as { chargeId: string; due: string };
    };
    const paid = await charge(19900, 'December', 2);
    const cancelled = await charge(99000, 'January', 30);
    const next = await charge(19900, 'February', 60);
    expect((await api.gql(CANCEL_CHARGE, { input: { agreementId, chargeId: cancelled.chargeId, idempotencyKey: key('cnl') } })).data.cancelCharge.errors).toEqual([]);
    await advanceDays(api, 3);
    expect((await pollCharge(api, agreementId, paid.chargeId))?.status).toBe('CHARGED');

    const { html } = await get(`${pageUrl(agreement.merchantAgreementUrl)}?lang=nb`);
    const rows = (table: string) =>
      [...(new RegExp(`<table id="${table}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '').matchAll(/<tr>(.*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[dh][^>]*>([^<]*)<\/t[dh]>/g)].map((c) => c[1]));
    const day = (iso: string) => new Intl.DateTimeFormat('nb-NO', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
    const initialDue = await api.services.recurringReader.chargesOfMany([{ msn: SIMULATOR_MERCHANT.msn, agreementId }]).then(([all]) => all!.find((c) => c.type === 'INITIAL')!.due);
    expect(rows('past-charges')).toEqual([
      ['Dato', 'Beløp', 'Gjelder', 'Status'],
      [day(cancelled.due), `990,00${NBSP}kr`, 'January', 'Kansellert'],
      [day(paid.due), `199,00${NBSP}kr`, 'December', 'Betalt'],
      [day(initialDue), `49,00${NBSP}kr`, 'First box', 'Betalt'],
    ]);
    expect(rows('next-charges')).toEqual([
      ['Dato', 'Beløp', 'Gjelder'],
      [day(next.due), `199,00${NBSP}kr`, 'February'],
    ]);
    expect(html).toContain('<h2>Tidligere trekk</h2>');
  });

  it('offers no Stop while the agreement is pending, and refuses a forged Stop on it with a sentence', async () => {
    const created = await createAgreement(api);
    const url = pageUrl(created.agreement.merchantAgreementUrl);
    const { html } = await get(url, { 'accept-language': 'da' });
    expect(status(html)).toBe('Venter på, at du godkender den i appen');
    expect(html).not.toContain('<form');
    expect(html).not.toContain('<button');
    expect(html).toContain('Der bliver ikke trukket noget, før du godkender abonnementet');
    expect(html).toContain('Der er ikke trukket noget endnu.');

    const forged = await fetch(`${url}/stop`, { method: 'POST', headers: { 'accept-language': 'en', 'content-type': 'application/x-www-form-urlencoded' }, body: 'confirm=stop' });
    expect(forged.status).toBe(409);
    const answer = await forged.text();
    expect(answer).toContain('<h1 id="result">The subscription was not stopped</h1>');
    expect(answer).toContain('You have not accepted this subscription yet, so there is nothing to stop.');
    expect((await api.sim.call('GET', `/recurring/v3/agreements/${created.agreement.agreementId}`)).body.status).toBe('PENDING');
  });
});
