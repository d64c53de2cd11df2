import { createServer } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSchema } from 'graphql';
import { Redis } from 'ioredis';
import { handleGraphQL } from '../src/api/graphql-http';
import { runChild, serveForParent } from './child-server';

/**
 * Apollo Server's floor: Apollo Server 5 behind the API's own HTTP glue (`handleGraphQL`), with
 * the API's per-request plugin settings, answering a one-field query
 * `payment(reference: String!): String` with the same Redis GET as the baseline. No auth, rate
 * limit, loaders, types or our execution: what serving GraphQL with Apollo costs before any of
 * our code runs. Its own child process, like the baseline; started with
 * `fork(<this file>, [redisUrl, key])`.
 */
async function main(): Promise<void> {
  const [redisUrl, key] = process.argv.slice(2);
  if (!redisUrl || !key) throw new Error('usage: apollo-floor-server <redisUrl> <key>');
  const redis = new Redis(redisUrl);
  const schema = buildSchema('type Query { payment(reference: String!): String }');
  const apollo = new ApolloServer({
    schema,
    rootValue: { payment: () => redis.get(key) },
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const server = createServer((req, res) => {
    handleGraphQL(apollo, req, res, { admit: () => null, context: async () => ({}) }).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await serveForParent(server, () => redis.disconnect());
}

runChild('apollo floor server', main);
