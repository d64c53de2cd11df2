import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CreatePaymentDocument, PaymentStatusUpdatedDocument, type PaymentStatusUpdatedSubscription, type PaymentStatusUpdatedSubscriptionVariables } from './generated';

/**
 * A typed client of vipps-graph: creates a payment over HTTP, then follows it with the
 * `paymentUpdated` subscription over graphql-ws, authorised by the payment's status token (what
 * a mobile app would hold), until the customer has approved, declined or let it expire.
 *
 *   node dist/examples/client/follow-payment.js [http://localhost:4000/graphql] [API key, default dev]
 *
 * Open the printed redirect URL (the simulator's landing page) and approve to see the update.
 * Variables and results are typed from examples/client/operations.graphql and
 * src/access/status-token.graphql by `npm run codegen`.
 */
async function execute<R, V>(url: string, authorization: string, document: TypedDocumentNode<R, V>, variables: V): Promise<R> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await res.json()) as { data?: R; errors?: { message: string }[] };
  if (!body.data) throw new Error(body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${res.status}`);
  return body.data;
}

async function main(): Promise<void> {
  const [url = 'http://localhost:4000/graphql', key = 'dev'] = process.argv.slice(2);
  const { createPayment } = await execute(url, `Bearer ${key}`, CreatePaymentDocument, {
    input: {
      idempotencyKey: `follow-${Date.now()}`,
      amount: { value: 49900, currency: 'NOK' },
      userFlow: 'WEB_REDIRECT',
      returnUrl: 'https://example.com/return',
      description: 'Two tickets',
    },
  });
  if (!createPayment.payment || !createPayment.statusToken) {
    throw new Error(createPayment.errors.map((e) => `${e.code}: ${e.message}`).join('\n'));
  }
  const { reference, state } = createPayment.payment;
  process.stdout.write(`payment ${reference} is ${state}\napprove it at ${createPayment.redirectUrl}\n`);

  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${createPayment.statusToken}` },
  });
  // A status token runs only the operations shipped for it (src/access/status-token.graphql).
  const variables: PaymentStatusUpdatedSubscriptionVariables = { reference };
  const updates = client.iterate<PaymentStatusUpdatedSubscription>({ query: print(PaymentStatusUpdatedDocument), variables });
  try {
    for await (const update of updates) {
      if (update.errors) throw new Error(update.errors.map((e) => e.message).join('; '));
      const payment = update.data?.paymentUpdated;
      if (!payment) continue;
      process.stdout.write(`${payment.updatedAt} ${payment.state}, authorized ${payment.aggregate.authorized.value} ${payment.aggregate.authorized.currency}, can ${payment.availableActions.join(', ') || 'nothing'}\n`);
      if (payment.state !== 'CREATED') break;
    }
  } finally {
    await client.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
