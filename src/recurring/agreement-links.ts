import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import type { RedisKeys } from '../redis/keys';
import { AGREEMENT_PAGE_TOKEN_LIFETIME_SECONDS, signAgreementPageToken, verifyAgreementPageToken } from './agreement-token';

/**
 * Management-page links for agreements (Vipps checklist: `merchantAgreementUrl` must let the
 * customer manage and stop the subscription).
 *
 * Why the link is made from the createAgreement idempotency key and not the agreement id: Vipps
 * requires `merchantAgreementUrl` in the draft, before it has assigned the id, and refuses any
 * PATCH while the agreement is PENDING (`illegal-agreement-update`, docs/vipps.md §10.3), so "create
 * with a placeholder, patch the real link in" would leave the placeholder in place exactly while
 * the customer reads the agreement in the app. The key is ours, known before creation, unique per
 * merchant, and a retried create sends the same key and therefore the same URL. Once Vipps answers,
 * `remember` maps key → agreement id (kept as long as the link lives).
 */
export class AgreementLinks {
  constructor(
    private readonly secret: string,
    private readonly publicUrl: string,
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly log: Logger,
  ) {}

  /** The URL to put in a draft agreement created with `createKey`. */
  urlForCreateKey(msn: string, createKey: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
    return this.url(signAgreementPageToken(this.secret, { msn, createKey, exp: nowSeconds + AGREEMENT_PAGE_TOKEN_LIFETIME_SECONDS }));
  }

  async remember(msn: string, createKey: string, agreementId: string): Promise<void> {
    try {
      await this.redis.set(this.keys.agreementLink(msn, createKey), agreementId, 'EX', AGREEMENT_PAGE_TOKEN_LIFETIME_SECONDS);
    } catch (error) {
      this.log.error({ err: error, agreementId }, 'agreement page link could not be stored; the customer link will not open');
    }
  }

  /** The merchant and agreement a token opens, or null when it is forged, expired or unknown. */
  async resolve(token: string): Promise<{ msn: string; agreementId: string } | null> {
    const claims = verifyAgreementPageToken(this.secret, token);
    if (!claims) return null;
    if ('agreementId' in claims) return { msn: claims.msn, agreementId: claims.agreementId };
    const agreementId = await this.redis.get(this.keys.agreementLink(claims.msn, claims.createKey));
    return agreementId ? { msn: claims.msn, agreementId } : null;
  }

  private url(token: string): string {
    return `${this.publicUrl}/agreements/manage/${token}`;
  }
}
