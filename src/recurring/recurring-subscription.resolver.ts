import { GraphQLError } from 'graphql';
import { Arg, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { RecurringContext } from './recurring.context';
import { Agreement } from './agreement.type';
import { Charge } from './charge.type';
import { agreementKeyFor, chargeKeyFor } from './recurring-queries';
import type { AgreementRecord, ChargeRecord } from './recurring-record';
import { agreementTopic, chargeTopic } from './recurring-topics';

interface AgreementArgs {
  agreementId: string;
  chargeId?: string | null;
  merchantSerialNumber?: string | null;
}

function notFound(what: string): GraphQLError {
  return new GraphQLError(`${what} was not found.`, { extensions: { code: 'NOT_FOUND' } });
}

/** Authorised when subscribing (recurring:read for the merchant); each stored change arrives once. */
async function subscribeAgreement({ args, context }: SubscribeResolverData<unknown, AgreementArgs, RecurringContext>) {
  const key = agreementKeyFor(context.caller, args.agreementId, args.merchantSerialNumber);
  const known = key ? await context.loaders.recurring.agreement.load(key) : null;
  if (!key || !known) throw notFound(`Agreement ${args.agreementId}`);
  return context.services.live.subscribe(agreementTopic(key.msn, key.agreementId));
}

async function subscribeCharge({ args, context }: SubscribeResolverData<unknown, AgreementArgs, RecurringContext>) {
  const agreementKey = agreementKeyFor(context.caller, args.agreementId, args.merchantSerialNumber);
  const agreement = agreementKey ? await context.loaders.recurring.agreement.load(agreementKey) : null;
  if (!agreementKey || !agreement) throw notFound(`Agreement ${args.agreementId}`);
  if (!args.chargeId) return context.services.live.subscribe(chargeTopic(agreementKey.msn, agreementKey.agreementId));
  const key = chargeKeyFor(context.caller, args.agreementId, args.chargeId, args.merchantSerialNumber);
  const charge = key ? await context.loaders.recurring.charge.load(key) : null;
  if (!key || !charge) throw notFound(`Charge ${args.chargeId}`);
  return context.services.live.subscribe(chargeTopic(key.msn, key.agreementId, key.chargeId));
}

@Resolver()
export class RecurringSubscriptionResolver {
  @Subscription(() => Agreement, { subscribe: subscribeAgreement, description: 'The agreement each time its status or terms change.' })
  agreementUpdated(
    @Root() record: AgreementRecord,
    @Arg('agreementId') _agreementId: string,
    @Arg('merchantSerialNumber', () => String, { nullable: true }) _merchantSerialNumber: string | null,
  ): Agreement {
    return Agreement.from(record);
  }

  @Subscription(() => Charge, { subscribe: subscribeCharge, description: 'A charge each time its status or money changes: one charge, or every charge of the agreement.' })
  chargeUpdated(
    @Root() record: ChargeRecord,
    @Arg('agreementId') _agreementId: string,
    @Arg('chargeId', () => String, { nullable: true }) _chargeId: string | null,
    @Arg('merchantSerialNumber', () => String, { nullable: true }) _merchantSerialNumber: string | null,
  ): Charge {
    return Charge.from(record);
  }
}
