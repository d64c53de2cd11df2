import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { queryLimitsRule } from '../../../src/api/query-limits';

const schema = buildSchema(`
  type Query { payments(first: Int): Conn, node: Node }
  type Conn { edges: [Edge] }
  type Edge { node: Node }
  type Node { id: ID, events(first: Int): Conn, child: Node }
`);

function errors(query: string) {
  return validate(schema, parse(query), [...specifiedRules, queryLimitsRule({ maxDepth: 6, maxAliases: 3, maxCost: 1000 })]).map((e) => e.message);
}

describe('query limits', () => {
  it('lets an ordinary query through', () => {
    expect(errors('{ payments(first: 20) { edges { node { id } } } }')).toEqual([]);
  });

  it('refuses nesting deeper than the limit, through fragments too', () => {
    expect(errors('{ node { child { child { child { child { child { child { id } } } } } } } }')[0]).toMatch(/nested 7 levels deep; the limit is 6/);
    expect(errors('{ node { ...A } } fragment A on Node { child { child { child { child { child { child { id } } } } } } }')[0]).toMatch(/nested 7 levels/);
  });

  it('multiplies cost by page size, and counts a variable page as the largest', () => {
    expect(errors('{ payments(first: 10) { edges { node { events(first: 10) { edges { node { id } } } } } } }')).toEqual([]);
    expect(errors('query Big($n: Int) { payments(first: $n) { edges { node { events(first: $n) { edges { node { id } } } } } } }')[0]).toMatch(
      /The query Big could return about \d+ fields; the limit is 1000/,
    );
  });

  it('refuses too many aliases', () => {
    expect(errors('{ a: node { id } b: node { id } c: node { id } d: node { id } }')[0]).toMatch(/uses 4 aliases; the limit is 3/);
  });
});
