import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Payment } from '../../payments/payment.type';
import { paymentKeyFor } from '../../payments/payment-queries';
import { Agreement } from '../../recurring/agreement.type';
import { Charge } from '../../recurring/charge.type';
import { agreementKeyFor, chargeKeyFor } from '../../recurring/recurring-queries';
import type { GraphQLContext } from './context';
import { Node, parseGlobalId } from '../../graphql/node.type';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when not found (or not yours).' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Node | null> {
    const parsed = parseGlobalId(id);
    if (parsed?.kind === 'Payment' && parsed.parts.length === 2) {
      const [msn, reference] = parsed.parts as [string, string];
      const key = paymentKeyFor(ctx.caller, reference, msn);
      const record = key ? await ctx.loaders.payments.payment.load(key) : null;
      return record ? Payment.from(record) : null;
    }
    if (parsed?.kind === 'Agreement' && parsed.parts.length === 2) {
      const [msn, agreementId] = parsed.parts as [string, string];
      const key = agreementKeyFor(ctx.caller, agreementId, msn);
      const record = key ? await ctx.loaders.recurring.agreement.load(key) : null;
      return record ? Agreement.from(record) : null;
    }
    if (parsed?.kind === 'Charge' && parsed.parts.length === 3) {
      const [msn, agreementId, chargeId] = parsed.parts as [string, string, string];
      const key = chargeKeyFor(ctx.caller, agreementId, chargeId, msn);
      const record = key ? await ctx.loaders.recurring.charge.load(key) : null;
      return record ? Charge.from(record) : null;
    }
    return null;
  }
}
