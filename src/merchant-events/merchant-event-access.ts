import { GraphQLError } from 'graphql';
import { forbidden, merchantFor, type Caller } from '../access/caller';
import type { Scope } from '../config/config';
import type { MerchantEvent, MerchantEventType } from './merchant-event';
import type { ReservationKind } from './reservation-index';

/**
 * Who may hear which merchant events. The scope follows the resource an event carries:
 * payments:read for a payment's events, recurring:read for an agreement's or a charge's; a
 * CAPTURE_DEADLINE_APPROACHING is about one or the other. Only API keys, for their own merchants.
 */
const SCOPE_OF_TYPE: Record<MerchantEventType, Scope | null> = {
  PAYMENT_UPDATED: 'payments:read',
  AGREEMENT_UPDATED: 'recurring:read',
  AGREEMENT_STOPPED: 'recurring:read',
  CHARGE_UPDATED: 'recurring:read',
  CHARGE_FAILED: 'recurring:read',
  // A payment's or a charge's: either scope, and each event is checked by what it carries.
  CAPTURE_DEADLINE_APPROACHING: null,
};

type ApiKey = Extract<Caller, { kind: 'api-key' }>;

function readingKey(caller: Caller, what: string): ApiKey {
  if (caller.kind !== 'api-key') throw forbidden(`A status token cannot read ${what}; it needs an API key with payments:read or recurring:read.`);
  if (!caller.scopes.has('payments:read') && !caller.scopes.has('recurring:read')) throw forbidden(`This API key lacks the payments:read or recurring:read scope needed for ${what}.`);
  return caller;
}

function notFound(msn: string | null | undefined): GraphQLError {
  return new GraphQLError(`Merchant ${msn} was not found.`, { extensions: { code: 'NOT_FOUND' } });
}

/** The merchant a key follows and which of its events it hears; throws when it may not follow them. */
export function streamAccess(caller: Caller, requestedMsn: string | null | undefined, types: readonly MerchantEventType[] | null | undefined): { msn: string; accepts: (e: MerchantEvent) => boolean } {
  const key = readingKey(caller, 'merchant events');
  if (types && types.length === 0) throw new GraphQLError('types must name at least one event type, or be left out for every type.', { extensions: { code: 'BAD_USER_INPUT' } });
  for (const type of types ?? []) {
    const scope = SCOPE_OF_TYPE[type];
    if (scope && !key.scopes.has(scope)) throw forbidden(`This API key lacks the ${scope} scope needed for ${type} events.`);
  }
  const msn = merchantFor(key, requestedMsn);
  if (msn === null) throw notFound(requestedMsn);
  const wanted = types ? new Set(types) : null;
  const payments = key.scopes.has('payments:read');
  const recurring = key.scopes.has('recurring:read');
  return {
    msn,
    accepts: (e) => e.merchantSerialNumber === msn && (!wanted || wanted.has(e.type)) && (e.payment ? payments : recurring),
  };
}

/** The merchant whose reservations a key reads (null: not one of its merchants) and the kinds its scopes allow. */
export function reservationAccess(caller: Caller, requestedMsn: string | null | undefined): { msn: string | null; kinds: ReservationKind[] } {
  const key = readingKey(caller, 'expiring reservations');
  const kinds: ReservationKind[] = [];
  if (key.scopes.has('payments:read')) kinds.push('payment');
  if (key.scopes.has('recurring:read')) kinds.push('charge');
  return { msn: merchantFor(key, requestedMsn), kinds };
}
