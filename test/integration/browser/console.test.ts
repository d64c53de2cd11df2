import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { sha256Hex } from '../../../src/config/config';
import { redisKeys } from '../../../src/redis/keys';
import { API_KEYS, startTestApi, type TestApi } from '../../support/api';
import { launchChromium } from '../../support/browser';
import { authorizedPayment, simView } from '../payments/payment-support';
import { activeAgreement, advanceDays, AGREEMENT, CREATE_CHARGE, dueIn, key, pollCharge } from '../recurring/recurring-support';
import { captureAll, formFields, newConsoleContext, screenshot, seriousViolations, signIn } from './console-support';

/**
 * The support console (`/console`) in a real headless Chromium against the API, the simulator
 * and Redis: sign-in and session, find, a payment's page with audited capture and refund (a
 * double submit done once), a read-only key, CSRF and cross-site refusals, stopping an
 * agreement, Norwegian, and axe-core on every main page.
 */
jest.setTimeout(90_000);

const STAFF = 'Kari Nordmann';
/** A support key that may only read: the console shows it no actions. */
const HELPDESK = { id: 'helpdesk', keyHash: sha256Hex('helpdesk'), scopes: ['support', 'payments:read', 'recurring:read'], merchants: ['123456'] };

let browser: Browser;
let api: TestApi;
beforeAll(async () => {
  browser = await launchChromium();
  api = await startTestApi({ API_KEYS: JSON.stringify([...API_KEYS, HELPDESK]) });
});
afterAll(async () => {
  await api?.close();
  await browser?.close();
});

const AUDIT = `query($reference: String) { auditLog(reference: $reference, first: 10) { edges { node { actor operation reason outcome amount { value } } } } }`;

async function events(reference: string, name: string) {
  return (await simView(api, reference)).events.filter((e) => e.name === name);
}

describe('the support console', () => {
  it('signs in with a support key and a name into a session cookie kept in Redis, and signs out', async () => {
    const { context, page } = await newConsoleContext(browser);
    await page.goto(`${api.url}/console`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-sign-in');

    // A key without the support scope is refused in words.
    await page.getByLabel('API key').fill('reader');
    await page.getByLabel('Your name').fill(STAFF);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.locator('#problem').textContent()).toContain('lacks the support scope');

    await signIn(page, api.url, 'dev', STAFF);
    expect(await page.locator('#staff').textContent()).toBe(STAFF);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'vg_console', httpOnly: true, sameSite: 'Strict', path: '/console', secure: false });
    // The session lives in Redis under the cookie's hash, with the idle timeout, and holds no key.
    const sessionKey = redisKeys(api.config.redis.prefix).consoleSession(createHash('sha256').update(cookie?.value ?? '').digest('hex'));
    const ttl = await api.redis.ttl(sessionKey);
    expect(ttl).toBeGreaterThan(1790);
    expect(ttl).toBeLessThanOrEqual(1800);
    expect(JSON.parse((await api.redis.get(sessionKey)) ?? '{}')).toEqual({ keyId: 'dev', staff: STAFF, csrf: expect.any(String) });
    // Each request renews the idle timeout; once it passes, the console asks to sign in again.
    await api.redis.expire(sessionKey, 60);
    await page.goto(`${api.url}/console/expiring`);
    expect(await api.redis.ttl(sessionKey)).toBeGreaterThan(1790);
    await api.redis.del(sessionKey); // as the idle timeout would
    const ended = await page.goto(`${api.url}/console/expiring`);
    expect(ended?.status()).toBe(401);
    expect(await page.locator('#problem').textContent()).toContain('Your session has ended. Sign in again.');
    await signIn(page, api.url, 'dev', STAFF);
    const [renewed] = await context.cookies();
    const renewedKey = redisKeys(api.config.redis.prefix).consoleSession(createHash('sha256').update(renewed?.value ?? '').digest('hex'));

    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.locator('#notice').textContent()).toBe('You are signed out.');
    expect(await api.redis.exists(renewedKey)).toBe(0);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('finds a payment, captures it, refunds part of it with a reason: timeline, audit trail and auditLog show it with the staff name', async () => {
    const reference = await authorizedPayment(api, 100000);
    const { context, page } = await newConsoleContext(browser);
    await signIn(page, api.url, 'dev', STAFF);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Payment reference or agreement id').fill(reference);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { name: `Payment ${reference}` }).waitFor();
    expect(await page.locator('#state').textContent()).toBe('AUTHORIZED');
    expect(await page.locator('#deadline').textContent()).toMatch(/UTC \(179 days 23 hours left\)$/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-payment');

    // The authorized payment is among the reservations that expire (in 180 days: not within 7).
    await page.goto(`${api.url}/console/expiring`);
    expect(await page.locator('main').textContent()).toContain('No reservation expires within 7 days.');
    await page.goBack();

    // Capture all (the amount left empty): the confirmation names the amount in NOK.
    await page.locator('#capture-reason').fill('Goods shipped');
    await page.locator('#capture-reason').press('Tab');
    await page.getByRole('button', { name: 'Continue…' }).first().click();
    expect(await page.locator('#question').textContent()).toBe(`Capture 1000.00 NOK of payment ${reference}?`);
    await page.locator('#confirm').click();
    expect(await page.locator('#notice').textContent()).toBe('The capture is done.');
    expect(await page.locator('#captured').textContent()).toBe('1000.00 NOK');

    await page.locator('#refund-amount').fill('150,50');
    await page.locator('#refund-reason').fill('One item was returned');
    await page.locator('#refund-reason').locator('xpath=ancestor::form').getByRole('button').click();
    expect(await page.locator('#question').textContent()).toBe(`Refund 150.50 NOK of payment ${reference} to the customer?`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-confirm');
    await page.locator('#confirm').click();
    expect(await page.locator('#notice').textContent()).toBe('The refund is done.');
    expect(await page.locator('#refunded').textContent()).toBe('150.50 NOK');
    expect(await page.locator('#timeline').textContent()).toMatch(/REFUNDED\s*150\.50 NOK\s*OK/);
    const trail = await page.locator('#audit').textContent();
    expect(trail).toMatch(new RegExp(`console:dev:${STAFF}\\s*refundPayment\\s*150\\.50 NOK\\s*OK\\s*One item was returned`));
    expect(trail).toMatch(new RegExp(`console:dev:${STAFF}\\s*capturePayment\\s*1000\\.00 NOK\\s*OK\\s*Goods shipped`));
    await screenshot(page, 'console-payment-refunded');

    expect((await events(reference, 'REFUNDED')).map((e) => e.amount.value)).toEqual([15050]);
    const audit = await api.gql(AUDIT, { reference });
    expect(audit.data.auditLog.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { actor: `console:dev:${STAFF}`, operation: 'refundPayment', reason: 'One item was returned', outcome: 'OK', amount: { value: 15050 } },
      { actor: `console:dev:${STAFF}`, operation: 'capturePayment', reason: 'Goods shipped', outcome: 'OK', amount: { value: 100000 } },
      { actor: 'dev', operation: 'createPayment', reason: null, outcome: 'OK', amount: { value: 100000 } },
    ]);
    await context.close();
  });

  it('refunds once when the confirmation is submitted twice and the form is sent again', async () => {
    const reference = await authorizedPayment(api, 20000);
    const { context, page } = await newConsoleContext(browser);
    await signIn(page, api.url, 'dev', STAFF);
    await captureAll(page, api.url, reference);

    await page.locator('#refund-amount').fill('50');
    await page.locator('#refund-reason').fill('Late delivery');
    await page.locator('#refund-reason').locator('xpath=ancestor::form').getByRole('button').click();
    const form = await formFields(page, '#confirm');
    // A double click: the form is submitted twice before the first answer arrives.
    await page.locator('#confirm').evaluate((button) => {
      const form = (button as unknown as { form: { requestSubmit(): void } }).form;
      form.requestSubmit();
      form.requestSubmit();
    });
    await page.waitForURL(/done=refund|\/do$/);
    // The same form sent again later (a reload that resends, or a retry).
    const resent = await context.request.post(`${api.url}/console/payments/123456/${reference}/do`, { form, maxRedirects: 0 });
    expect(resent.status()).toBe(303);

    expect((await events(reference, 'REFUNDED')).map((e) => e.amount.value)).toEqual([5000]);
    expect((await simView(api, reference)).aggregate.refunded).toBe(5000);
    await context.close();
  });

  it('shows a read-only key no actions, and refuses a forged action request', async () => {
    const reference = await authorizedPayment(api, 30000);
    const { context, page } = await newConsoleContext(browser);
    await signIn(page, api.url, 'helpdesk', 'Ola Nordmann');
    await page.goto(`${api.url}/console/payments/123456/${reference}`);
    expect(await page.locator('#read-only').textContent()).toBe('Your API key may only read: actions are not offered.');
    expect(await page.locator('form.action').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Continue/ }).count()).toBe(0);

    // The forged request carries the session's own CSRF token: only the permission check stands.
    const { csrf } = await formFields(page, 'header form button');
    for (const step of ['confirm', 'do']) {
      const forged = await context.request.post(`${api.url}/console/payments/123456/${reference}/${step}`, {
        form: { csrf: csrf ?? '', action: 'capture', amount: '30000', reason: 'Forged', nonce: 'AAAAAAAAAAAAAAAAAAAAAAAA' },
        maxRedirects: 0,
      });
      expect(forged.status()).toBe(403);
      expect(await forged.text()).toContain('Your API key may not do this.');
    }
    expect((await simView(api, reference)).aggregate.captured).toBe(0);
    await context.close();
  });

  describe('cross-site requests', () => {
    let elsewhere: Server;
    let elsewhereUrl: string;
    beforeAll(async () => {
      // Another origin on this machine (same site, other port) with a form aimed at the console.
      elsewhere = createServer((req, res) => {
        const target = new URL(req.url ?? '/', 'http://x').searchParams.get('target') ?? '';
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<!doctype html><html lang="en"><title>Win a prize</title><form method="post" action="${target}">
<input name="action" value="refund"><input name="amount" value="10000"><input name="reason" value="x"><input name="nonce" value="AAAAAAAAAAAAAAAAAAAAAAAA">
<button id="go">Claim</button></form></html>`);
      });
      await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
      elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => elsewhere.close(resolve));
    });

    it('refuses a form posted from another site, and a same-site post without the CSRF token', async () => {
      const reference = await authorizedPayment(api, 10000);
      const { context, page } = await newConsoleContext(browser);
      await signIn(page, api.url, 'dev', STAFF);
      await captureAll(page, api.url, reference);

      await page.goto(`${elsewhereUrl}/?target=${encodeURIComponent(`${api.url}/console/payments/123456/${reference}/do`)}`);
      const [response] = await Promise.all([page.waitForNavigation(), page.locator('#go').click()]);
      expect(response?.status()).toBe(403);
      expect(await page.locator('#problem').textContent()).toContain('This request came from another site and was refused.');

      // From the console's own origin but without the session's token: refused too.
      const noToken = await context.request.post(`${api.url}/console/payments/123456/${reference}/do`, {
        form: { action: 'refund', amount: '10000', reason: 'x', nonce: 'AAAAAAAAAAAAAAAAAAAAAAAA' },
        headers: { origin: api.url },
        maxRedirects: 0,
      });
      expect(noToken.status()).toBe(403);
      expect(await noToken.text()).toContain('did not come from the console');
      expect(await events(reference, 'REFUNDED')).toEqual([]);
      await context.close();
    });
  });

  it('stops an agreement with a reason: STOPPED in the simulator and in GraphQL, audited with the staff name', async () => {
    const agreement = await activeAgreement(api);
    const { context, page } = await newConsoleContext(browser);
    await signIn(page, api.url, 'dev', STAFF);
    await page.getByLabel('Payment reference or agreement id').fill(agreement.agreementId);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { name: `Agreement ${agreement.agreementId}` }).waitFor();
    expect(await page.locator('#status').textContent()).toBe('ACTIVE');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-agreement');

    await page.locator('#stop-reason').fill('Customer called to end it');
    await page.getByRole('button', { name: 'Continue…' }).click();
    expect(await page.locator('#question').textContent()).toContain('No further charges can be taken.');
    await page.locator('#confirm').click();
    expect(await page.locator('#notice').textContent()).toBe('The agreement is stopped.');
    expect(await page.locator('#status').textContent()).toBe('STOPPED');
    expect(await page.locator('#audit').textContent()).toMatch(new RegExp(`console:dev:${STAFF}\\s*stopAgreement\\s*OK\\s*Customer called to end it`));

    const atVipps = await api.sim.call('GET', `/recurring/v3/agreements/${agreement.agreementId}`);
    expect(atVipps.body.status).toBe('STOPPED');
    const read = await api.gql(AGREEMENT, { agreementId: agreement.agreementId });
    expect(read.data.agreement.status).toBe('STOPPED');
    await context.close();
  });

  it('cancels a due charge of an agreement with a reason: CANCELLED in the simulator, audited with the staff name', async () => {
    const agreement = await activeAgreement(api);
    const created = await api.gql(CREATE_CHARGE, {
      input: { agreementId: agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 19900, currency: 'NOK' }, description: 'December', due: await dueIn(api, 5), retryDays: 2 },
    });
    const chargeId = created.data.createCharge.charge.chargeId as string;
    const { context, page } = await newConsoleContext(browser);
    await signIn(page, api.url, 'dev', STAFF);
    await page.goto(`${api.url}/console/agreements/123456/${agreement.agreementId}`);
    await page.getByRole('link', { name: chargeId }).click();
    await page.getByRole('heading', { name: `Charge ${chargeId}` }).waitFor();
    expect(await page.locator('#status').textContent()).toBe('DUE'); // Vipps makes a charge DUE once it is within its notice period
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('#charge-cancel-reason').fill('Customer moved abroad');
    await page.locator('#charge-cancel-reason').locator('xpath=ancestor::form').getByRole('button').click();
    expect(await page.locator('#question').textContent()).toBe(`Cancel charge 199.00 NOK: charge ${chargeId}?`);
    await page.locator('#confirm').click();
    expect(await page.locator('#notice').textContent()).toBe('The charge is cancelled.');
    expect(await page.locator('#status').textContent()).toBe('CANCELLED');
    expect(await page.locator('#audit').textContent()).toMatch(new RegExp(`console:dev:${STAFF}\\s*cancelCharge\\s*.*OK\\s*Customer moved abroad`));
    const atVipps = await api.sim.call('GET', `/recurring/v3/agreements/${agreement.agreementId}/charges/${chargeId}`);
    expect(atVipps.body.status).toBe('CANCELLED');
    await context.close();
  });

  it('speaks Norwegian (bokmål) when asked, and keeps to it', async () => {
    const reference = await authorizedPayment(api, 12345);
    const { context, page } = await newConsoleContext(browser);
    await page.goto(`${api.url}/console?lang=nb`);
    expect(await page.locator('html').getAttribute('lang')).toBe('nb');
    expect(await page.locator('h1').textContent()).toBe('Kundeservicekonsoll: Logg inn');
    await signIn(page, api.url, 'dev', STAFF);
    await page.getByLabel('Betalingsreferanse eller avtale-id').fill(reference);
    await page.getByRole('button', { name: 'Søk' }).click();
    await page.getByRole('heading', { name: `Betaling ${reference}` }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('nb');
    expect(await page.locator('#deadline').textContent()).toMatch(/179 dager 23 timer igjen/);
    expect(await page.getByRole('heading', { name: 'Hendelser fra Vipps' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-payment-nb');

    // A browser that prefers Norwegian gets it without asking.
    const nb = await browser.newContext({ locale: 'nb-NO' });
    const nbPage = await nb.newPage();
    await nbPage.goto(`${api.url}/console`);
    expect(await nbPage.locator('html').getAttribute('lang')).toBe('nb');
    await nb.close();
    await context.close();
  });

  it('says a name the console cannot find, and answers an unknown path with a page', async () => {
    const { context, page } = await newConsoleContext(browser);
    await signIn(page, api.url, 'dev', STAFF);
    const missing = await page.goto(`${api.url}/console/find?q=${encodeURIComponent('no-such-payment-1')}`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('#problem').textContent()).toContain('Nothing was found for “no-such-payment-1”.');
    const unknown = await page.goto(`${api.url}/console/nowhere/%E0%A4%A`);
    expect(unknown?.status()).toBe(404);
    await context.close();
  });

  it('lists payments newest first, filtered by exact amount and creation date', async () => {
    const older = await authorizedPayment(api, 43210);
    const newer = await authorizedPayment(api, 43210);
    const other = await authorizedPayment(api, 1234);
    const { context, page } = await newConsoleContext(browser);
    await signIn(page, api.url, 'dev', STAFF);
    await page.getByRole('link', { name: 'Payments' }).click();
    await page.getByLabel('Amount (exact, e.g. 150.50)').fill('432,10');
    await page.getByRole('button', { name: 'Show' }).click();
    const listed = await page.locator('#payments tbody a').allTextContents();
    expect(listed.slice(0, 2)).toEqual([newer, older]);
    expect(listed).not.toContain(other);
    expect(await seriousViolations(page)).toEqual([]);

    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${api.url}/console/payments?amount=12.34&from=${today}&to=${today}`);
    expect(await page.locator('#payments tbody a').allTextContents()).toEqual([other]);
    await page.goto(`${api.url}/console/payments?from=${tomorrow}`);
    expect(await page.locator('#payments').textContent()).toBe('No payment matches.');
    const bad = await page.goto(`${api.url}/console/payments?from=25.11.2026`);
    expect(bad?.status()).toBe(400);
    expect(await page.locator('#problem').textContent()).toContain('Write dates like 2026-11-25.');
    await context.close();
  });

  // Last: it moves the simulator's clock, which the capture deadlines above are counted from.
  it('lists failed charges with the reason Vipps gave, linked to the charge', async () => {
    const agreement = await activeAgreement(api);
    // 1.51 NOK is the Vipps test amount that fails with "Insufficient funds".
    const created = await api.gql(CREATE_CHARGE, {
      input: { agreementId: agreement.agreementId, idempotencyKey: key('chg'), amount: { value: 151, currency: 'NOK' }, description: 'Monthly', due: await dueIn(api, 2), retryDays: 0 },
    });
    const chargeId = created.data.createCharge.charge.chargeId as string;
    await advanceDays(api, 3);
    expect((await pollCharge(api, agreement.agreementId, chargeId))?.status).toBe('FAILED');

    const { context, page } = await newConsoleContext(browser);
    await signIn(page, api.url, 'dev', STAFF);
    await page.getByRole('link', { name: 'Failed charges' }).click();
    await page.getByRole('heading', { name: 'Failed charges' }).waitFor();
    expect(await page.locator('main table').textContent()).toMatch(new RegExp(`${chargeId}\\s*${agreement.agreementId}.*1\\.51 NOK\\s*user_action_required Insufficient funds`));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-failed-charges');
    await page.getByRole('link', { name: chargeId }).click();
    expect(await page.locator('#status').textContent()).toBe('FAILED');
    await context.close();
  });
});
