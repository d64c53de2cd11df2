import { DateTimeResolver } from 'graphql-scalars';
import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Currency, MoneyInput } from '../graphql/money.type';
import { PaymentMethod, ProfileScope, UserFlow } from './payment.type';

@InputType({ description: 'One line of an Order Management receipt. Amounts in minor units.' })
export class ReceiptLineInput {
  @Field() name!: string;
  @Field({ description: 'Your product or line id.' }) id!: string;
  @Field(() => Int) totalAmount!: number;
  @Field(() => Int) totalAmountExcludingTax!: number;
  @Field(() => Int) totalTaxAmount!: number;
  @Field(() => Int, { nullable: true, description: 'Tax rate in hundredths of a percent: 2500 = 25%.' }) taxRate?: number;
  @Field(() => Int, { nullable: true }) unitPrice?: number;
  @Field({ nullable: true, description: 'Quantity as text, e.g. "2" or "1.5".' }) quantity?: string;
  @Field({ nullable: true }) isShipping?: boolean;
  @Field({ nullable: true }) isReturn?: boolean;
}

@InputType({ description: 'A receipt shown to the customer in the app (Order Management).' })
export class ReceiptInput {
  @Field(() => [ReceiptLineInput]) orderLines!: ReceiptLineInput[];
  @Field(() => Currency) currency!: Currency;
  @Field({ nullable: true }) receiptNumber?: string;
  @Field(() => Int, { nullable: true }) tipAmount?: number;
}

@InputType({ description: 'One metadata pair: Vipps keeps at most 5, keys 1–100 characters (unique), values up to 500.' })
export class MetadataEntryInput {
  @Field() key!: string;
  @Field() value!: string;
}

export enum QrImageFormat {
  IMAGE_SVG = 'IMAGE/SVG+XML',
  IMAGE_PNG = 'IMAGE/PNG',
  TEXT_TARGETURL = 'TEXT/TARGETURL',
}
registerEnumType(QrImageFormat, { name: 'QrImageFormat', description: 'What the QR flow returns: an SVG image (Vipps\' default), a PNG, or the URL to put in a QR code of your own.' });

@InputType({ description: 'The QR flow\'s image (userFlow QR only).' })
export class QrFormatInput {
  @Field(() => QrImageFormat) format!: QrImageFormat;
  @Field(() => Int, { nullable: true, description: 'Pixels, 100–2000; IMAGE_PNG only (Vipps\' default 1024).' }) size?: number | null;
}

@InputType()
export class CreatePaymentInput {
  @Field(() => String, { nullable: true, description: 'Required when the API key serves several merchants.' })
  merchantSerialNumber?: string | null;
  @Field({ description: 'Your key for this attempt (1–40 of A-Z a-z 0-9 . _ : = + -); a retry must send the same.' })
  idempotencyKey!: string;
  @Field(() => MoneyInput) amount!: MoneyInput;
  @Field(() => String, { nullable: true, description: 'Unique per merchant, 8–64 of A-Z a-z 0-9 -. Generated from the idempotency key when absent.' })
  reference?: string | null;
  @Field(() => UserFlow) userFlow!: UserFlow;
  @Field(() => String, { nullable: true, description: 'MSISDN, digits only: 4791234567. Required for PUSH_MESSAGE.' })
  customerPhoneNumber?: string | null;
  @Field(() => String, { nullable: true, description: 'Where the customer returns after the app (https or app link).' })
  returnUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'Shown to the customer, 3–100 characters.' })
  description?: string | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'Long-living payment (PUSH_MESSAGE or QR): more than 10 minutes and at most 60 days ahead; needs a receipt.' })
  expiresAt?: Date | null;
  @Field(() => ReceiptInput, { nullable: true })
  receipt?: ReceiptInput | null;
  @Field({ nullable: true, defaultValue: false, description: 'The customer is at a physical point of sale.' })
  customerPresent?: boolean;
  @Field({
    nullable: true,
    defaultValue: false,
    description:
      'Add reference and statusToken as query parameters to returnUrl, so your return page can read this payment with no session (Vipps may open it in any browser). The token reads this one payment and lives 1 hour, or until 1 hour after expiresAt.',
  })
  appendStatusToken?: boolean;
  @Field(() => PaymentMethod, { nullable: true, defaultValue: PaymentMethod.WALLET, description: 'CARD only with WEB_REDIRECT, and only when Vipps lets the merchant take cards.' })
  paymentMethod?: PaymentMethod | null;
  @Field(() => [MetadataEntryInput], { nullable: true, description: 'Up to 5 key-value pairs Vipps keeps with the payment (not shown to the customer).' })
  metadata?: MetadataEntryInput[] | null;
  @Field(() => Int, { nullable: true, description: 'Only customers at least this old (years, 1–120) can approve; Vipps refuses the others.' })
  minimumUserAge?: number | null;
  @Field(() => QrFormatInput, { nullable: true, description: 'The QR code returned as qrCodeUrl (userFlow QR only; default SVG).' })
  qrFormat?: QrFormatInput | null;
  @Field(() => [ProfileScope], { nullable: true, description: 'Ask the customer to share this information when approving; the payment then carries their sub for Vipps Userinfo.' })
  profileScope?: ProfileScope[] | null;
}

@InputType()
export class CapturePaymentInput {
  @Field(() => String, { nullable: true }) merchantSerialNumber?: string | null;
  @Field() reference!: string;
  @Field() idempotencyKey!: string;
  @Field(() => MoneyInput, { nullable: true, description: 'Omit to capture everything that is left.' })
  amount?: MoneyInput | null;
}

@InputType()
export class RefundPaymentInput {
  @Field(() => String, { nullable: true }) merchantSerialNumber?: string | null;
  @Field() reference!: string;
  @Field() idempotencyKey!: string;
  @Field(() => MoneyInput, { nullable: true, description: 'Omit to refund everything captured and not yet refunded.' })
  amount?: MoneyInput | null;
}

@InputType()
export class CancelPaymentInput {
  @Field(() => String, { nullable: true }) merchantSerialNumber?: string | null;
  @Field() reference!: string;
  @Field() idempotencyKey!: string;
  @Field({ nullable: true, defaultValue: false, description: 'Cancel only if the customer has not approved yet (Vipps cancelTransactionOnly).' })
  onlyIfNotApproved?: boolean;
}

@InputType()
export class AddPaymentReceiptInput {
  @Field(() => String, { nullable: true }) merchantSerialNumber?: string | null;
  @Field() reference!: string;
  @Field(() => ReceiptInput) receipt!: ReceiptInput;
}

@InputType({ description: 'Approve a payment as the test customer would (simulator and Vipps test environment only).' })
export class ForceApprovePaymentInput {
  @Field(() => String, { nullable: true }) merchantSerialNumber?: string | null;
  @Field() reference!: string;
  @Field(() => String, { nullable: true, description: "The test user's phone number (MSISDN, digits only). Without it, the payment's own landing-page token approves it." })
  phoneNumber?: string | null;
}
