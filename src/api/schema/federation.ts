import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { execute, lexicographicSortSchema, parse, type GraphQLSchema } from 'graphql';
import { createResolversMap } from 'type-graphql';
import { entityReferenceResolvers } from './entity-references';

/**
 * The Federation 2 version and directives this subgraph links. Only `@key` is used today; the
 * others are imported so a type can be marked shareable or inaccessible without touching this.
 */
export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@inaccessible", "@tag"])';

/**
 * Turns the type-graphql schema into an Apollo Federation 2 subgraph (the pattern of
 * type-graphql's `examples/apollo-federation-2`): print it with its directives (`@key` from
 * `@Directive`), add the `@link`, and let `@apollo/subgraph` build `_service`, `_entities` and
 * `_Entity` around the same resolvers: fields, subscriptions (`subscribe` + `resolve`), scalars,
 * enum values and `Node.__resolveType` come from `createResolversMap`, plus `__resolveReference`
 * per entity. Sorting first makes the SDL stable across runs.
 */
export function toSubgraphSchema(schema: GraphQLSchema): GraphQLSchema {
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(lexicographicSortSchema(schema))}`);
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, references] of Object.entries(entityReferenceResolvers)) {
    resolvers[typeName] = { ...resolvers[typeName], ...references };
  }
  // The resolver map's type in @apollo/subgraph is stricter than createResolversMap's; the shapes match.
  return buildSubgraphSchema([{ typeDefs, resolvers: resolvers as never }]);
}

/** `{ _service { sdl } }`: what a router or composition reads, and what `schema.graphql` holds. */
export function subgraphSdl(subgraph: GraphQLSchema): string {
  const result = execute({ schema: subgraph, document: parse('{ _service { sdl } }') });
  if ('then' in result) throw new Error('_service.sdl resolved asynchronously');
  const sdl = (result.data as { _service?: { sdl?: unknown } } | null | undefined)?._service?.sdl;
  if (typeof sdl !== 'string') throw new Error(`_service.sdl failed: ${JSON.stringify(result.errors)}`);
  return sdl;
}
