import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RecurringContext } from './recurring.context';
import { Agreement } from './agreement.type';
import { Charge } from './charge.type';
import { chargeKeyFor } from './recurring-queries';

@Resolver(() => Charge)
export class ChargeResolver {
  @Query(() => Charge, { nullable: true, description: 'One charge of an agreement; null when not found (or not yours).' })
  async charge(
    @Arg('agreementId') agreementId: string,
    @Arg('chargeId') chargeId: string,
    @Arg('merchantSerialNumber', () => String, { nullable: true }) merchantSerialNumber: string | null,
    @Ctx() ctx: RecurringContext,
  ): Promise<Charge | null> {
    const key = chargeKeyFor(ctx.caller, agreementId, chargeId, merchantSerialNumber);
    const record = key ? await ctx.loaders.recurring.charge.load(key) : null;
    return record ? Charge.from(record) : null;
  }

  @FieldResolver(() => Agreement, { nullable: true, description: 'The agreement this charge belongs to.' })
  async agreement(@Root() charge: Charge, @Ctx() ctx: RecurringContext): Promise<Agreement | null> {
    const record = await ctx.loaders.recurring.agreement.load({ msn: charge.merchantSerialNumber, agreementId: charge.agreementId });
    return record ? Agreement.from(record) : null;
  }
}
