import { changeKey, judgeSchemas, parseAcceptedFile, report, SchemaCheckError } from '../../src/api/schema/schema-breaking';

/** A small subgraph SDL printed the way @apollo/subgraph 2.15 prints ours. */
const BASE = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

schema {
  query: Query
}

type Payment @key(fields: "merchantSerialNumber reference") {
  merchantSerialNumber: String!
  reference: String!
  state: PaymentState!
  description: String
}

enum PaymentState {
  CREATED
  AUTHORIZED
}

input CreatePaymentInput {
  reference: String!
}

type Query {
  payment(reference: String!): Payment
}

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar link__Import

enum link__Purpose {
  SECURITY
  EXECUTION
}

scalar federation__FieldSet

directive @key(fields: federation__FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE

directive @federation__external on OBJECT | FIELD_DEFINITION

directive @shareable repeatable on OBJECT | FIELD_DEFINITION

type _Service {
  sdl: String
}

scalar _Any

union _Entity = Payment

extend type Query {
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
}
`;

/** The same schema as an older @apollo/subgraph printed it: link spec spelled out, other layout. */
const OLD_PRINT = `schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
{
  query: Query
}

extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

directive @key(fields: federation__FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE

directive @federation__external(reason: String) on OBJECT | FIELD_DEFINITION

directive @shareable repeatable on OBJECT | FIELD_DEFINITION

input CreatePaymentInput {
  reference: String!
}

type Payment
  @key(fields: "merchantSerialNumber reference")
{
  merchantSerialNumber: String!
  reference: String!
  state: PaymentState!

  description: String
}

enum PaymentState {
  CREATED
  AUTHORIZED
}

type Query {
  payment(reference: String!): Payment
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
}

enum link__Purpose {
  SECURITY
  EXECUTION
}

scalar link__Import

scalar federation__FieldSet

scalar _Any

type _Service {
  sdl: String
}

union _Entity = Payment
`;

const edit = (from: string, to: string) => {
  if (!BASE.includes(from)) throw new Error(`fixture lacks ${from}`);
  return BASE.replace(from, to);
};

describe('schema:breaking', () => {
  it('a removed field is breaking, and the check refuses it', async () => {
    const verdict = await judgeSchemas(BASE, edit('  description: String\n', ''), []);
    expect(verdict.refused.map(changeKey)).toEqual(['FIELD_REMOVED Payment.description']);
    expect(report(verdict, 'abc1234').at(-1)).toContain('{"change": "FIELD_REMOVED Payment.description", "reason": "<why no client is hurt>"}');
  });

  it('an added optional field or input field is not breaking', async () => {
    const verdict = await judgeSchemas(BASE, edit('  description: String\n', '  description: String\n  receiptUrl: String\n').replace('input CreatePaymentInput {\n', 'input CreatePaymentInput {\n  note: String\n'), []);
    expect(verdict.changes.map((c) => [c.criticality.level, changeKey(c)])).toEqual([
      ['NON_BREAKING', 'FIELD_ADDED Payment.receiptUrl'],
      ['NON_BREAKING', 'INPUT_FIELD_ADDED CreatePaymentInput.note'],
    ]);
    expect(verdict.refused).toEqual([]);
  });

  it('a required input field, a removed enum value and a changed type are breaking', async () => {
    const changed = edit('input CreatePaymentInput {\n', 'input CreatePaymentInput {\n  note: String!\n').replace('  AUTHORIZED\n', '').replace('  state: PaymentState!', '  state: String!');
    const verdict = await judgeSchemas(BASE, changed, []);
    expect(verdict.refused.map(changeKey).sort()).toEqual(['ENUM_VALUE_REMOVED PaymentState.AUTHORIZED', 'FIELD_TYPE_CHANGED Payment.state', 'INPUT_FIELD_ADDED CreatePaymentInput.note']);
  });

  it('an accepted breaking change passes and is printed with its reason', async () => {
    const reason = 'Nothing ever set it: Vipps has no description on this API.';
    const verdict = await judgeSchemas(BASE, edit('  description: String\n', ''), [{ change: 'FIELD_REMOVED Payment.description', reason }]);
    expect(verdict.refused).toEqual([]);
    expect(report(verdict, 'abc1234')).toEqual([`BREAKING     FIELD_REMOVED Payment.description: Field 'description' was removed from object type 'Payment' (accepted: ${reason})`]);
  });

  it('says when an accepted change is no longer there', async () => {
    const verdict = await judgeSchemas(BASE, BASE, [{ change: 'FIELD_REMOVED Payment.description', reason: 'Nothing ever set it.' }]);
    expect(report(verdict, 'abc1234')).toEqual([
      'schema.graphql has no changes since abc1234.',
      'note: schema-breaking.json accepts "FIELD_REMOVED Payment.description", which is not a breaking change since abc1234; remove it.',
    ]);
  });

  it('compares schemas, not prints: the older print of the same schema is no change', async () => {
    expect((await judgeSchemas(OLD_PRINT, BASE, [])).changes).toEqual([]);
  });

  it('still sees an entity losing its @key', async () => {
    const verdict = await judgeSchemas(BASE, edit(' @key(fields: "merchantSerialNumber reference")', ''), []);
    expect(verdict.changes.map(changeKey)).toEqual(['DIRECTIVE_USAGE_OBJECT_REMOVED Payment.@key']);
  });

  it('says in a sentence what is wrong with the file or the schema', async () => {
    expect(() => parseAcceptedFile('{"base": "main", "accepted": [{"change": "FIELD_REMOVED Payment.description"}]}')).toThrow(
      new SchemaCheckError('schema-breaking.json: base must be a commit hash; accepted.0.reason Invalid input: expected string, received undefined'),
    );
    expect(() => parseAcceptedFile('{')).toThrow(SchemaCheckError);
    await expect(judgeSchemas(BASE, 'type Query {', [])).rejects.toThrow(new SchemaCheckError('the schema does not parse: Syntax Error: Expected Name, found <EOF>.'));
  });
});
