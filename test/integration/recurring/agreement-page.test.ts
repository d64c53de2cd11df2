import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { startTestApi, type TestApi } from '../../support/api';
import { AGREEMENT, CHARGE, CREATE_CHARGE, activeAgreement, createAgreement, dueIn, key } from './recurring-support';
import { launchChromium, SCREENSHOTS } from '../../support/browser';

/**
 * The customer's agreement page (Vipps checklist: manage and stop at `merchantAgreementUrl`),
 * opened from a created agreement in a real headless Chromium: no JavaScript is needed, the Stop
 * button is a plain form POST that stops the agreement through the same service as GraphQL.
 */

describe('customer agreement page', () => {
  let api: TestApi;
  let browser: Browser;
  beforeAll(async () => {
    api = await startTestApi();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api.close();
  });

  /** The link Vipps shows the customer, pointed at this test server (PUBLIC_URL is not known before it listens). */
  const pageUrl = (merchantAgreementUrl: string) => `${api.url}${new URL(merchantAgreementUrl).pathname}`;

  it('shows product, price and next charges, and stops the agreement with the Stop button (no JavaScript)', async () => {
    const agreement = await activeAgreement(api, { price: 19900 });
    const charge = await api.gql(CREATE_CHARGE, {
      input: { agreementId: agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 19900, currency: 'NOK' }, description: 'Next month', due: await dueIn(api, 5), retryDays: 2 },
    });
    const { chargeId } = charge.data.createCharge.charge;

    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(pageUrl(agreement.merchantAgreementUrl));
    expect(response?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Premium news');
    expect(await page.locator('#price').textContent()).toBe('NOK\u00a0199.00 every month');
    expect(await page.locator('#status').textContent()).toBe('Active');
    expect(await page.locator('#next-charges').textContent()).toContain('Next month');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'agreement-page.png'), fullPage: true });

    await Promise.all([page.waitForURL(/\/stop\?lang=en$/), page.getByRole('button', { name: 'Stop subscription' }).click()]);
    expect(await page.locator('#result').textContent()).toBe('Your subscription is now stopped');
    await page.screenshot({ path: join(SCREENSHOTS, 'agreement-stopped.png'), fullPage: true });

    const atVipps = await api.sim.call('GET', `/recurring/v3/agreements/${agreement.agreementId}`);
    expect(atVipps.body.status).toBe('STOPPED');
    expect((await api.gql(AGREEMENT, { agreementId: agreement.agreementId })).data.agreement.status).toBe('STOPPED');
    expect((await api.gql(CHARGE, { agreementId: agreement.agreementId, chargeId })).data.charge.status).toBe('CANCELLED');

    // Back to the page: stopped, nothing to press. A resubmitted form is a replay, not an error.
    await page.goto(pageUrl(agreement.merchantAgreementUrl));
    expect(await page.locator('#status').textContent()).toBe('Stopped');
    expect(await page.getByRole('button').count()).toBe(0);
    const resubmit = await fetch(`${pageUrl(agreement.merchantAgreementUrl)}/stop`, { method: 'POST', body: 'confirm=stop', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(resubmit.status).toBe(200);
    expect(await resubmit.text()).toContain('Your subscription is now stopped');
    await context.close();
  });

  it('escapes what the merchant wrote, and refuses forged or altered links', async () => {
    const created = await createAgreement(api);
    const url = pageUrl(created.agreement.merchantAgreementUrl);
    const { agreementId } = created.agreement;
    const html = await (await fetch(url)).text();
    expect(html).toContain('Waiting for you to accept it in the app');

    const hostile = await api.gql(
      `mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { merchantAgreementUrl } errors { code } } }`,
      { input: { idempotencyKey: key('agr'), pricing: { currency: 'NOK', amount: 10000 }, interval: { unit: 'MONTH', count: 1 }, productName: 'Tom & Jerry <b>club</b>', productDescription: '"><script>alert(1)</script>', merchantRedirectUrl: 'https://shop.example' } },
    );
    const raw = await (await fetch(pageUrl(hostile.data.createAgreement.agreement.merchantAgreementUrl))).text();
    expect(raw).toContain('Tom &#38; Jerry &#60;b&#62;club&#60;/b&#62;');
    expect(raw).not.toContain('<script>');
    expect(raw).not.toContain('<b>club');

    const [prefix, payload, mac] = new URL(url).pathname.split('/').at(-1)!.split('.');
    const altered = `${api.url}/agreements/manage/${prefix}.${payload}.${mac!.slice(0, -2)}xx`;
    const forged = await fetch(altered);
    expect(forged.status).toBe(404);
    expect(await forged.text()).toContain('This link to your subscription is not valid');
    expect((await fetch(`${altered}/stop`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${url}/stop`)).status).toBe(405);
    expect((await api.sim.call('GET', `/recurring/v3/agreements/${agreementId}`)).body.status).toBe('PENDING');
  });
});
