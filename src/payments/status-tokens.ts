import { signStatusToken, STATUS_TOKEN_LIFETIME_SECONDS } from '../access/status-token';

/** Issues status tokens for payments (see `access/status-token.ts`). */
export class StatusTokens {
  constructor(private readonly secret: string) {}

  issue(msn: string, reference: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
    return signStatusToken(this.secret, { msn, reference, exp: nowSeconds + STATUS_TOKEN_LIFETIME_SECONDS });
  }
}
