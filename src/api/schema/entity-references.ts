import { Payment } from '../../payments/payment.type';
import { paymentKeyFor } from '../../payments/payment-queries';
import { Agreement } from '../../recurring/agreement.type';
import { Charge } from '../../recurring/charge.type';
import { agreementKeyFor, chargeKeyFor } from '../../recurring/recurring-queries';
import type { GraphQLContext } from './context';

/**
 * How the federation router's `_entities` representations become our objects. Each goes through
 * the request's DataLoaders, so 100 payments in one `_entities` call are one MGET when warm, and
 * through the same access rule as the matching query: a foreign or unknown key resolves to null.
 * The `@key` fields are declared on the types (`@Directive('@key(...)')`).
 */
type Representation = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

export const entityReferenceResolvers = {
  Payment: {
    async __resolveReference(ref: Representation, ctx: GraphQLContext): Promise<Payment | null> {
      const msn = text(ref.merchantSerialNumber);
      const reference = text(ref.reference);
      const key = msn && reference ? paymentKeyFor(ctx.caller, reference, msn) : null;
      const record = key ? await ctx.loaders.payments.payment.load(key) : null;
      return record ? Payment.from(record) : null;
    },
  },
  Agreement: {
    async __resolveReference(ref: Representation, ctx: GraphQLContext): Promise<Agreement | null> {
      const msn = text(ref.merchantSerialNumber);
      const agreementId = text(ref.agreementId);
      const key = msn && agreementId ? agreementKeyFor(ctx.caller, agreementId, msn) : null;
      const record = key ? await ctx.loaders.recurring.agreement.load(key) : null;
      return record ? Agreement.from(record) : null;
    },
  },
  Charge: {
    async __resolveReference(ref: Representation, ctx: GraphQLContext): Promise<Charge | null> {
      const msn = text(ref.merchantSerialNumber);
      const agreementId = text(ref.agreementId);
      const chargeId = text(ref.chargeId);
      const key = msn && agreementId && chargeId ? chargeKeyFor(ctx.caller, agreementId, chargeId, msn) : null;
      const record = key ? await ctx.loaders.recurring.charge.load(key) : null;
      return record ? Charge.from(record) : null;
    },
  },
};
