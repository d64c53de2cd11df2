import { SIMULATOR_MERCHANT, type MerchantConfig } from '../../../src/config/config';
import { startTestSimulator, type TestSimulator } from '../../support/simulator';

const OM = '/order-management/v2';
const OTHER: MerchantConfig = { msn: '654321', clientId: 'other-client', clientSecret: 'other-secret', subscriptionKey: 'other-key' };

// The spec's own example (order-management-v2.yaml, ReceiptExample).
const receipt = {
  orderLines: [
    {
      name: 'socks',
      id: 'line_item_1',
      totalAmount: 1000,
      totalAmountExcludingTax: 800,
      totalTaxAmount: 200,
      taxPercentage: 25,
      unitInfo: { unitPrice: 400, quantity: '2.5', quantityUnit: 'KG' },
      discount: 0,
      productUrl: 'https://example.com/store/socks',
      isReturn: false,
      isShipping: false,
    },
    { name: 'Home Delivery', id: 'delivery', totalAmount: 1000, totalAmountExcludingTax: 800, totalTaxAmount: 200, taxRate: 2500, isShipping: true },
  ],
  bottomLine: {
    currency: 'NOK',
    tipAmount: 0,
    posId: 'pos_122',
    paymentSources: { giftCard: 0, card: 0, voucher: 0, cash: 0 },
    barcode: { format: 'CODE 39', data: 'SC0527013501 ' },
    receiptNumber: '0527013501',
  },
};
const category = { category: 'ORDER_CONFIRMATION', orderDetailsUrl: 'https://shop.example/orders/1', imageId: 'socks-orange-123' };

let t: TestSimulator;

beforeAll(async () => {
  t = await startTestSimulator([SIMULATOR_MERCHANT, OTHER]);
});
afterAll(async () => {
  await t.close();
});

describe('Order Management receipts', () => {
  test('add a receipt and a category, then read both back', async () => {
    const added = await t.call('POST', `${OM}/ecom/receipts/acme-shop-123-order1`, { body: receipt });
    expect(added.status).toBe(201);
    expect(typeof added.body).toBe('string');

    const put = await t.call('PUT', `${OM}/ECOM/categories/acme-shop-123-order1`, { body: category });
    expect(put.status).toBe(200);

    const order = await t.call('GET', `${OM}/Ecom/acme-shop-123-order1`);
    expect(order.status).toBe(200);
    expect(order.body).toEqual({ category, receipt });
  });

  test('a second receipt for the same order is a conflict and changes nothing', async () => {
    expect((await t.call('POST', `${OM}/recurring/receipts/chr-123`, { body: receipt })).status).toBe(201);
    const changed = { ...receipt, bottomLine: { currency: 'EUR' } };
    const again = await t.call('POST', `${OM}/recurring/receipts/chr-123`, { body: changed });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, title: 'Conflict', detail: expect.any(String), instance: expect.any(String) });
    expect((await t.call('GET', `${OM}/recurring/chr-123`)).body.receipt.bottomLine.currency).toBe('NOK');
  });

  test('the last category wins; a category alone is an order', async () => {
    await t.call('PUT', `${OM}/ecom/categories/cat.only_1`, { body: category });
    const latest = { category: 'TICKET', orderDetailsUrl: 'https://shop.example/tickets/1' };
    expect((await t.call('PUT', `${OM}/ecom/categories/cat.only_1`, { body: latest })).status).toBe(200);
    expect((await t.call('GET', `${OM}/ecom/cat.only_1`)).body).toEqual({ category: latest });
  });

  test('orders are per payment type and per MSN; unknown orders are 404', async () => {
    await t.call('POST', `${OM}/ecom/receipts/scoped-1`, { body: receipt });
    expect((await t.call('GET', `${OM}/recurring/scoped-1`)).status).toBe(404);
    const other = await t.call('GET', `${OM}/ecom/scoped-1`, { merchant: OTHER });
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ status: 404, title: 'Not Found' });
    expect((await t.call('POST', `${OM}/ecom/receipts/scoped-1`, { body: receipt, merchant: OTHER })).status).toBe(201);
  });

  test.each([
    ['no body', undefined],
    ['no order lines', { ...receipt, orderLines: [] }],
    ['no bottom line currency', { ...receipt, bottomLine: { tipAmount: 0 } }],
    ['an unsupported currency', { ...receipt, bottomLine: { currency: 'SEK' } }],
    ['a decimal amount', { ...receipt, orderLines: [{ ...receipt.orderLines[0], totalAmount: 10.5 }] }],
    ['a line without tax rate or percentage', { ...receipt, orderLines: [{ name: 'x', id: '1', totalAmount: 1, totalAmountExcludingTax: 1, totalTaxAmount: 0 }] }],
    ['a malformed quantity', { ...receipt, orderLines: [{ ...receipt.orderLines[0], unitInfo: { unitPrice: 1, quantity: '1,5' } }] }],
  ])('rejects a receipt with %s', async (_name, body) => {
    const res = await t.call('POST', `${OM}/ecom/receipts/bad-receipt-1`, { body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, title: 'Bad Request', detail: expect.any(String), instance: expect.any(String) });
    expect((await t.call('GET', `${OM}/ecom/bad-receipt-1`)).status).toBe(404);
  });

  test.each([
    ['an unknown category', { category: 'INVOICE', orderDetailsUrl: 'https://shop.example' }],
    ['a missing url', { category: 'GENERAL' }],
    ['a bad image id', { ...category, imageId: 'no spaces' }],
  ])('rejects a category with %s', async (_name, body) => {
    expect((await t.call('PUT', `${OM}/ecom/categories/bad-category-1`, { body })).status).toBe(400);
  });

  test('rejects an unknown payment type and a malformed order id', async () => {
    expect((await t.call('POST', `${OM}/vipps/receipts/order-1`, { body: receipt })).status).toBe(400);
    expect((await t.call('POST', `${OM}/ecom/receipts/order%201`, { body: receipt })).status).toBe(400);
    expect((await t.call('GET', `${OM}/ecom/order%2F1`)).status).toBe(400);
  });

  test('requires a token', async () => {
    expect((await t.call('GET', `${OM}/ecom/order-1`, { anonymous: true })).status).toBe(401);
  });
});
