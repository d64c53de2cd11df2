import { GraphQLError } from 'graphql';
import { Arg, Root, Subscription, Resolver, type SubscribeResolverData } from 'type-graphql';
import type { PaymentContext } from './payment.context';
import { Payment } from './payment.type';
import { paymentKeyFor } from './payment-queries';
import type { PaymentRecord } from './payment-record';
import { paymentTopic } from './payment-topic';

interface PaymentUpdatedArgs {
  reference: string;
  merchantSerialNumber?: string | null;
}

/**
 * Follow one payment. Authorised when subscribing: an API key with payments:read for its
 * merchant, or that payment's status token. Each stored change arrives once.
 */
async function subscribe({ args, context }: SubscribeResolverData<unknown, PaymentUpdatedArgs, PaymentContext>) {
  const key = paymentKeyFor(context.caller, args.reference, args.merchantSerialNumber);
  const known = key ? await context.loaders.payments.payment.load(key) : null;
  if (!key || !known) throw new GraphQLError(`Payment ${args.reference} was not found.`, { extensions: { code: 'NOT_FOUND' } });
  return context.services.live.subscribe(paymentTopic(key.msn, key.reference));
}

@Resolver()
export class PaymentSubscriptionResolver {
  @Subscription(() => Payment, { subscribe, description: 'The payment each time its state or money changes.' })
  paymentUpdated(
    @Root() record: PaymentRecord,
    @Arg('reference') _reference: string,
    @Arg('merchantSerialNumber', () => String, { nullable: true }) _merchantSerialNumber: string | null,
  ): Payment {
    return Payment.from(record);
  }
}
