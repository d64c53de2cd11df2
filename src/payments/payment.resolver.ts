import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { merchantFor, requireScope } from '../access/caller';
import { pageInfo } from '../graphql/connection';
import type { PaymentContext } from './payment.context';
import { Payment, PaymentConnection, PaymentEvent, PaymentEventConnection, PaymentState } from './payment.type';
import { pageSize } from '../graphql/paging';
import { listPayments, pageEvents, paymentKeyFor } from './payment-queries';

@Resolver(() => Payment)
export class PaymentResolver {
  @Query(() => Payment, { nullable: true, description: 'One payment by its reference; null when not found (or not yours).' })
  async payment(
    @Arg('reference') reference: string,
    @Arg('merchantSerialNumber', () => String, { nullable: true }) merchantSerialNumber: string | null,
    @Ctx() ctx: PaymentContext,
  ): Promise<Payment | null> {
    const key = paymentKeyFor(ctx.caller, reference, merchantSerialNumber);
    const record = key ? await ctx.loaders.payments.payment.load(key) : null;
    return record ? Payment.from(record) : null;
  }

  @Query(() => PaymentConnection, { description: "A merchant's payments made or seen through this API, newest first." })
  async payments(
    @Arg('merchantSerialNumber', () => String, { nullable: true }) merchantSerialNumber: string | null,
    @Arg('state', () => [PaymentState], { nullable: true }) state: PaymentState[] | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: PaymentContext,
  ): Promise<PaymentConnection> {
    const size = pageSize(first);
    const msn = merchantFor(requireScope(ctx.caller, 'payments:read'), merchantSerialNumber);
    const page = msn
      ? await listPayments(ctx.services.paymentRegistry, ctx.loaders.payments, msn, state, size, after)
      : { items: [], hasNextPage: false, totalCount: 0 };
    const edges = page.items.map(({ cursor, node }) => ({ cursor, node: Payment.from(node) }));
    return { edges, pageInfo: pageInfo(edges, page.hasNextPage, Boolean(after)), totalCount: page.totalCount };
  }

  @FieldResolver(() => PaymentEventConnection, { description: "Vipps' event log for this payment, oldest first." })
  async events(
    @Root() payment: Payment,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: PaymentContext,
  ): Promise<PaymentEventConnection> {
    const size = pageSize(first);
    const record = await ctx.loaders.payments.payment.load({ msn: payment.merchantSerialNumber, reference: payment.reference });
    const events = record ? await ctx.loaders.payments.events.load(record) : [];
    const page = pageEvents(events, size, after);
    const edges = page.items.map(({ cursor, node }) => ({ cursor, node: PaymentEvent.from(node) }));
    return { edges, pageInfo: pageInfo(edges, page.hasNextPage, Boolean(after)), totalCount: page.totalCount };
  }
}
