import type { Order, OrderPaymentType, Receipt } from './api-types';
import { vippsPath as p, type VippsCaller } from './transport';

/**
 * Order Management API v2 (docs/vipps.md §13): receipts shown in the Vipps app. `orderId` is the ePayment
 * `reference` or the Recurring charge id. A receipt can be added once (a second add is 409), and the
 * API takes no Idempotency-Key, so adding is not retried; on doubt, read it back with `getOrder`.
 */
export function createOrderManagementClient(call: VippsCaller) {
  return {
    /** Answers 201 with a bare JSON string (an id). */
    addReceipt: (msn: string, paymentType: OrderPaymentType, orderId: string, receipt: Receipt) =>
      call.request<string>(msn, { method: 'POST', path: p`/order-management/v2/${paymentType}/receipts/${orderId}`, body: receipt }),
    getOrder: (msn: string, paymentType: OrderPaymentType, orderId: string) =>
      call.request<Order>(msn, { method: 'GET', path: p`/order-management/v2/${paymentType}/${orderId}` }),
  };
}

export type OrderManagementClient = ReturnType<typeof createOrderManagementClient>;
