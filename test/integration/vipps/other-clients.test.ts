import { randomUUID } from 'node:crypto';
import { loadConfig, SIMULATOR_MERCHANT } from '../../../src/config/config';
import type { Receipt } from '../../../src/vipps/api-types';
import { VippsConflictError, VippsInvalidRequestError, VippsNotFoundError } from '../../../src/vipps/errors';
import { createVippsClient, type VippsClient } from '../../../src/vipps/vipps-client';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import { capturingLogger } from './support/fake-vipps.server';

/** Recurring, Webhooks and Order Management through the client, against the simulator (no Redis needed). */

const MSN = SIMULATOR_MERCHANT.msn;
const key = (what: string) => `${what}-${randomUUID().slice(0, 24)}`;

let sim: TestSimulator;
let vipps: VippsClient;

beforeAll(async () => {
  sim = await startTestSimulator();
  const config = loadConfig({ VIPPS_ENV: 'simulator', VIPPS_BASE_URL: sim.url, VIPPS_MAX_RETRIES: '1' });
  vipps = createVippsClient({ config, log: capturingLogger('silent').log });
});

afterAll(async () => {
  await sim.close();
});

async function simDate(days: number): Promise<string> {
  const now = new Date((await sim.control('GET', '/clock')).body.now as string);
  now.setUTCDate(now.getUTCDate() + days);
  return now.toISOString().slice(0, 10);
}

describe('recurring', () => {
  it('draft → force accept → charge → cancel charge → stop, with lists and lookups', async () => {
    const { recurring } = vipps;
    const draft = await recurring.createAgreement(
      MSN,
      {
        pricing: { type: 'LEGACY', amount: 10000, currency: 'NOK' },
        interval: { unit: 'MONTH', count: 1 },
        merchantRedirectUrl: 'https://shop.example/redirect',
        merchantAgreementUrl: 'https://shop.example/agreement',
        productName: 'News every month',
      },
      key('draft'),
    );
    expect(draft.agreementId).toEqual(expect.any(String));
    const { agreementId } = draft;

    await expect(recurring.forceAcceptAgreement(MSN, agreementId, { phoneNumber: '4791234567' }, key('accept'))).resolves.toBeUndefined();
    expect((await recurring.getAgreement(MSN, agreementId)).status).toBe('ACTIVE');
    const active = await recurring.listAgreements(MSN, { status: 'ACTIVE' });
    expect(active.items.map((a) => a.id)).toContain(agreementId);

    const due = await simDate(3);
    const { chargeId } = await recurring.createCharge(MSN, agreementId, { amount: 5000, description: 'March', due, retryDays: 2, transactionType: 'DIRECT_CAPTURE' }, key('charge'));
    expect(chargeId).toEqual(expect.any(String));
    const charge = await recurring.getCharge(MSN, agreementId, chargeId as string);
    expect(charge).toMatchObject({ id: chargeId, agreementId, amount: 5000 });
    expect((await recurring.getChargeById(MSN, chargeId as string)).id).toBe(chargeId);
    expect((await recurring.listCharges(MSN, agreementId)).items.map((c) => c.id)).toContain(chargeId);

    await recurring.cancelCharge(MSN, agreementId, chargeId as string, key('cancel'));
    expect((await recurring.getCharge(MSN, agreementId, chargeId as string)).status).toBe('CANCELLED');

    await recurring.stopAgreement(MSN, agreementId, key('stop'));
    expect((await recurring.getAgreement(MSN, agreementId)).status).toBe('STOPPED');
  });

  it('maps Recurring problems to classes with their identifier', async () => {
    await expect(vipps.recurring.getAgreement(MSN, 'agr_doesnotexist')).rejects.toBeInstanceOf(VippsNotFoundError);
    await expect(
      vipps.recurring.createAgreement(MSN, { pricing: { amount: 10000, currency: 'NOK' }, interval: { unit: 'MONTH', count: 1 }, merchantRedirectUrl: 'not a url', merchantAgreementUrl: 'https://shop.example/a', productName: 'x' }, key('bad')),
    ).rejects.toMatchObject({ constructor: VippsInvalidRequestError, problem: expect.any(String), traceId: expect.any(String) });
  });
});

describe('webhooks', () => {
  it('register → list → delete', async () => {
    const events = ['epayments.payment.captured.v1'];
    const registered = await vipps.webhooks.registerWebhook(MSN, { url: 'https://shop.example/hooks/vipps', events });
    expect(registered).toEqual({ id: expect.any(String), secret: expect.any(String) });
    expect((await vipps.webhooks.listWebhooks(MSN)).webhooks).toContainEqual({ id: registered.id, url: 'https://shop.example/hooks/vipps', events });
    await expect(vipps.webhooks.deleteWebhook(MSN, registered.id)).resolves.toBeUndefined();
    expect((await vipps.webhooks.listWebhooks(MSN)).webhooks.map((w) => w.id)).not.toContain(registered.id);
  });
});

describe('order management', () => {
  const receipt: Receipt = {
    orderLines: [{ name: 'Coffee', id: 'coffee', totalAmount: 1000, totalAmountExcludingTax: 800, totalTaxAmount: 200, taxRate: 2500 }],
    bottomLine: { currency: 'NOK' },
  };

  it('adds a receipt once and reads it back', async () => {
    const orderId = `vg-order-${randomUUID().slice(0, 8)}`;
    expect(typeof (await vipps.orderManagement.addReceipt(MSN, 'ECOM', orderId, receipt))).toBe('string');
    expect((await vipps.orderManagement.getOrder(MSN, 'ECOM', orderId)).receipt).toEqual(receipt);
    await expect(vipps.orderManagement.addReceipt(MSN, 'ECOM', orderId, receipt)).rejects.toBeInstanceOf(VippsConflictError);
  });
});
