/**
 * Every Redis key the project uses, built in one place under one prefix (`REDIS_PREFIX`, default
 * `vg`). Keys with `{msn}` hash tags keep one merchant's data in one Redis Cluster slot.
 * Cache keys carry a TTL; registry keys are durable data.
 */
export function redisKeys(prefix: string) {
  const p = `${prefix}:`;
  return {
    prefix: p,
    /** Shared Vipps access token per merchant (string, TTL = token lifetime minus margin). */
    accessToken: (msn: string) => `${p}token:{${msn}}`,
    /** Lock held while one process refreshes a merchant's access token. */
    accessTokenLock: (msn: string) => `${p}token-lock:{${msn}}`,
    /** Cached Vipps payment (JSON PaymentRecord), TTL by state. */
    paymentCache: (msn: string, reference: string) => `${p}payment:{${msn}}:${reference}`,
    /** Cached Vipps event log of a payment (JSON array), same TTL as the payment. */
    paymentEventsCache: (msn: string, reference: string) => `${p}payment-events:{${msn}}:${reference}`,
    /** Registry: what we know of a payment that Vipps does not return (hash). Durable. */
    paymentMeta: (msn: string, reference: string) => `${p}payment-meta:{${msn}}:${reference}`,
    /** Registry: every payment of a merchant by creation time (sorted set). Durable. */
    paymentIndex: (msn: string) => `${p}payments:{${msn}}`,
    /** Creates about to be sent to Vipps, by reference and the time decided (sorted set, durable). */
    paymentIntents: (msn: string) => `${p}payment-intents:{${msn}}`,
    /** Registry: a merchant's payments in one state by creation time (sorted set). Durable. */
    paymentStateIndex: (msn: string, state: string) => `${p}payments:{${msn}}:${state}`,
    /** Outcome of a mutation per merchant and idempotency key (JSON), kept 30 days. */
    idempotency: (msn: string, key: string) => `${p}idempotency:{${msn}}:${key}`,
    /** Cached Recurring agreement (JSON AgreementRecord), TTL by status. */
    agreementCache: (msn: string, agreementId: string) => `${p}agreement:{${msn}}:${agreementId}`,
    /** Cached Recurring charge (JSON ChargeRecord), TTL by status. */
    chargeCache: (msn: string, agreementId: string, chargeId: string) => `${p}charge:{${msn}}:${agreementId}:${chargeId}`,
    /** Cached ids of all charges of an agreement (JSON array, Vipps' order), TTL by agreement status. */
    chargeListCache: (msn: string, agreementId: string) => `${p}charges:{${msn}}:${agreementId}`,
    /** Registry: a merchant's agreements in one status, `<created ms, 15 digits>:<agreementId>` (sorted set, every score 0, paged by position). Durable. */
    agreementStatusIndex: (msn: string, status: string) => `${p}agreement-index:{${msn}}:${status}`,
    /** Set while a listing of a merchant's agreements at Vipps is recent (TTL = how often the sweeper lists them). */
    agreementsListed: (msn: string) => `${p}agreements-listed:{${msn}}`,
    /** Registry: the version of an agreement last stored, to tell a change from a repeat (string). Durable. */
    agreementStoredVersion: (msn: string, agreementId: string) => `${p}agreement-version:{${msn}}:${agreementId}`,
    /** Registry: the version of a charge last stored (string). Durable. */
    chargeStoredVersion: (msn: string, agreementId: string, chargeId: string) => `${p}charge-version:{${msn}}:${agreementId}:${chargeId}`,
    /** Registry: a merchant's reserved charges with money left, `agreementId/chargeId` (sorted set, every score 0, paged by id). Durable. */
    reservedCharges: (msn: string) => `${p}reserved-charges:{${msn}}`,
    /** Which agreement a management-page link made before creation points to (createAgreement key → id), TTL = link lifetime. */
    agreementLink: (msn: string, createKey: string) => `${p}agreement-link:{${msn}}:${createKey}`,
    /** A merchant's reservations with money left to capture, by capture deadline in ms (sorted set, one per kind). Durable; the sweeper drops passed deadlines. */
    expiringReservations: (msn: string, kind: 'payment' | 'charge') => `${p}expiring-${kind}s:{${msn}}`,
    /** A capture-deadline warning claimed or emitted, by event id (`emitting` | `emitted`), TTL a day past the deadline. */
    captureWarning: (msn: string, eventId: string) => `${p}capture-warning:{${msn}}:${eventId}`,
    /** Pub/sub channel of a subscription topic (see src/live/live-updates.ts). */
    liveChannel: (topic: string) => `${p}live:${topic}`,
    /** Last version published on a topic, so one change is published once (TTL 7 days). */
    livePublished: (topic: string) => `${p}live-published:${topic}`,
    /** Webhook secrets of a merchant's registrations (hash: registration id → secret). Durable. */
    webhookSecrets: (msn: string) => `${p}webhook-secrets:{${msn}}`,
    /** A delivery already accepted (by its signature), to refuse replays for 10 minutes. */
    webhookSeen: (digest: string) => `${p}webhook-seen:${digest}`,
    /** A merchant's outbound webhook endpoints (hash: endpoint id → JSON, without the secret). Durable. */
    merchantWebhooks: (msn: string) => `${p}merchant-webhooks:{${msn}}`,
    /** Their signing secrets (hash: endpoint id → `whsec_…`), apart so that listing never reads one. Durable. */
    merchantWebhookSecrets: (msn: string) => `${p}merchant-webhook-secrets:{${msn}}`,
    /** An event awaiting delivery or redelivery to a merchant's endpoints (JSON MerchantEvent, TTL 3 days). */
    merchantWebhookEvent: (msn: string, eventId: string) => `${p}merchant-webhook-event:{${msn}}:${eventId}`,
    /** Set when an event's delivery to an endpoint is queued, so it is queued once (TTL 3 days). */
    merchantWebhookClaim: (msn: string, endpointId: string, eventId: string) => `${p}merchant-webhook-claim:{${msn}}:${endpointId}:${eventId}`,
    /** An endpoint's delivery attempts (stream, about the last 1 000), deleted with the endpoint. */
    merchantWebhookLog: (msn: string, endpointId: string) => `${p}merchant-webhook-log:{${msn}}:${endpointId}`,
    /** Audit log of a merchant's money mutations (stream, capped at ~1 000 000 entries). Durable, no TTL. */
    auditLog: (msn: string) => `${p}audit:{${msn}}`,
    /** Times of one API key's requests in the last minute (sorted set, TTL 1 minute). */
    rateLimit: (keyId: string) => `${p}rate:${keyId}`,
    /** A support console session by the sha256 of its cookie (JSON), TTL = the idle timeout, renewed per request. */
    consoleSession: (digest: string) => `${p}console-session:${digest}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
