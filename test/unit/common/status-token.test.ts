import { signStatusToken, verifyStatusToken } from '../../../src/access/status-token';

const secret = 'a-test-signing-secret-of-enough-length';
const claims = { msn: '123456', reference: 'order-0001', exp: 2_000 };

describe('status tokens', () => {
  it('verify with the same secret before expiry', () => {
    expect(verifyStatusToken(secret, signStatusToken(secret, claims), 1_000)).toEqual(claims);
  });

  it('are refused when expired, altered or signed with another secret', () => {
    const token = signStatusToken(secret, claims);
    expect(verifyStatusToken(secret, token, 2_000)).toBeNull();
    const other = signStatusToken(secret, { ...claims, reference: 'order-0002' });
    const [v, , sig] = token.split('.');
    expect(verifyStatusToken(secret, `${v}.${other.split('.')[1]}.${sig}`, 1_000)).toBeNull();
    expect(verifyStatusToken('another-secret-of-enough-length-xx', token, 1_000)).toBeNull();
    expect(verifyStatusToken(secret, 'v1.garbage', 1_000)).toBeNull();
  });
});
