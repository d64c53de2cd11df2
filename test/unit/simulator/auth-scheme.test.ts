import { SIMULATOR_MERCHANT } from '../../../src/config/config';
import { TokenAuthority } from '../../../src/simulator/auth';
import type { Route, SimRequest } from '../../../src/simulator/http';
import { SimProblem } from '../../../src/simulator/problems';
import { SimContext } from '../../../src/simulator/simulator-context';

/** The Authorization scheme is case-insensitive (RFC 9110 §11.1); Vipps' Recurring collection sends `bearer`. */

const route = { api: 'recurring' } as Route;
const keyHeaders = { 'ocp-apim-subscription-key': SIMULATOR_MERCHANT.subscriptionKey, 'merchant-serial-number': SIMULATOR_MERCHANT.msn };

async function issuedToken(auth: TokenAuthority): Promise<string> {
  const issue = auth.module().routes[0]?.handler as (req: SimRequest) => { body: { access_token: string } };
  const req = { headers: { ...keyHeaders, client_id: SIMULATOR_MERCHANT.clientId, client_secret: SIMULATOR_MERCHANT.clientSecret } } as unknown as SimRequest;
  return issue(req).body.access_token;
}

function statusOf(run: () => unknown): number {
  try {
    run();
    return 200;
  } catch (error) {
    if (error instanceof SimProblem) return error.response.status;
    throw error;
  }
}

test.each(['Bearer', 'bearer', 'BEARER'])('%s <token> is accepted', async (scheme) => {
  const auth = new TokenAuthority(new SimContext([SIMULATOR_MERCHANT]));
  const token = await issuedToken(auth);
  expect(auth.authenticate(route, { headers: { ...keyHeaders, authorization: `${scheme} ${token}` } })).toEqual(SIMULATOR_MERCHANT);
});

test('an unknown token, another scheme or no token is still 401', async () => {
  const auth = new TokenAuthority(new SimContext([SIMULATOR_MERCHANT]));
  const token = await issuedToken(auth);
  expect(statusOf(() => auth.authenticate(route, { headers: { ...keyHeaders, authorization: 'bearer not-issued' } }))).toBe(401);
  expect(statusOf(() => auth.authenticate(route, { headers: { ...keyHeaders, authorization: `Basic ${token}` } }))).toBe(401);
  expect(statusOf(() => auth.authenticate(route, { headers: keyHeaders }))).toBe(401);
});
