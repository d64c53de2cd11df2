import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { checkQuery, measureOperations, pagedFieldNames } from '../../../src/api/query-limits';
import type { QueryLimits } from '../../../src/config/config';

const schema = buildSchema(`
  type Query { payments(first: Int): Conn, node: Node }
  type Conn { edges: [Edge] }
  type Edge { node: Node }
  type Node { id: ID, events(first: Int): Conn, child: Node }
`);
const paged = pagedFieldNames(schema);
const LIMITS: QueryLimits = { maxDepth: 6, maxAliases: 3, maxCost: 1000, maxTokens: 500, maxDocumentBytes: 4096 };

function refusal(query: string, limits: QueryLimits = LIMITS): { message: string; extensions: Record<string, unknown> } | null {
  const checked = checkQuery(query, limits, paged);
  if (checked.kind === 'parsed') return null;
  return { message: checked.error.message, extensions: checked.error.extensions };
}

/** n fragments, each spreading the one before twice: 2^n fields once expanded. */
export function fragmentBomb(n: number, leaf = 'id'): string {
  let text = `query Bomb { node { ...F${n} } }\nfragment F0 on Node { ${leaf} }\n`;
  for (let i = 1; i <= n; i += 1) text += `fragment F${i} on Node { ...F${i - 1} ...F${i - 1} }\n`;
  return text;
}

describe('query limits', () => {
  it('lets an ordinary query through', () => {
    expect(refusal('{ payments(first: 20) { edges { node { id } } } }')).toBeNull();
  });

  it('refuses nesting deeper than the limit, through fragments too', () => {
    expect(refusal('{ node { child { child { child { child { child { child { id } } } } } } } }')?.message).toMatch(/nested 7 levels deep; the limit is 6/);
    expect(refusal('{ node { ...A } } fragment A on Node { child { child { child { child { child { child { id } } } } } } }')?.message).toMatch(/nested 7 levels/);
  });

  it('multiplies cost by page size, counts a variable page as the largest and a missing one as the default', () => {
    expect(refusal('{ payments(first: 10) { edges { node { events(first: 10) { edges { node { id } } } } } } }')).toBeNull();
    expect(refusal('query Big($n: Int) { payments(first: $n) { edges { node { events(first: $n) { edges { node { id } } } } } } }')?.message).toMatch(
      /The query Big could return about \d+ fields; the limit is 1000/,
    );
    const [unpaged] = measureOperations(parse('{ payments { edges { node { id } } } }'), paged).values();
    expect(unpaged?.cost).toBe(1 + 20 * (1 + 1 * (1 + 1)));
  });

  it('refuses too many aliases, and says by how much in the extensions', () => {
    const refused = refusal('{ a: node { id } b: node { id } c: node { id } d: node { id } }');
    expect(refused?.message).toMatch(/uses 4 aliases; the limit is 3/);
    expect(refused?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'GRAPHQL_MAX_ALIASES', value: 4, max: 3 });
  });

  it('refuses a document over the size limit without parsing it, and counts the tokens of one over the token limit', () => {
    const big = `{ node { id } } # ${'x'.repeat(5000)}`;
    expect(refusal(big)?.message).toBe(`The query is ${Buffer.byteLength(big)} bytes long; the limit is 4096.`);
    const many = `{ node { ${'id '.repeat(600)}} }`;
    expect(refusal(many)).toEqual({ message: 'The query has 605 tokens; the limit is 500.', extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'GRAPHQL_MAX_TOKENS', value: 605, max: 500 } });
  });

  it('leaves a syntax error for the parser to report, not as a limit', () => {
    expect(checkQuery('{ node { id }', LIMITS, paged).kind).toBe('unparsable');
  });

  it('measures each fragment once, however often it is spread: a 1,000-fragment bomb is measured at once', () => {
    const [measure] = measureOperations(parse(fragmentBomb(1000)), paged).values();
    expect(measure?.cost).toBeGreaterThan(1e300);
    expect(refusal(fragmentBomb(28), { ...LIMITS, maxTokens: 10_000 })?.message).toMatch(/could return about 268435457 fields; the limit is 1000/);
    // Aliases inside the bombed fragment add up as the response would.
    expect(refusal(fragmentBomb(20, 'a: id'), { ...LIMITS, maxTokens: 10_000, maxCost: Infinity })?.message).toMatch(/uses 1048576 aliases; the limit is 3/);
  });

  it('does not loop on a fragment cycle (validation refuses it later)', () => {
    expect(refusal('{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }')).toBeNull();
  });

  describe('introspection', () => {
    const defaults: QueryLimits = { maxDepth: 12, maxAliases: 30, maxCost: 20_000, maxTokens: 2_000, maxDocumentBytes: 32 * 1024 };

    it("answers graphql-js's own introspection query: its type references do not count as depth", () => {
      for (const options of [{}, { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }]) {
        expect(refusal(getIntrospectionQuery(options), defaults)).toBeNull();
      }
    });

    it('refuses fields of types of fields of types … by cost', () => {
      let nested = 'name';
      for (let i = 0; i < 6; i += 1) nested = `fields { type { ${nested} } }`;
      const refused = refusal(`{ __schema { types { ${nested} } } }`, defaults);
      expect(refused?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GRAPHQL_MAX_COST' });
    });
  });
});
