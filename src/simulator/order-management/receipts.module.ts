import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { SimContext, SimModule } from '../simulator-context';
import type { Route, SimRequest } from '../http';
import { webhooksProblem } from '../problems';
import { categorySchema, orderIdSchema, paymentTypeSchema, receiptSchema, type Category, type Receipt } from './receipt.schema';

interface OrderRecord {
  category?: Category;
  receipt?: Receipt;
}

/**
 * Order Management v2 receipts and categories (docs/vipps.md §13), per MSN. Like Vipps, it does not
 * check that the order exists. Errors use the Webhooks problem shape, which carries every field
 * the spec's `ErrorResponse` requires.
 */
export function receiptsModule(_ctx: SimContext): SimModule {
  const orders = new Map<string, OrderRecord>();

  const route = (method: Route['method'], path: string, handler: Route['handler']): Route => ({
    method,
    path: `/order-management/v2/:paymentType${path}`,
    auth: 'token',
    api: 'order-management',
    handler,
  });

  /** `paymentType` is ECOM|RECURRING in the spec enum and lowercase in the current docs; both work. */
  function keyOf(req: SimRequest): string {
    const paymentType = parse(paymentTypeSchema, req.params.paymentType, 'paymentType');
    const orderId = parse(orderIdSchema, req.params.orderId, 'orderId');
    return `${req.merchant.msn}|${paymentType}|${orderId}`;
  }

  return {
    routes: [
      route('POST', '/receipts/:orderId', (req) => {
        const key = keyOf(req);
        const receipt = parse(receiptSchema, req.body, 'body');
        const order = orders.get(key) ?? {};
        if (order.receipt) {
          throw webhooksProblem(409, 'Conflict', `A receipt has already been added to order ${req.params.orderId}; receipts cannot be changed.`);
        }
        orders.set(key, { ...order, receipt });
        // The spec's 201 body is a bare JSON string (an id).
        return { status: 201, body: randomUUID() };
      }),
      route('PUT', '/categories/:orderId', (req) => {
        const key = keyOf(req);
        const category = parse(categorySchema, req.body, 'body');
        orders.set(key, { ...orders.get(key), category });
        return { status: 200, body: randomUUID() };
      }),
      route('GET', '/:orderId', (req) => {
        const order = orders.get(keyOf(req));
        if (!order) throw webhooksProblem(404, 'Not Found', `No category or receipt for order ${req.params.orderId}.`);
        return { status: 200, body: { ...(order.category ? { category: order.category } : {}), ...(order.receipt ? { receipt: order.receipt } : {}) } };
      }),
    ],
    reset: () => orders.clear(),
  };
}

function parse<T>(schema: z.ZodType<T, unknown>, value: unknown, what: string): T {
  if (value === undefined && what === 'body') throw webhooksProblem(400, 'Bad Request', 'The request body is required.', 'body: required');
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const reason = result.error.issues.map((i) => `${[what, ...i.path].join('.')}: ${i.message}`).join('; ');
  throw webhooksProblem(400, 'Bad Request', `One or more validation errors occurred. ${reason}`, reason);
}
