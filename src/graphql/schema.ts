import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { PaymentMutationResolver } from '../payments/payment-mutation.resolver';
import { PaymentResolver } from '../payments/payment.resolver';
import { NodeResolver } from './node.resolver';

/** The GraphQL schema, built from the decorated classes (`schema.graphql` is printed from it). */
export function buildGraphQLSchema(): GraphQLSchema {
  return buildSchemaSync({
    resolvers: [NodeResolver, PaymentResolver, PaymentMutationResolver],
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
  });
}
