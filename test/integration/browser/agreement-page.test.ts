import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { SIMULATOR_MERCHANT } from '../../../src/config/config';
import { OTHER_MERCHANT, startTestApi, type TestApi } from '../../support/api';
import { launchChromium, SCREENSHOTS } from '../../support/browser';
import { CREATE_CHARGE, activeAgreement, createAgreement, dueIn, key } from '../recurring/recurring-support';

/**
 * The customer's agreement page in a real headless Chromium, in each of its languages as the
 * browser's own language picks it, checked with axe-core: no serious or critical accessibility
 * violations on the page, its pending form, or the answer after Stop. The switch's links change
 * the language and the choice stays when the link is opened again.
 */
jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..');
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
/** The README's picture of the page (committed): rewritten only when asked, so a test run leaves the tree clean. */
const DOCS_SCREENSHOT = process.env.DOCS_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'agreement-page-nb.png') : undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now, as `id: target` lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } };
    return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

describe('customer agreement page in Chromium', () => {
  let api: TestApi;
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    api = await startTestApi({ VIPPS_MERCHANTS: JSON.stringify([{ ...SIMULATOR_MERCHANT, name: 'Dagsavisen' }, OTHER_MERCHANT]) });
    browser = await launchChromium();
    // An agreement with a past charge (the initial one, taken on acceptance) and a next one.
    const agreement = await activeAgreement(api, { initialCharge: { amount: 4900, description: 'First month', transactionType: 'DIRECT_CAPTURE' } });
    const next = await api.gql(CREATE_CHARGE, {
      input: { agreementId: agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 19900, currency: 'NOK' }, description: 'Second month', due: await dueIn(api, 30), retryDays: 2 },
    });
    expect(next.data.createCharge.errors).toEqual([]);
    url = `${api.url}${new URL(agreement.merchantAgreementUrl).pathname}`;
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** A fresh browser whose own language is `locale`; CSP bypassed only so axe's script can be injected (the page has none). */
  async function open(locale: string, target = url): Promise<Page> {
    const context = await browser.newContext({ locale, bypassCSP: true, viewport: { width: 800, height: 900 } });
    const page = await context.newPage();
    const response = await page.goto(target);
    expect(response?.status()).toBe(200);
    return page;
  }

  const languages: [locale: string, lang: string, status: string, stop: string, past: string][] = [
    ['nb-NO', 'nb', 'Aktiv', 'Stopp abonnementet', 'Tidligere trekk'],
    ['da-DK', 'da', 'Aktiv', 'Stop abonnementet', 'Tidligere træk'],
    ['fi-FI', 'fi', 'Voimassa', 'Lopeta tilaus', 'Aiemmat veloitukset'],
    ['en-GB', 'en', 'Active', 'Stop subscription', 'Past charges'],
  ];

  it.each(languages)('renders in the browser language %s with no serious or critical axe violations', async (locale, lang, status, stop, past) => {
    const page = await open(locale);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    expect(await page.locator('#status').textContent()).toBe(status);
    expect(await page.locator('#merchant').textContent()).toBe('Dagsavisen');
    expect(await page.getByRole('heading', { level: 2, name: past }).count()).toBe(1);
    expect(await page.locator('#past-charges tbody tr').count()).toBe(1);
    expect(await page.locator('#next-charges tbody tr').count()).toBe(1);
    expect(await page.getByRole('button', { name: stop }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `agreement-page-${lang}.png`), fullPage: true });
    if (lang === 'nb' && DOCS_SCREENSHOT) await page.screenshot({ path: DOCS_SCREENSHOT, fullPage: true });
    await page.context().close();
  });

  it('switches language with its links, keeps the choice when the link is opened again, and stops in that language', async () => {
    const page = await open('fi-FI');
    await Promise.all([page.waitForURL(/\?lang=da$/), page.getByRole('navigation', { name: 'Kieli' }).getByRole('link', { name: 'Dansk' }).click()]);
    expect(await page.locator('html').getAttribute('lang')).toBe('da');
    expect(await page.getByRole('link', { name: 'Dansk' }).getAttribute('aria-current')).toBe('true');
    await page.goto(url); // the link from the app again, without ?lang
    expect(await page.locator('html').getAttribute('lang')).toBe('da');

    await Promise.all([page.waitForURL(/\/stop\?lang=da$/), page.getByRole('button', { name: 'Stop abonnementet' }).click()]);
    expect(await page.locator('#result').textContent()).toBe('Dit abonnement er nu stoppet');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'agreement-stopped-da.png'), fullPage: true });
    await page.context().close();
  });

  it('shows a pending agreement without Stop, with no serious or critical axe violations', async () => {
    const created = await createAgreement(api);
    const page = await open('nb-NO', `${api.url}${new URL(created.agreement.merchantAgreementUrl).pathname}`);
    expect(await page.locator('#status').textContent()).toBe('Venter på at du godtar det i appen');
    expect(await page.getByRole('button').count()).toBe(0);
    expect(await page.locator('form').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
