import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/**
 * A partner's own subgraph: their orders, each pointing at the Vipps payment that paid for it by
 * the payment's federation key (`merchantSerialNumber reference`). It knows nothing else about
 * payments; the router asks vipps-graph for `state`, `aggregate` and the rest.
 */
export const ORDERS_TYPE_DEFS = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    orders: [Order!]!
    order(id: ID!): Order
  }

  type Order @key(fields: "id") {
    id: ID!
    customer: String!
    items: [String!]!
    "The Vipps payment for this order; null when it is not found (or not visible to the caller)."
    payment: Payment
  }

  # Owned by vipps-graph; here only its key. (A comment, not a description: descriptions of a
  # shared type must agree across subgraphs, and vipps-graph's is the one to keep.)
  type Payment @key(fields: "merchantSerialNumber reference", resolvable: false) {
    merchantSerialNumber: String!
    reference: String!
  }
`);

export interface Order {
  id: string;
  customer: string;
  items: string[];
  payment: { merchantSerialNumber: string; reference: string } | null;
}

/** Demo orders for merchant 123456 (the simulator's); the README creates payments with these references. */
export const DEMO_ORDERS: Order[] = [
  { id: '1001', customer: 'Kari Nordmann', items: ['Two tickets'], payment: { merchantSerialNumber: '123456', reference: 'demo-order-1001' } },
  { id: '1002', customer: 'Ola Nordmann', items: ['Monthly news'], payment: { merchantSerialNumber: '123456', reference: 'demo-order-1002' } },
  { id: '1003', customer: 'Per Hansen', items: ['Gift card'], payment: null },
];

export function buildOrdersSchema(orders: readonly Order[]) {
  const byId = new Map(orders.map((o) => [o.id, o]));
  return buildSubgraphSchema([{
    typeDefs: ORDERS_TYPE_DEFS,
    resolvers: {
      Query: {
        orders: () => orders,
        order: (_: unknown, { id }: { id: string }) => byId.get(id) ?? null,
      },
      Order: {
        __resolveReference: ({ id }: { id: string }) => byId.get(id) ?? null,
        payment: (order: Order) => (order.payment ? { __typename: 'Payment', ...order.payment } : null),
      },
    },
  }]);
}

export interface RunningSubgraph {
  url: string;
  close(): Promise<void>;
}

export async function startOrdersSubgraph(orders: readonly Order[] = DEMO_ORDERS, port = 0): Promise<RunningSubgraph> {
  const server = new ApolloServer({ schema: buildOrdersSchema(orders), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const { url } = await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  return { url, close: () => server.stop() };
}

