import type { Route } from '../http';
import { problemFor } from '../auth';
import type { SimContext, SimModule } from '../simulator-context';

/**
 * The Userinfo API (`GET /vipps-userinfo-api/userinfo/{sub}`): what the simulated test user
 * shared with the merchant when approving a payment or an agreement with a profile scope. A
 * `sub` is known only to the merchant it was issued to. Like Vipps, it takes the access token
 * and Merchant-Serial-Number but no subscription key (Vipps' collections send none).
 */
export function userinfoModule(ctx: SimContext): SimModule {
  const route: Route = {
    method: 'GET',
    path: '/vipps-userinfo-api/userinfo/:sub',
    auth: 'token',
    api: 'userinfo',
    handler: (req) => {
      const sub = req.params.sub as string;
      const profile = ctx.profiles.get(sub);
      if (!profile || profile.msn !== req.merchant.msn) throw problemFor('userinfo', 404, 'Not Found', `No user info for sub ${sub}.`);
      return { status: 200, body: claims(sub, profile.scope) };
    },
  };
  return { routes: [route] };
}

/** The simulator's one test user, as OpenID Connect claims, limited to the scope given. */
const TEST_USER = {
  name: { name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace' },
  email: { email: 'user@example.com', email_verified: true },
  phoneNumber: { phone_number: '4791234567' },
  birthDate: { birthdate: '1815-12-10' },
  address: {
    address: {
      street_address: 'Robert Levins gate 5',
      postal_code: '0154',
      region: 'Oslo',
      country: 'NO',
      formatted: 'Robert Levins gate 5\n0154 Oslo\nNO',
      address_type: 'home',
    },
  },
} as const;

export function claims(sub: string, scope: string): Record<string, unknown> {
  const granted = new Set(scope.split(/\s+/));
  const shared = Object.entries(TEST_USER).flatMap(([name, values]) => (granted.has(name) ? Object.entries(values) : []));
  return { sub, ...Object.fromEntries(shared) };
}
