import { z } from 'zod';

/**
 * Request bodies of Order Management v2 (`order-management-v2.yaml`, docs/vipps.md §13). Unknown
 * properties are dropped rather than rejected, as the spec does not forbid them.
 */
const ORDER_ID = /^[0-9A-Za-z-_.]+$/;
const int = z.number().int();

export const orderIdSchema = z.string().regex(ORDER_ID, 'must match ^[0-9A-Za-z-_\\.]+$');
export const paymentTypeSchema = z
  .string()
  .transform((value) => value.toUpperCase())
  .pipe(z.enum(['ECOM', 'RECURRING']));

const unitInfoSchema = z.object({
  unitPrice: int.min(0).nullable(),
  quantity: z.string().max(10).regex(/^\d+(\.\d{1,8})?$/, 'must be an integer or a decimal with up to 8 decimals'),
  quantityUnit: z.enum(['PCS', 'KG', 'KM', 'MINUTE', 'LITRE', 'KWH']).nullable().optional(),
});

const orderLineSchema = z
  .object({
    name: z.string(),
    id: z.string(),
    totalAmount: int,
    totalAmountExcludingTax: int,
    totalTaxAmount: int,
    taxPercentage: int.min(0).max(100).nullable().optional(),
    taxRate: int.min(0).max(10000).nullable().optional(),
    unitInfo: unitInfoSchema.optional(),
    discount: int.min(0).nullable().optional(),
    productUrl: z.string().nullable().optional(),
    isReturn: z.boolean().nullable().optional(),
    isShipping: z.boolean().nullable().optional(),
  })
  .refine((line) => line.taxRate != null || line.taxPercentage != null, { message: 'either taxRate or taxPercentage must be set' });

const nonNegative = int.min(0).nullable().optional();
const bottomLineSchema = z.object({
  currency: z.enum(['NOK', 'DKK', 'EUR']),
  tipAmount: nonNegative,
  giftCardAmount: nonNegative,
  posId: z.string().nullable().optional(),
  totalAmount: int.nullable().optional(),
  totalTax: nonNegative,
  totalDiscount: nonNegative,
  shippingAmount: nonNegative,
  shippingInfo: z
    .object({ amount: nonNegative, amountExcludingTax: nonNegative, taxAmount: nonNegative, taxPercentage: int.min(0).max(100).nullable().optional() })
    .optional(),
  paymentSources: z
    .object({ giftCard: int.nullable().optional(), card: int.nullable().optional(), voucher: int.nullable().optional(), cash: int.nullable().optional() })
    .optional(),
  barcode: z.object({ format: z.enum(['EAN-13', 'CODE 39', 'CODE 128']).nullable(), data: z.string().nullable() }).optional(),
  receiptNumber: z.string().nullable().optional(),
  terminalId: z.string().nullable().optional(),
});

export const receiptSchema = z.object({
  orderLines: z.array(orderLineSchema).min(1),
  bottomLine: bottomLineSchema,
});

export const categorySchema = z.object({
  category: z.enum(['GENERAL', 'RECEIPT', 'ORDER_CONFIRMATION', 'DELIVERY', 'TICKET', 'BOOKING']),
  orderDetailsUrl: z.url(),
  imageId: z.string().min(1).max(128).regex(ORDER_ID).nullable().optional(),
});

export type Receipt = z.infer<typeof receiptSchema>;
export type Category = z.infer<typeof categorySchema>;
