import { run, type NewmanSummary } from 'newman';
import { SIMULATOR_MERCHANT } from '../../../src/config/config';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import epaymentCollection from '../../postman/epayment-v1.postman_collection.json';
import recurringCollection from '../../postman/recurring-v3.postman_collection.json';
import webhooksCollection from '../../postman/webhooks-v1.postman_collection.json';
import globalEnvironment from '../../postman/global.postman_environment.json';

/**
 * Vipps' official Postman collections (test/postman/, copied unmodified) run with newman against
 * the simulator, in the order a merchant works. Each collection is a bag of requests that share
 * environment variables (`reference`, `agreementId`, `chargeId`), so the test picks requests by
 * name into a run of its own; the requests themselves, their scripts and headers are Vipps'.
 */

interface PostmanItem {
  name: string;
  item?: PostmanItem[];
}

let t: TestSimulator;

beforeAll(async () => {
  t = await startTestSimulator();
});
afterAll(async () => {
  await t.close();
});

/** The global environment filled in as its descriptions tell a user to, for the simulator's merchant. */
function environment(): unknown {
  const filled: Record<string, string> = {
    base_url: t.url,
    client_id: SIMULATOR_MERCHANT.clientId,
    client_secret: SIMULATOR_MERCHANT.clientSecret,
    'Ocp-Apim-Subscription-Key': SIMULATOR_MERCHANT.subscriptionKey,
    merchantSerialNumber: SIMULATOR_MERCHANT.msn,
    mobileNumber: '91234567',
    internationalMobileNumber: '4791234567',
    idempotency_key: '{{$guid}}',
    // Unique per merchant, and short: a given orderId becomes the chargeId, which the spec caps at 15 characters.
    merchantOrderId: 'ord{{$randomInt}}{{$randomInt}}{{$randomInt}}',
  };
  return {
    ...globalEnvironment,
    values: globalEnvironment.values.map((v) => (v.key in filled ? { ...v, value: filled[v.key] } : v)),
  };
}

function flatten(items: PostmanItem[]): PostmanItem[] {
  return items.flatMap((i) => (i.item ? flatten(i.item) : [i]));
}

/** The collection with only the named requests, in the given order (a name may repeat). */
function inOrder(collection: { item: PostmanItem[] }, names: string[]): unknown {
  const requests = flatten(collection.item);
  const item = names.map((name) => {
    const found = requests.find((r) => r.name === name);
    if (!found) throw new Error(`no request named "${name}" in the collection`);
    return found;
  });
  return { ...collection, item };
}

/**
 * Runs the requests with the environment the previous run of the same test left, as one Postman
 * session would. Each collection starts from the filled global environment: the ePayment
 * scripts pin `idempotency_key` to one GUID, which the Recurring requests must not inherit.
 */
let session: unknown;
beforeEach(() => {
  session = undefined;
});
function newman(collection: unknown): Promise<NewmanSummary> {
  return new Promise((resolve, reject) => {
    run({ collection, environment: session ?? environment(), reporters: [], timeoutRequest: 5000 }, (err, summary) => {
      if (err) return reject(err);
      session = summary.environment.toJSON();
      resolve(summary);
    });
  });
}

/** One line per request: its name and status, and what went wrong if anything did. */
function outcome(summary: NewmanSummary): string[] {
  return summary.run.executions.map((e) => {
    const problems = [
      e.requestError?.message,
      ...(e.assertions ?? []).filter((a) => a.error).map((a) => `${a.assertion}: ${a.error?.message}`),
    ].filter(Boolean);
    const status = e.response?.code ?? 0;
    const body = status >= 300 && e.response?.stream ? ` ${e.response.stream.toString('utf8').slice(0, 300)}` : '';
    return `${e.item.name}: ${status}${body}${problems.length ? ` (${problems.join('; ')})` : ''}`;
  });
}

function expectAllSucceeded(summary: NewmanSummary, names: string[]): void {
  const lines = outcome(summary);
  const failures = summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.message}`);
  expect({ lines, failures }).toEqual({ lines: names.map((n) => expect.stringMatching(new RegExp(`^${escape(n)}: 2\\d\\d$`))), failures: [] });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe("Vipps' Postman collections against the simulator", () => {
  test('ePayment v1: token, a payment in every user flow, force approve, get, capture, refund, event log, cancel', async () => {
    const names = [
      'Get Access Token',
      'Create payment - Card',
      'Create payment - QR',
      'Create payment - Push request',
      'Create payment - Native redirect',
      'Create payment - Web redirect',
      'Create payment - User info',
      'Force approve payment',
      'Get payment',
      'Capture payment',
      'Refund payment',
      'Get payment event log',
      'Cancel payment',
      'Get Userinfo',
    ];
    expectAllSucceeded(await newman(inOrder(epaymentCollection, names)), names);
  });

  test('Recurring v3: agreements of every pricing and campaign kind, accept, updates, charges, stop', async () => {
    const agreements = [
      'Get Access Token',
      'Draft Agreement - Legacy pricing',
      'Draft Agreement - Legacy pricing and reserve initial charge',
      'Draft Agreement - Legacy pricing and direct capture initial charge',
      'Draft Agreement - Price campaign',
      'Draft Agreement - Price campaign and initial charge',
      'Draft Agreement - Period campaign',
      'Draft Agreement - Period campaign and initial charge',
      'Draft Agreement - Event campaign',
      'Draft Agreement - Event campaign and initial charge',
      'Draft Agreement - Full flex campaign',
      'Draft Agreement - Full flex campaign and initial charge',
      'Draft Agreement - Variable pricing',
      '(Test only) Force accept agreement',
      'Get Agreement',
      'List Agreements',
      'Update Agreement - Product name',
      'Update Agreement - Product description',
      'Update Agreement - Merchant agreement url',
      'Update Agreement - Suggested max amount',
      'Create Charge - Direct capture',
      'Cancel Charge',
      'Create Charge - Reserve capture',
      'Get Charge',
      'List Charges',
    ];
    expectAllSucceeded(await newman(inOrder(recurringCollection, agreements)), agreements);

    // The charges are due tomorrow: Vipps reserves a charge on its due date, and only then can the merchant capture it.
    await t.control('POST', '/clock/advance', { seconds: 2 * 24 * 3600 });
    const charged = [
      'Capture reserved charge',
      'Refund Charge',
      'Draft Agreement - Legacy pricing',
      '(Test only) Force accept agreement',
      'Update Agreement - Legacy pricing amount',
      'Stop Agreement',
      'Draft Agreement - Profile sharing flow',
      '(Test only) Force accept agreement',
      'Get Agreement',
      'Get Userinfo',
    ];
    expectAllSucceeded(await newman(inOrder(recurringCollection, charged)), charged);
  });

  // Two requests of the Webhooks collection cannot run here: its 'Get Access Token' calls
  // https://apitest.vipps.no itself (not {{base_url}}), so the token comes from the ePayment
  // collection's request, and 'Delete All' has a test script that is not valid JavaScript
  // (commas missing between header entries), which fails against Vipps as well.
  test('Webhooks v1: register, list, delete', async () => {
    const token = ['Get Access Token'];
    expectAllSucceeded(await newman(inOrder(epaymentCollection, token)), token);
    const names = ['Register', 'Get All', 'Delete Last', 'Get All'];
    expectAllSucceeded(await newman(inOrder(webhooksCollection, names)), names);
  });

});
