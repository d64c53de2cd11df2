import { Webhook } from 'standardwebhooks';
import { startTestApi, type TestApi } from '../../support/api';
import { expectEventually } from '../../support/eventually';
import { registerWebhooks, removeQueues } from '../../support/live';
import { approve, createPayment } from '../payments/payment-support';
import { TestReceiver, type ReceivedRequest } from './receiver';
import { register, startCapturingWorker, WEBHOOK_API_KEYS, type CapturingWorker } from './webhook-support';

/**
 * From a change in Vipps to the merchant's receiver, with nothing in between but the product:
 * a payment made through /graphql and approved in the simulator, the worker learning of it,
 * the store's announcement emitting merchant events, the sink queueing them and the worker
 * delivering them. NOTIFY: a NOK payment's capture deadline is 180 days after authorization and
 * CAPTURE_MARGIN is 180 days less 4 s, so CAPTURE_DEADLINE_APPROACHING comes 4 s after.
 */
jest.setTimeout(60_000);

const MARGIN_S = 180 * 86_400 - 4;

interface Delivered {
  type: string;
  timestamp: string;
  data: { merchantSerialNumber: string; payment?: { reference: string; state: string; aggregate: { authorized: number } }; captureWarning?: { capturable: { value: number; currency: string }; deadline: string } };
}

describe('merchant webhooks end to end', () => {
  let api: TestApi;
  let worker: CapturingWorker;
  const receiver = new TestReceiver();

  beforeAll(async () => {
    api = await startTestApi({ API_KEYS: WEBHOOK_API_KEYS, CAPTURE_POLICY: 'NOTIFY', CAPTURE_MARGIN: String(MARGIN_S), CAPTURE_FINAL_MARGIN: '0' }, { knownPort: true });
    await registerWebhooks(api);
    worker = await startCapturingWorker(api);
    await receiver.start();
  });

  afterAll(async () => {
    await worker.close();
    await receiver.stop();
    await removeQueues(api);
    await api.close();
  });

  it("delivers a payment's changes and its capture-deadline warning, each once, signed", async () => {
    const endpoint = await register(api, receiver.url, ['PAYMENT_UPDATED', 'CAPTURE_DEADLINE_APPROACHING']);
    const { payment } = await createPayment(api, { amount: { value: 49_900, currency: 'NOK' } });
    await approve(api, payment.reference);

    const verified = (request: ReceivedRequest) => new Webhook(endpoint.secret).verify(request.body, request.headers as Record<string, string>) as Delivered;
    const ofPayment = () => receiver.requests.map((r) => ({ request: r, body: verified(r) })).filter((d) => d.body.data.payment?.reference === payment.reference);

    const warning = await expectEventually(
      async () => {
        const found = ofPayment().filter((d) => d.body.type === 'CAPTURE_DEADLINE_APPROACHING');
        expect(found).toHaveLength(1);
        return found[0];
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(warning?.body.data.captureWarning).toEqual({ capturable: { value: 49_900, currency: 'NOK' }, deadline: expect.any(String) });

    const updates = ofPayment().filter((d) => d.body.type === 'PAYMENT_UPDATED');
    expect(updates.map((u) => u.body.data.payment?.state)).toEqual(expect.arrayContaining(['CREATED', 'AUTHORIZED']));
    // One delivery per event id: announcements of the same change are not sent twice.
    const ids = ofPayment().map((d) => d.request.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    // A second threshold is off (CAPTURE_FINAL_MARGIN=0): still exactly one warning a while later.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(ofPayment().filter((d) => d.body.type === 'CAPTURE_DEADLINE_APPROACHING')).toHaveLength(1);
  });
});
