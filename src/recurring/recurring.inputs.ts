import { DateTimeResolver } from 'graphql-scalars';
import { Field, InputType, Int } from 'type-graphql';
import { Currency, MoneyInput } from '../graphql/money.type';
import { CampaignType, ChargeType, IntervalUnit, PricingType, TransactionType } from './recurring.enums';

const MSN = { nullable: true, description: 'Required when the API key serves several merchants.' } as const;
const KEY = { description: 'Your key for this attempt (1–40 of A-Z a-z 0-9 . _ : = + -); a retry must send the same.' } as const;

@InputType()
export class IntervalInput {
  @Field(() => IntervalUnit) unit!: IntervalUnit;
  @Field(() => Int, { description: '1–31.' }) count!: number;
}

@InputType({ description: 'Amounts in minor units of `currency`.' })
export class AgreementPricingInput {
  @Field(() => PricingType, { defaultValue: PricingType.LEGACY }) type!: PricingType;
  @Field(() => Currency) currency!: Currency;
  @Field(() => Int, { nullable: true, description: 'LEGACY: the price per interval, at least 100.' }) amount?: number | null;
  @Field(() => Int, { nullable: true, description: 'VARIABLE: 100–2 000 000.' }) suggestedMaxAmount?: number | null;
}

@InputType({ description: 'Paid when the customer accepts; in the agreement currency.' })
export class InitialChargeInput {
  @Field(() => Int) amount!: number;
  @Field({ description: '1–45 characters.' }) description!: string;
  @Field(() => TransactionType) transactionType!: TransactionType;
  @Field(() => String, { nullable: true, description: 'Becomes the charge id; unique per merchant.' }) orderId?: string | null;
  @Field(() => String, { nullable: true }) externalId?: string | null;
}

@InputType({ description: 'An introductory price (LEGACY pricing only). Which fields are needed depends on the type.' })
export class CampaignInput {
  @Field(() => CampaignType) type!: CampaignType;
  @Field(() => Int) price!: number;
  @Field(() => DateTimeResolver, { nullable: true, description: 'PRICE_CAMPAIGN, FULL_FLEX_CAMPAIGN.' }) end?: Date | null;
  @Field(() => IntervalInput, { nullable: true, description: 'PERIOD_CAMPAIGN.' }) period?: IntervalInput | null;
  @Field(() => IntervalInput, { nullable: true, description: 'FULL_FLEX_CAMPAIGN.' }) interval?: IntervalInput | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'EVENT_CAMPAIGN.' }) eventDate?: Date | null;
  @Field(() => String, { nullable: true, description: 'EVENT_CAMPAIGN.' }) eventText?: string | null;
}

@InputType()
export class CreateAgreementInput {
  @Field(() => String, MSN) merchantSerialNumber?: string | null;
  @Field(KEY) idempotencyKey!: string;
  @Field(() => AgreementPricingInput) pricing!: AgreementPricingInput;
  @Field(() => IntervalInput, { nullable: true, description: 'Required unless pricing is FLEXIBLE.' }) interval?: IntervalInput | null;
  @Field({ description: 'Shown as the agreement title in the app, 1–45 characters.' }) productName!: string;
  @Field(() => String, { nullable: true, description: 'At most 100 characters.' }) productDescription?: string | null;
  @Field({ description: 'Where the customer returns after the app (https or app link).' }) merchantRedirectUrl!: string;
  @Field(() => String, { nullable: true, description: 'Where the customer manages the agreement. Defaults to our own page, /agreements/manage/<signed token>.' })
  merchantAgreementUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'MSISDN, digits only, to prefill the landing page.' }) phoneNumber?: string | null;
  @Field(() => InitialChargeInput, { nullable: true }) initialCharge?: InitialChargeInput | null;
  @Field(() => CampaignInput, { nullable: true }) campaign?: CampaignInput | null;
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => String, { nullable: true, description: 'Two capital letters, e.g. NO.' }) countryCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Profile data to ask for: name address email phoneNumber birthDate.' }) scope?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Allow-listed merchants only.' }) skipLandingPage?: boolean | null;
}

@InputType({ description: 'Give only what changes. Only ACTIVE agreements can be changed.' })
export class UpdateAgreementInput {
  @Field(() => String, MSN) merchantSerialNumber?: string | null;
  @Field() agreementId!: string;
  @Field(KEY) idempotencyKey!: string;
  @Field(() => String, { nullable: true }) productName?: string | null;
  @Field(() => String, { nullable: true }) productDescription?: string | null;
  @Field(() => Int, { nullable: true, description: 'LEGACY only: the new price, in the agreement currency.' }) price?: number | null;
  @Field(() => Int, { nullable: true, description: 'VARIABLE only; the customer is not notified.' }) suggestedMaxAmount?: number | null;
  @Field(() => String, { nullable: true }) merchantAgreementUrl?: string | null;
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => IntervalInput, { nullable: true }) interval?: IntervalInput | null;
}

@InputType()
export class StopAgreementInput {
  @Field(() => String, MSN) merchantSerialNumber?: string | null;
  @Field() agreementId!: string;
  @Field(KEY) idempotencyKey!: string;
}

@InputType()
export class CreateChargeInput {
  @Field(() => String, MSN) merchantSerialNumber?: string | null;
  @Field() agreementId!: string;
  @Field(KEY) idempotencyKey!: string;
  @Field(() => MoneyInput, { description: 'In the agreement currency, at least 100.' }) amount!: MoneyInput;
  @Field({ description: '1–45 characters; shown as "{productName} - {description}".' }) description!: string;
  @Field(() => ChargeType, { defaultValue: ChargeType.RECURRING, description: 'RECURRING or UNSCHEDULED (taken at once, allow-listed merchants).' }) type!: ChargeType;
  @Field(() => TransactionType, { defaultValue: TransactionType.DIRECT_CAPTURE }) transactionType!: TransactionType;
  @Field(() => String, { nullable: true, description: 'RECURRING: YYYY-MM-DD, at least 1 day and at most 2 years ahead.' }) due?: string | null;
  @Field(() => Int, { nullable: true, description: 'RECURRING: 0–14 (Vipps recommends at least 2). UNSCHEDULED: 0 or none.' }) retryDays?: number | null;
  @Field(() => String, { nullable: true, description: 'Becomes the charge id; unique per merchant, 1–50 of A-Z a-z 0-9 -.' }) orderId?: string | null;
  @Field(() => String, { nullable: true }) externalId?: string | null;
}

@InputType()
export class CaptureChargeInput {
  @Field(() => String, MSN) merchantSerialNumber?: string | null;
  @Field() agreementId!: string;
  @Field() chargeId!: string;
  @Field(KEY) idempotencyKey!: string;
  @Field(() => MoneyInput, { nullable: true, description: 'Omit to capture everything still reserved.' }) amount?: MoneyInput | null;
  @Field(() => String, { nullable: true, description: 'Shown to the customer; defaults to the charge description.' }) description?: string | null;
}

@InputType()
export class CancelChargeInput {
  @Field(() => String, MSN) merchantSerialNumber?: string | null;
  @Field() agreementId!: string;
  @Field() chargeId!: string;
  @Field(KEY) idempotencyKey!: string;
}

@InputType()
export class RefundChargeInput {
  @Field(() => String, MSN) merchantSerialNumber?: string | null;
  @Field() agreementId!: string;
  @Field() chargeId!: string;
  @Field(KEY) idempotencyKey!: string;
  @Field(() => MoneyInput, { nullable: true, description: 'Omit to refund everything captured and not yet refunded.' }) amount?: MoneyInput | null;
  @Field(() => String, { nullable: true, description: 'Shown to the customer; defaults to the charge description.' }) description?: string | null;
}
