import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/** What the gateway keeps of the incoming request: the caller's credential, nothing else. */
export interface GatewayContext {
  authorization?: string;
}

/**
 * Forwards the caller's `Authorization` header to every subgraph, so vipps-graph applies the
 * caller's own API key (or status token) to the payments it resolves for them.
 */
export class ForwardAuthorization extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}

export interface GatewayOptions {
  /** The subgraphs: vipps-graph's `/graphql` and the partner's own. */
  subgraphs: { name: string; url: string }[];
  /**
   * `Authorization` for reading each subgraph's `_service { sdl }` at start-up (vipps-graph wants
   * an API key for every request). The callers' own credentials are used for their queries.
   */
  schemaAuthorization?: string;
  port?: number;
}

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

/** An Apollo Gateway that composes the subgraphs at start-up (IntrospectAndCompose). */
export async function startGateway({ subgraphs, schemaAuthorization, port = 0 }: GatewayOptions): Promise<RunningGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({
      subgraphs,
      ...(schemaAuthorization ? { introspectionHeaders: { authorization: schemaAuthorization } } : {}),
    }),
    buildService: ({ url }) => new ForwardAuthorization({ url }),
  });
  const server = new ApolloServer<GatewayContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    context: async ({ req }) => (req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });
  return { url, close: () => server.stop() };
}
