import { signStatusToken, STATUS_TOKEN_LIFETIME_SECONDS } from '../access/status-token';

/** Issues status tokens for payments (see `access/status-token.ts`). */
export class StatusTokens {
  constructor(private readonly secret: string) {}

  issue(msn: string, reference: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
    return signStatusToken(this.secret, { msn, reference, exp: nowSeconds + STATUS_TOKEN_LIFETIME_SECONDS });
  }

  /**
   * For the returnUrl: the customer comes back when they have acted in the app, which for a
   * long-living payment (`expiresAt`, up to 60 days) can be long after creation. The token lives
   * 1 hour, or until 1 hour after `expiresAt` when that is later. It reads one payment's state
   * and amounts, nothing else, so a lifetime as long as the payment's own is an acceptable trade.
   */
  issueForReturn(msn: string, reference: string, expiresAt: Date | null, nowSeconds = Math.floor(Date.now() / 1000)): string {
    const paymentEnds = expiresAt ? Math.floor(expiresAt.getTime() / 1000) : nowSeconds;
    return signStatusToken(this.secret, { msn, reference, exp: Math.max(nowSeconds, paymentEnds) + STATUS_TOKEN_LIFETIME_SECONDS });
  }
}
