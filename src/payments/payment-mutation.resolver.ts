import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { merchantForMutation, requireScope } from '../access/caller';
import { UserFacingError } from '../common/error-code';
import type { PaymentContext } from './payment.context';
import { UserError } from '../graphql/user-error.type';
import type { Receipt } from '../vipps/api-types';
import type { PaymentOutcome } from './payment.service';
import { AddPaymentReceiptInput, CancelPaymentInput, CapturePaymentInput, CreatePaymentInput, ForceApprovePaymentInput, RefundPaymentInput, type ReceiptInput } from './payment.inputs';
import { CreatePaymentPayload, PaymentPayload } from './payment.payloads';
import { Payment } from './payment.type';

/** Thin: pick the merchant, call the payment service, shape the payload. */
@Resolver()
export class PaymentMutationResolver {
  @Mutation(() => CreatePaymentPayload, { description: 'Start a payment. Send the customer to redirectUrl (or wait for the push message).' })
  async createPayment(@Arg('input') input: CreatePaymentInput, @Ctx() ctx: PaymentContext): Promise<CreatePaymentPayload> {
    const outcome = await withMerchant(ctx, input.merchantSerialNumber, (msn, actor) =>
      ctx.services.payments.create(actor, msn, {
        idempotencyKey: input.idempotencyKey,
        amount: input.amount,
        reference: input.reference,
        userFlow: input.userFlow,
        customerPhoneNumber: input.customerPhoneNumber,
        returnUrl: input.returnUrl,
        description: input.description,
        expiresAt: input.expiresAt,
        receipt: input.receipt ? toReceipt(input.receipt) : null,
        customerInteraction: input.customerPresent ? 'CUSTOMER_PRESENT' : 'CUSTOMER_NOT_PRESENT',
        appendStatusToken: input.appendStatusToken ?? false,
        paymentMethod: input.paymentMethod ?? 'WALLET',
        metadata: input.metadata ?? null,
        minimumUserAge: input.minimumUserAge ?? null,
        profileScope: input.profileScope ?? null,
        qrFormat: input.qrFormat ? { format: input.qrFormat.format, size: input.qrFormat.size ?? null } : null,
      }),
    );
    const payload = await paymentPayload(ctx, outcome);
    const ok = outcome.errors.length === 0 && payload.payment;
    return Object.assign(new CreatePaymentPayload(), payload, {
      redirectUrl: payload.payment?.redirectUrl ?? null,
      statusToken: ok && payload.payment ? ctx.services.statusTokens.issue(payload.payment.merchantSerialNumber, payload.payment.reference) : null,
    });
  }

  @Mutation(() => PaymentPayload, { description: 'Capture reserved money: the given amount, or all that is left.' })
  async capturePayment(@Arg('input') input: CapturePaymentInput, @Ctx() ctx: PaymentContext): Promise<PaymentPayload> {
    const outcome = await withMerchant(ctx, input.merchantSerialNumber, (msn, actor) =>
      ctx.services.payments.capture(actor, msn, input.reference, input.amount ?? null, input.idempotencyKey),
    );
    return paymentPayload(ctx, outcome);
  }

  @Mutation(() => PaymentPayload, { description: 'Refund captured money: the given amount, or all that is refundable.' })
  async refundPayment(@Arg('input') input: RefundPaymentInput, @Ctx() ctx: PaymentContext): Promise<PaymentPayload> {
    const outcome = await withMerchant(ctx, input.merchantSerialNumber, (msn, actor) =>
      ctx.services.payments.refund(actor, msn, input.reference, input.amount ?? null, input.idempotencyKey),
    );
    return paymentPayload(ctx, outcome);
  }

  @Mutation(() => PaymentPayload, { description: 'Cancel a payment not yet approved, or release what is left of a reservation.' })
  async cancelPayment(@Arg('input') input: CancelPaymentInput, @Ctx() ctx: PaymentContext): Promise<PaymentPayload> {
    const outcome = await withMerchant(ctx, input.merchantSerialNumber, (msn, actor) =>
      ctx.services.payments.cancel(actor, msn, input.reference, input.onlyIfNotApproved ?? false, input.idempotencyKey),
    );
    return paymentPayload(ctx, outcome);
  }

  @Mutation(() => PaymentPayload, {
    description: "Test only: approve a CREATED payment as the customer would (Vipps' test endpoint). Refused in production.",
  })
  async forceApprovePayment(@Arg('input') input: ForceApprovePaymentInput, @Ctx() ctx: PaymentContext): Promise<PaymentPayload> {
    const outcome = await withMerchant(ctx, input.merchantSerialNumber, (msn, actor) =>
      ctx.services.payments.forceApprove(actor, msn, input.reference, input.phoneNumber ?? null),
    );
    return paymentPayload(ctx, outcome);
  }

  @Mutation(() => PaymentPayload, { description: 'Attach a receipt the customer sees in the app (once per payment).' })
  async addPaymentReceipt(@Arg('input') input: AddPaymentReceiptInput, @Ctx() ctx: PaymentContext): Promise<PaymentPayload> {
    const outcome = await withMerchant(ctx, input.merchantSerialNumber, (msn, actor) =>
      ctx.services.payments.addReceipt(actor, msn, input.reference, toReceipt(input.receipt)),
    );
    return paymentPayload(ctx, outcome);
  }
}

async function withMerchant(ctx: PaymentContext, requested: string | null | undefined, act: (msn: string, actor: string) => Promise<PaymentOutcome>): Promise<PaymentOutcome & { msn?: string }> {
  const caller = requireScope(ctx.caller, 'payments:write');
  let msn: string;
  try {
    msn = merchantForMutation(caller, requested);
  } catch (error) {
    if (error instanceof UserFacingError) return { reference: null, errors: [error.error] };
    throw error;
  }
  return { ...(await act(msn, caller.keyId)), msn };
}

async function paymentPayload(ctx: PaymentContext, outcome: PaymentOutcome & { msn?: string }): Promise<PaymentPayload> {
  const key = outcome.msn && outcome.reference ? { msn: outcome.msn, reference: outcome.reference } : null;
  // A refused or unconfirmed operation keeps its UserError even when the payment cannot be read now.
  const record = key ? await ctx.loaders.payments.payment.load(key).catch((error: unknown) => (outcome.errors.length > 0 ? null : Promise.reject(error))) : null;
  return Object.assign(new PaymentPayload(), {
    payment: record ? Payment.from(record) : null,
    errors: outcome.errors.map((e) => UserError.from(e)),
  });
}

function toReceipt(input: ReceiptInput): Receipt {
  return {
    orderLines: input.orderLines.map((line) => ({
      name: line.name,
      id: line.id,
      totalAmount: line.totalAmount,
      totalAmountExcludingTax: line.totalAmountExcludingTax,
      totalTaxAmount: line.totalTaxAmount,
      ...(line.taxRate != null ? { taxRate: line.taxRate } : {}),
      ...(line.unitPrice != null || line.quantity != null
        ? { unitInfo: { unitPrice: line.unitPrice ?? 0, quantity: line.quantity ?? '1', quantityUnit: 'PCS' as const } }
        : {}),
      ...(line.isShipping != null ? { isShipping: line.isShipping } : {}),
      ...(line.isReturn != null ? { isReturn: line.isReturn } : {}),
    })),
    bottomLine: {
      currency: input.currency,
      ...(input.receiptNumber ? { receiptNumber: input.receiptNumber } : {}),
      ...(input.tipAmount != null ? { tipAmount: input.tipAmount } : {}),
    },
  } as Receipt;
}
