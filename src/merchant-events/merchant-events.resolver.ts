import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, Int, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { pageInfo } from '../graphql/connection';
import { Money } from '../graphql/money.type';
import { badCursor, decodeCursor, encodeCursor, pageSize } from '../graphql/paging';
import { capturable, captureDeadline } from '../payments/payment-rules';
import { Payment } from '../payments/payment.type';
import { capturable as chargeCapturable, captureDeadline as chargeCaptureDeadline } from '../recurring/charge-rules';
import { Charge } from '../recurring/charge.type';
import { filterStream } from './filter-stream';
import type { MerchantEvent as MerchantEventRecord, MerchantEventType as EventType } from './merchant-event';
import { reservationAccess, streamAccess } from './merchant-event-access';
import { MerchantEventType } from './merchant-event-type.enum';
import { ExpiringReservation, ExpiringReservationConnection, MerchantEvent } from './merchant-event.type';
import type { MerchantEventsContext } from './merchant-events.context';
import { merchantTopic } from './merchant-events';
import type { ReservationCursor, ReservationEntry } from './reservation-index';

interface MerchantEventsArgs {
  merchantSerialNumber?: string | null;
  types?: EventType[] | null;
}

/** Authorised when subscribing; each event is then kept or dropped by type and scope. */
async function subscribe({ args, context }: SubscribeResolverData<unknown, MerchantEventsArgs, MerchantEventsContext>) {
  const { msn, accepts } = streamAccess(context.caller, args.merchantSerialNumber, args.types);
  return filterStream(await context.services.live.subscribe(merchantTopic(msn)), accepts);
}

/** Cursor `<deadline ms>:<index member>`: where the next page starts in the index's order. */
function parseCursor(after: string): ReservationCursor {
  const text = decodeCursor(after);
  const cut = text.indexOf(':');
  const deadlineMs = Number(text.slice(0, cut));
  const member = text.slice(cut + 1);
  if (cut < 1 || !Number.isSafeInteger(deadlineMs) || !/^(payment|charge)\/[A-Za-z0-9_\-/.]+$/.test(member)) badCursor();
  return { deadlineMs, member };
}

@Resolver()
export class MerchantEventsResolver {
  @Subscription(() => MerchantEvent, {
    subscribe,
    description: "Every change to the merchant's payments, agreements and charges, and capture-deadline warnings, as they are stored. payments:read hears payment events, recurring:read agreement and charge events.",
  })
  merchantEvents(
    @Root() event: MerchantEventRecord,
    @Arg('merchantSerialNumber', () => String, { nullable: true }) _merchantSerialNumber: string | null,
    @Arg('types', () => [MerchantEventType], { nullable: true, description: 'Only these; every type the key may read when left out.' }) _types: EventType[] | null,
  ): MerchantEvent {
    return MerchantEvent.from(event);
  }

  @Query(() => ExpiringReservationConnection, {
    description: 'Authorized payments (payments:read) and reserved charges (recurring:read) with money left to capture whose capture deadline is before `deadlineBefore` and not yet passed, soonest first.',
  })
  async expiringReservations(
    @Arg('merchantSerialNumber', () => String, { nullable: true }) merchantSerialNumber: string | null,
    @Arg('deadlineBefore', () => DateTimeResolver) deadlineBefore: Date,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: MerchantEventsContext,
  ): Promise<ExpiringReservationConnection> {
    const size = pageSize(first);
    const { msn, kinds } = reservationAccess(ctx.caller, merchantSerialNumber);
    const cursor = after ? parseCursor(after) : null;
    if (!msn) return { edges: [], pageInfo: pageInfo([], false, Boolean(after)), totalCount: 0 };
    const page = await ctx.services.reservations.page(msn, kinds, Date.now(), deadlineBefore.getTime(), size, cursor);
    const nodes = await Promise.all(page.entries.map((entry) => reservationNode(ctx, entry)));
    const edges = page.entries.flatMap((entry, i) => {
      const node = nodes[i];
      return node ? [{ cursor: encodeCursor(`${entry.deadlineMs}:${entry.member}`), node }] : [];
    });
    return { edges, pageInfo: pageInfo(edges, page.more, Boolean(after)), totalCount: page.total };
  }
}

/**
 * The reservation an index entry names, as it now stands (cache, else Vipps through the request's
 * loader); null when nothing is left to capture (captured since: reading it updated the index).
 */
async function reservationNode(ctx: MerchantEventsContext, entry: ReservationEntry): Promise<ExpiringReservation | null> {
  if (entry.kind === 'payment') {
    const p = await ctx.loaders.payments.payment.load({ msn: entry.msn, reference: entry.reference });
    if (!p || capturable(p) === 0) return null;
    return Object.assign(new ExpiringReservation(), {
      captureDeadline: captureDeadline(p) ?? new Date(entry.deadlineMs),
      capturable: Money.of(capturable(p), p.amount.currency),
      payment: Payment.from(p),
      charge: null,
    });
  }
  const c = await ctx.loaders.recurring.charge.load({ msn: entry.msn, agreementId: entry.agreementId, chargeId: entry.chargeId });
  if (!c || chargeCapturable(c) === 0) return null;
  return Object.assign(new ExpiringReservation(), {
    captureDeadline: chargeCaptureDeadline(c) ?? new Date(entry.deadlineMs),
    capturable: Money.of(chargeCapturable(c), c.currency),
    payment: null,
    charge: Charge.from(c),
  });
}
