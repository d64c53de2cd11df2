import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { merchantFor, requireScope } from '../access/caller';
import { pageInfo } from '../graphql/connection';
import type { RecurringContext } from './recurring.context';
import { pageSize } from '../graphql/paging';
import { Agreement, AgreementConnection } from './agreement.type';
import { Charge, ChargeConnection } from './charge.type';
import { AgreementStatus, ChargeStatus } from './recurring.enums';
import { agreementKeyFor, listAgreements, pageCharges } from './recurring-queries';

@Resolver(() => Agreement)
export class AgreementResolver {
  @Query(() => Agreement, { nullable: true, description: 'One agreement; null when not found (or not yours).' })
  async agreement(
    @Arg('agreementId') agreementId: string,
    @Arg('merchantSerialNumber', () => String, { nullable: true }) merchantSerialNumber: string | null,
    @Ctx() ctx: RecurringContext,
  ): Promise<Agreement | null> {
    const key = agreementKeyFor(ctx.caller, agreementId, merchantSerialNumber);
    const record = key ? await ctx.loaders.recurring.agreement.load(key) : null;
    return record ? Agreement.from(record) : null;
  }

  @Query(() => AgreementConnection, {
    description:
      "A merchant's agreements in one status (ACTIVE when not given), oldest first: every agreement created through this API or seen since (a read, a poll, a webhook, the worker's hourly listing at Vipps).",
  })
  async agreements(
    @Arg('merchantSerialNumber', () => String, { nullable: true }) merchantSerialNumber: string | null,
    @Arg('status', () => AgreementStatus, { nullable: true }) status: AgreementStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RecurringContext,
  ): Promise<AgreementConnection> {
    const size = pageSize(first);
    const msn = merchantFor(requireScope(ctx.caller, 'recurring:read'), merchantSerialNumber);
    const page = msn
      ? await listAgreements(ctx.services.recurringRegistry, ctx.loaders.recurring, msn, status ?? AgreementStatus.ACTIVE, size, after)
      : { items: [], hasNextPage: false, totalCount: 0 };
    const edges = page.items.map(({ cursor, node }) => ({ cursor, node: Agreement.from(node) }));
    return { edges, pageInfo: pageInfo(edges, page.hasNextPage, Boolean(after)), totalCount: page.totalCount };
  }

  @FieldResolver(() => ChargeConnection, { description: 'The charges of this agreement, optionally of one status, in Vipps’ order.' })
  async charges(
    @Root() agreement: Agreement,
    @Arg('status', () => ChargeStatus, { nullable: true }) status: ChargeStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RecurringContext,
  ): Promise<ChargeConnection> {
    const size = pageSize(first);
    const charges = await ctx.loaders.recurring.chargesOf.load({ msn: agreement.merchantSerialNumber, agreementId: agreement.agreementId });
    const page = pageCharges(charges, status, size, after);
    const edges = page.items.map(({ cursor, node }) => ({ cursor, node: Charge.from(node) }));
    return { edges, pageInfo: pageInfo(edges, page.hasNextPage, Boolean(after)), totalCount: page.totalCount };
  }

  @FieldResolver(() => Charge, { nullable: true, description: 'The charge paid when the customer accepted, if the agreement had one.' })
  async initialCharge(@Root() agreement: Agreement, @Ctx() ctx: RecurringContext): Promise<Charge | null> {
    const charges = await ctx.loaders.recurring.chargesOf.load({ msn: agreement.merchantSerialNumber, agreementId: agreement.agreementId });
    const initial = charges.find((c) => c.type === 'INITIAL');
    return initial ? Charge.from(initial) : null;
  }
}
