import { SIMULATOR_MERCHANT, type MerchantConfig } from '../../../src/config/config';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';
import { PAYMENTS, authorized } from './epayment-support';
import { AGREEMENTS, activeAgreement } from './recurring-support';

/** The Userinfo API: what the test user shared on a payment or agreement with a profile scope. */

const OTHER: MerchantConfig = { msn: '654321', clientId: 'other-id', clientSecret: 'other-secret', subscriptionKey: 'other-key' };
let t: TestSimulator;

beforeAll(async () => {
  t = await startTestSimulator([SIMULATOR_MERCHANT, OTHER]);
});
afterAll(async () => {
  await t.close();
});

/** As Vipps' collections call it: token and MSN, no subscription key. */
async function userinfo(sub: string, merchant: MerchantConfig = SIMULATOR_MERCHANT) {
  const res = await fetch(`${t.url}/vipps-userinfo-api/userinfo/${sub}`, {
    headers: { Authorization: `Bearer ${await t.token(merchant)}`, 'Merchant-Serial-Number': merchant.msn },
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

test('a payment approved with a profile scope has a sub; userinfo answers the scoped claims only, to that merchant only', async () => {
  const reference = await authorized(t, { profile: { scope: 'name phoneNumber' } });
  const sub = (await t.call('GET', `${PAYMENTS}/${reference}`)).body.profile.sub as string;
  expect(sub).toMatch(/^[0-9a-f-]{36}$/);
  const mine = await userinfo(sub);
  expect(mine.status).toBe(200);
  expect(Object.keys(mine.body).sort()).toEqual(['family_name', 'given_name', 'name', 'phone_number', 'sub']);
  expect(mine.body.sub).toBe(sub);
  expect((await userinfo(sub, OTHER)).status).toBe(404);
});

test('a payment without a profile scope has no sub', async () => {
  const reference = await authorized(t);
  expect((await t.call('GET', `${PAYMENTS}/${reference}`)).body.profile).toEqual({});
});

test('an agreement accepted with a scope has a sub and a userinfoUrl that answers', async () => {
  const agreementId = await activeAgreement(t, { scope: 'address email' });
  const agreement = (await t.call('GET', `${AGREEMENTS}/${agreementId}`)).body;
  expect(agreement.userinfoUrl).toBe(`${t.url}/vipps-userinfo-api/userinfo/${agreement.sub}`);
  const info = await userinfo(agreement.sub);
  expect(Object.keys(info.body).sort()).toEqual(['address', 'email', 'email_verified', 'sub']);
  const plain = (await t.call('GET', `${AGREEMENTS}/${await activeAgreement(t)}`)).body;
  expect([plain.sub, plain.userinfoUrl]).toEqual([null, null]);
});

test('userinfo without a valid token is 401; an unknown sub is 404', async () => {
  const res = await fetch(`${t.url}/vipps-userinfo-api/userinfo/nobody`, { headers: { Authorization: 'Bearer nope' } });
  expect(res.status).toBe(401);
  expect((await userinfo('00000000-0000-4000-8000-000000000000')).status).toBe(404);
});
