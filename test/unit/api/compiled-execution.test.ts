import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { buildSchema, execute, getIntrospectionQuery, getOperationAST, Kind, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery } from 'graphql-jit';
import { compiledExecution } from '../../../src/api/compiled-execution';
import { buildGraphQLSchema } from '../../../src/api/schema/schema';

// graphql-jit as it is, with its compiler counted: a test can tell a compiled run from graphql-js.
jest.mock('graphql-jit', () => {
  const actual = jest.requireActual('graphql-jit');
  return { ...actual, compileQuery: jest.fn(actual.compileQuery) };
});
const compilations = () => (compileQuery as jest.Mock).mock.calls.length;

const schema: GraphQLSchema = buildSchema(`
  enum Color { RED GREEN }
  input Filter { color: Color! = RED, limit: Int! = 2 }
  type Item { name: String!, color: Color!, tags: [String!]! }
  type Query {
    items(first: Int = 2, color: Color): [Item!]!
    filtered(filter: Filter!): [Item!]!
    item(name: String!): Item
    plainFailure: String
    missingName: Item
  }
`);

const ITEMS = [
  { name: 'a', color: 'RED', tags: ['x'] },
  { name: 'b', color: 'GREEN', tags: [] },
  { name: 'c', color: 'RED', tags: ['y', 'z'] },
];
const pick = (color: unknown, limit: number) => ITEMS.filter((i) => color == null || i.color === color).slice(0, limit);
const rootValue = {
  items: ({ first, color }: { first: number; color?: string }) => pick(color, first),
  filtered: ({ filter }: { filter: { color: string; limit: number } }) => pick(filter.color, filter.limit),
  item: async ({ name }: { name: string }) => ITEMS.find((i) => i.name === name) ?? null,
  plainFailure: () => {
    throw new Error('disk on fire');
  },
  missingName: () => ({ color: 'RED', tags: [] }),
};

// Root fields resolve from the schema's resolvers; buildSchema has none, so attach rootValue's.
for (const [name, field] of Object.entries(schema.getQueryType()!.getFields())) {
  const resolve = rootValue[name as keyof typeof rootValue] as (args: never) => unknown;
  field.resolve = (_source, args) => resolve(args as never);
}

async function executorFor(target: GraphQLSchema): Promise<GatewayExecutor> {
  const gateway = compiledExecution(target);
  gateway.onSchemaLoadOrUpdate!(() => undefined);
  const loaded = await gateway.load({ apollo: { key: undefined, keyHash: undefined, graphRef: undefined } } as never);
  if (!loaded.executor) throw new Error('the gateway loaded no executor');
  return loaded.executor;
}

let executor: GatewayExecutor;
beforeAll(async () => {
  executor = await executorFor(schema);
});

async function run(query: string | DocumentNode, variables: Record<string, unknown> = {}, using = executor, operationName?: string): Promise<ExecutionResult> {
  const document = typeof query === 'string' ? parse(query) : query;
  const operation = getOperationAST(document, operationName)!;
  const context = { request: { query, variables }, document, operation, operationName: operation.name?.value ?? null, context: {} };
  return using(context as unknown as GatewayGraphQLRequestContext);
}

async function reference(query: string, variables: Record<string, unknown> = {}): Promise<ExecutionResult> {
  return execute({ schema, document: parse(query), variableValues: variables });
}

describe('compiled execution', () => {
  it.each([
    ['default arguments', '{ items { name color tags } }', {}],
    ['enum and int variables', 'query($c: Color, $n: Int) { items(first: $n, color: $c) { name } }', { c: 'RED', n: 5 }],
    ['a variable left out', 'query($c: Color) { items(color: $c) { name color } }', {}],
    ['aliases, typename and an async resolver', '{ one: item(name: "c") { __typename name tags } none: item(name: "q") { name } }', {}],
    ['an input-object literal with field defaults', '{ all: filtered(filter: {}) { name } one: filtered(filter: { limit: 1 }) { name } }', {}],
    ['@include and @skip on variables, and fragments', 'query($on: Boolean!) { items { ...f tags @include(if: $on) color @skip(if: $on) } } fragment f on Item { name }', { on: false }],
  ])('answers %s exactly as graphql-js does', async (_label, query, variables) => {
    const before = compilations();
    const compiled = await run(query, variables);
    expect(compilations()).toBe(before + 1);
    expect(compiled.errors).toBeUndefined();
    expect(JSON.stringify(compiled)).toBe(JSON.stringify(await reference(query, variables)));
  });

  it('applies the defaults of input-object fields (such operations run in graphql-js)', async () => {
    const before = compilations();
    const result = await run('query($f: Filter!) { filtered(filter: $f) { name } }', { f: {} });
    expect(result).toEqual({ data: { filtered: [{ name: 'a' }, { name: 'c' }] } });
    expect(compilations()).toBe(before);
  });

  it("gives a bad variable graphql-js's error, on the variable's definition (Apollo answers 400)", async () => {
    const query = 'query($n: Int) { items(first: $n) { name } }';
    const result = await run(query, { n: 'many' });
    const expected = await reference(query, { n: 'many' });
    expect(result.data).toBeUndefined();
    expect(result.errors?.map((e) => e.message)).toEqual(expected.errors?.map((e) => e.message));
    expect(result.errors?.[0]?.nodes?.[0]?.kind).toBe(Kind.VARIABLE_DEFINITION);
  });

  it('returns resolver failures as graphql-js errors: extensions, path and the original error kept', async () => {
    const result = await run('{ plainFailure items { name } }');
    expect(result.data).toEqual({ plainFailure: null, items: [{ name: 'a' }, { name: 'b' }] });
    const [error] = result.errors ?? [];
    expect(error?.extensions).toEqual({});
    expect(error?.path).toEqual(['plainFailure']);
    expect(error?.originalError?.message).toBe('disk on fire');
    expect(error?.locations).toEqual([{ line: 1, column: 3 }]);
  });

  it('nulls the nearest nullable parent when a non-null field is missing, as graphql-js does', async () => {
    const query = '{ missingName { name color } }';
    const result = await run(query);
    const expected = await reference(query);
    expect(result.data).toEqual(expected.data);
    expect(result.errors?.map((e) => [e.message, e.path])).toEqual(expected.errors?.map((e) => [e.message, e.path]));
  });

  it("answers the full introspection query of the API's schema exactly as graphql-js does", async () => {
    const api = buildGraphQLSchema();
    const query = getIntrospectionQuery({ descriptions: true, directiveIsRepeatable: true, specifiedByUrl: true });
    const before = compilations();
    const compiled = await run(query, {}, await executorFor(api));
    expect(compilations()).toBe(before + 1);
    expect(compiled.errors).toBeUndefined();
    expect(JSON.stringify(compiled)).toBe(JSON.stringify(await execute({ schema: api, document: parse(query) })));
  });

  it('runs the operation asked for when one document holds several', async () => {
    // Apollo parses a query text once; every request for it gets the same document.
    const document = parse('query First { item(name: "a") { name } } query Second { item(name: "b") { color } }');
    const before = compilations();
    expect(await run(document, {}, executor, 'First')).toEqual({ data: { item: { name: 'a' } } });
    expect(await run(document, {}, executor, 'Second')).toEqual({ data: { item: { color: 'GREEN' } } });
    expect(await run(document, {}, executor, 'First')).toEqual({ data: { item: { name: 'a' } } });
    // Each operation compiled once; the third run reuses the first.
    expect(compilations()).toBe(before + 2);
  });
});
