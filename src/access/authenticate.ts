import { createHash } from 'node:crypto';
import type { ApiKeyConfig } from '../config/config';
import { unauthenticated, type Caller } from './caller';
import { readStatusToken } from './status-token';

/**
 * Turns `Authorization: Bearer <API key or status token>` into a Caller. Keys are configured as
 * sha256 hashes; the key itself is never stored or logged.
 */
export class Authenticator {
  private readonly byHash: ReadonlyMap<string, ApiKeyConfig>;
  /**
   * Callers of keys already seen, by credential, so a busy key is hashed once rather than per
   * request. Only valid keys get in, so it holds at most one entry per configured key.
   */
  private readonly byCredential = new Map<string, Caller>();

  constructor(
    keys: readonly ApiKeyConfig[],
    private readonly signingSecret: string,
  ) {
    this.byHash = new Map(keys.map((k) => [k.keyHash, k]));
  }

  authenticate(authorization: string | undefined): Caller {
    const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!match) throw unauthenticated('Send an API key as "Authorization: Bearer <key>".');
    const credential = match[1] as string;
    if (credential.startsWith('v1.')) {
      const read = readStatusToken(this.signingSecret, credential);
      if ('problem' in read) {
        throw unauthenticated(read.problem === 'expired' ? 'The status token has expired; status tokens last one hour.' : 'The status token is not valid.');
      }
      return { kind: 'status-token', msn: read.claims.msn, reference: read.claims.reference };
    }
    const known = this.byCredential.get(credential);
    if (known) return known;
    const key = this.byHash.get(createHash('sha256').update(credential).digest('hex'));
    if (!key) throw unauthenticated('The API key is not valid.');
    const caller: Caller = { kind: 'api-key', keyId: key.id, scopes: new Set(key.scopes), merchants: key.merchants };
    this.byCredential.set(credential, caller);
    return caller;
  }
}
