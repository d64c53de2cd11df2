import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { startGateway, type RunningGateway } from '../../../examples/gateway/gateway';
import { ORDERS_TYPE_DEFS, startOrdersSubgraph, type Order, type RunningSubgraph } from '../../../examples/orders/orders-subgraph';
import { OTHER_MERCHANT, startTestApi, type TestApi } from '../../support/api';
import { authorizedPayment, createPayment, uniqueKey, uniqueRef } from '../payments/payment-support';
import { activeAgreement, CREATE_CHARGE, dueIn, key } from '../recurring/recurring-support';

/**
 * vipps-graph as an Apollo Federation 2 subgraph: its SDL is the committed schema.graphql, its
 * entities resolve through the request's loaders under the same access rules as the queries, and
 * it composes with the example orders subgraph behind a gateway that forwards the caller's key.
 */
describe('Federation 2 subgraph', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const ENTITIES = `query($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Payment { reference state amount { value } }
      ... on Agreement { agreementId agreementStatus: status }
      ... on Charge { chargeId chargeStatus: status }
    }
  }`;

  it('answers _service { sdl } with the committed schema.graphql', async () => {
    const result = await api.gql('{ _service { sdl } }');
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8');
    expect(`${result.data._service.sdl}\n`).toBe(committed);
    expect(committed).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    expect(committed).toMatch(/type Payment implements Node\s+@key\(fields: "merchantSerialNumber reference"\)/);
    expect(committed).toMatch(/type Agreement implements Node\s+@key\(fields: "merchantSerialNumber agreementId"\)/);
    expect(committed).toMatch(/type Charge implements Node\s+@key\(fields: "merchantSerialNumber agreementId chargeId"\)/);
  });

  it('resolves Payment, Agreement and Charge references; foreign, unknown and malformed ones are null', async () => {
    const mine = (await createPayment(api, { amount: { value: 12300, currency: 'NOK' } })).payment.reference;
    const foreign = (await createPayment(api, {}, 'other')).payment.reference;
    const agreement = await activeAgreement(api);
    const charge = await api.gql(CREATE_CHARGE, {
      input: { agreementId: agreement.agreementId, idempotencyKey: key('fed'), amount: { value: 19900, currency: 'NOK' }, description: 'May', due: await dueIn(api, 3), retryDays: 2 },
    });
    const chargeId = charge.data.createCharge.charge.chargeId as string;

    const result = await api.gql(ENTITIES, {
      representations: [
        { __typename: 'Payment', merchantSerialNumber: '123456', reference: mine },
        { __typename: 'Payment', merchantSerialNumber: OTHER_MERCHANT.msn, reference: foreign },
        { __typename: 'Payment', merchantSerialNumber: '123456', reference: uniqueRef('nope') },
        { __typename: 'Payment', merchantSerialNumber: '123456' },
        { __typename: 'Agreement', merchantSerialNumber: '123456', agreementId: agreement.agreementId },
        { __typename: 'Charge', merchantSerialNumber: '123456', agreementId: agreement.agreementId, chargeId },
      ],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([
      { __typename: 'Payment', reference: mine, state: 'CREATED', amount: { value: 12300 } },
      null,
      null,
      null,
      { __typename: 'Agreement', agreementId: agreement.agreementId, agreementStatus: 'ACTIVE' },
      { __typename: 'Charge', chargeId, chargeStatus: 'DUE' },
    ]);

    // The same reference through the key that serves the other merchant resolves.
    const theirs = await api.gql(ENTITIES, { representations: [{ __typename: 'Payment', merchantSerialNumber: OTHER_MERCHANT.msn, reference: foreign }] }, 'other');
    expect(theirs.data._entities).toEqual([{ __typename: 'Payment', reference: foreign, state: 'CREATED', amount: { value: 100000 } }]);
  });

  it('resolves 100 payment references with one Redis round trip when warm', async () => {
    const references: string[] = [];
    for (let batch = 0; batch < 5; batch += 1) {
      const created = await Promise.all(Array.from({ length: 20 }, () => createPayment(api, { amount: { value: 1000, currency: 'NOK' }, idempotencyKey: uniqueKey('fed') })));
      references.push(...created.map((c) => c.payment.reference));
    }
    const representations = references.map((reference) => ({ __typename: 'Payment', merchantSerialNumber: '123456', reference }));
    await api.gql(ENTITIES, { representations }); // warm: every payment is in the cache now

    const commands: { name: string; args: number }[] = [];
    const original = api.redis.sendCommand.bind(api.redis);
    const spy = jest.spyOn(api.redis, 'sendCommand').mockImplementation((command, stream) => {
      commands.push({ name: command.name, args: command.args.length });
      return original(command, stream);
    });
    const calls = api.vippsCalls();
    try {
      const result = await api.gql(ENTITIES, { representations });
      expect(result.data._entities.map((p: { reference: string }) => p.reference)).toEqual(references);
    } finally {
      spy.mockRestore();
    }
    const reads = commands.filter((c) => ['get', 'mget', 'hget', 'hgetall', 'hmget'].includes(c.name.toLowerCase()));
    expect(reads).toEqual([{ name: 'mget', args: 100 }]);
    expect(api.vippsCalls()).toBe(calls);
  });

  describe('composed with the example orders subgraph behind a gateway', () => {
    let orders: RunningSubgraph;
    let gateway: RunningGateway;
    let captured: string;
    let created: string;

    beforeAll(async () => {
      captured = await authorizedPayment(api, 49900);
      const capture = await api.gql(`mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { errors { code } } }`, {
        input: { reference: captured, idempotencyKey: uniqueKey('cap'), amount: { value: 20000, currency: 'NOK' } },
      });
      expect(capture.data.capturePayment.errors).toEqual([]);
      created = (await createPayment(api)).payment.reference;
      const foreign = (await createPayment(api, {}, 'other')).payment.reference;
      const demoOrders: Order[] = [
        { id: 'A', customer: 'Kari', items: ['Two tickets'], payment: { merchantSerialNumber: '123456', reference: captured } },
        { id: 'B', customer: 'Ola', items: ['Gift card'], payment: { merchantSerialNumber: '123456', reference: created } },
        { id: 'C', customer: 'Per', items: ['Nothing yet'], payment: null },
        { id: 'D', customer: 'Eve', items: ['Not hers'], payment: { merchantSerialNumber: OTHER_MERCHANT.msn, reference: foreign } },
      ];
      orders = await startOrdersSubgraph(demoOrders);
      gateway = await startGateway({
        subgraphs: [
          { name: 'payments', url: `${api.url}/graphql` },
          { name: 'orders', url: orders.url },
        ],
        schemaAuthorization: 'Bearer dev',
      });
    });
    afterAll(async () => {
      await gateway?.close();
      await orders?.close();
    });

    it('composes with no errors and no hints about our schema', () => {
      const sdl = readFileSync(join(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8');
      const result = composeServices([
        { name: 'payments', typeDefs: parse(sdl), url: `${api.url}/graphql` },
        { name: 'orders', typeDefs: ORDERS_TYPE_DEFS, url: orders.url },
      ]);
      expect(result.errors).toBeUndefined();
      expect((result.hints ?? []).map((h) => `${h.definition.code}: ${h.message}`)).toEqual([]);
      expect(result.supergraphSdl).toContain('join__type(graph: PAYMENTS, key: "merchantSerialNumber reference")');
    });

    const ORDERS = `{ orders { id customer payment { reference state aggregate { captured { value currency } } } } }`;

    async function throughGateway(query: string, authorization: string | null) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query }),
      });
      return (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    }

    it("fetches orders with their payments' state and captured amount, as the caller", async () => {
      const result = await throughGateway(ORDERS, 'Bearer dev');
      expect(result.errors).toBeUndefined();
      expect(result.data.orders).toEqual([
        { id: 'A', customer: 'Kari', payment: { reference: captured, state: 'AUTHORIZED', aggregate: { captured: { value: 20000, currency: 'NOK' } } } },
        { id: 'B', customer: 'Ola', payment: { reference: created, state: 'CREATED', aggregate: { captured: { value: 0, currency: 'NOK' } } } },
        { id: 'C', customer: 'Per', payment: null },
        { id: 'D', customer: 'Eve', payment: null },
      ]);
    });

    it("forwards the caller's Authorization: without one, vipps-graph refuses the payment part", async () => {
      const result = await throughGateway(ORDERS, null);
      expect(result.data?.orders?.[0]?.payment ?? null).toBeNull();
      // vipps-graph answers HTTP 401 to a request without a credential; the gateway reports it.
      expect(result.errors?.[0]?.message).toMatch(/401/);
    });
  });
});
