import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync, type PubSub } from 'type-graphql';
import { AuditResolver } from '../../audit/audit.resolver';
import { MerchantEventsResolver } from '../../merchant-events/merchant-events.resolver';
import { MerchantWebhookResolver } from '../../merchant-webhooks/merchant-webhook.resolver';
import { PaymentMutationResolver } from '../../payments/payment-mutation.resolver';
import { PaymentResolver } from '../../payments/payment.resolver';
import { PaymentSubscriptionResolver } from '../../payments/payment-subscription.resolver';
import { AgreementResolver } from '../../recurring/agreement.resolver';
import { ChargeResolver } from '../../recurring/charge.resolver';
import { RecurringMutationResolver } from '../../recurring/recurring-mutation.resolver';
import { RecurringSubscriptionResolver } from '../../recurring/recurring-subscription.resolver';
import { toSubgraphSchema } from './federation';
import { NodeResolver } from './node.resolver';

/**
 * type-graphql insists on a PubSub, but every subscription here declares its own `subscribe`
 * (authorised per subscriber, fed by `LiveUpdates`), so this one is never used.
 */
const SUBSCRIBE_FUNCTIONS_ONLY: PubSub = {
  publish: () => {
    throw new Error('Publish through LiveUpdates; subscriptions declare their own subscribe function.');
  },
  subscribe: () => {
    throw new Error('Subscriptions declare their own subscribe function.');
  },
};

/**
 * The schema the API serves: the type-graphql schema as an Apollo Federation 2 subgraph
 * (`federation.ts`); `schema.graphql` is its `_service { sdl }`.
 */
export function buildGraphQLSchema(): GraphQLSchema {
  return toSubgraphSchema(buildTypeGraphQLSchema());
}

/** The plain type-graphql schema, built from the decorated classes. */
export function buildTypeGraphQLSchema(): GraphQLSchema {
  return buildSchemaSync({
    resolvers: [NodeResolver, PaymentResolver, PaymentMutationResolver, PaymentSubscriptionResolver, AgreementResolver, ChargeResolver, RecurringMutationResolver, RecurringSubscriptionResolver, AuditResolver, MerchantEventsResolver, MerchantWebhookResolver],
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
    pubSub: SUBSCRIBE_FUNCTIONS_ONLY,
  });
}
