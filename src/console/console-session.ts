import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys';

/** What a signed-in console keeps: which API key (its id, never the key), who, and the form token. */
export interface ConsoleSession {
  keyId: string;
  staff: string;
  /** Put in every form and checked on every POST (CSRF). */
  csrf: string;
}

/**
 * Console sessions in Redis under the sha256 of the cookie value (a Redis dump holds no usable
 * cookie), ending after `idleSeconds` without a request: each read renews the TTL.
 */
export class ConsoleSessions {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly idleSeconds: number,
  ) {}

  /** A new session; returns the cookie value. */
  async start(keyId: string, staff: string): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const session: ConsoleSession = { keyId, staff, csrf: randomBytes(24).toString('base64url') };
    await this.redis.set(this.key(id), JSON.stringify(session), 'EX', this.idleSeconds);
    return id;
  }

  async read(id: string | undefined): Promise<ConsoleSession | null> {
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const raw = await this.redis.getex(this.key(id), 'EX', this.idleSeconds);
    return raw ? (JSON.parse(raw) as ConsoleSession) : null;
  }

  async end(id: string | undefined): Promise<void> {
    if (id) await this.redis.del(this.key(id));
  }

  private key(id: string): string {
    return this.keys.consoleSession(createHash('sha256').update(id).digest('hex'));
  }
}

/** The form's CSRF token against the session's, in constant time. */
export function csrfMatches(session: ConsoleSession, sent: string | null): boolean {
  if (!sent) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}
