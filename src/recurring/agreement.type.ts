import { DateTimeResolver } from 'graphql-scalars';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Currency, Money } from '../graphql/money.type';
import { globalId, Node } from '../graphql/node.type';
import { PageInfo } from '../graphql/page-info.type';
import { AgreementStatus, CampaignType, IntervalUnit, PricingType } from './recurring.enums';
import type { AgreementRecord, Period } from './recurring-record';

@ObjectType({ simpleResolvers: true, description: 'How the customer pays. Amounts are in the agreement currency.' })
export class AgreementPricing {
  @Field(() => PricingType) type!: PricingType;
  @Field(() => Currency) currency!: Currency;
  @Field(() => Money, { nullable: true, description: 'LEGACY: the price per interval.' }) amount!: Money | null;
  @Field(() => Money, { nullable: true, description: 'VARIABLE: the maximum you suggested.' }) suggestedMaxAmount!: Money | null;
  @Field(() => Money, { nullable: true, description: 'VARIABLE: the maximum the customer accepted.' }) maxAmount!: Money | null;
}

@ObjectType({ simpleResolvers: true })
export class AgreementInterval {
  @Field(() => IntervalUnit) unit!: IntervalUnit;
  @Field(() => Int) count!: number;
  @Field(() => String, { nullable: true, description: 'As Vipps words it, e.g. "every month".' }) text!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'An introductory price (LEGACY pricing only).' })
export class AgreementCampaign {
  @Field(() => CampaignType) type!: CampaignType;
  @Field(() => Money) price!: Money;
  @Field(() => DateTimeResolver, { nullable: true }) end!: Date | null;
  @Field(() => AgreementInterval, { nullable: true }) period!: AgreementInterval | null;
  @Field(() => AgreementInterval, { nullable: true }) interval!: AgreementInterval | null;
  @Field(() => DateTimeResolver, { nullable: true }) eventDate!: Date | null;
  @Field(() => String, { nullable: true }) eventText!: string | null;
  @Field(() => String, { nullable: true, description: 'How Vipps explains it to the customer.' }) explanation!: string | null;
}

const date = (iso: string | null) => (iso ? new Date(iso) : null);
const interval = (p: (Period & { text?: string | null }) | null) => (p ? Object.assign(new AgreementInterval(), { unit: p.unit, count: p.count, text: p.text ?? null }) : null);

@Directive('@key(fields: "merchantSerialNumber agreementId")')
@ObjectType({ simpleResolvers: true, implements: Node, description: 'A Recurring agreement (a subscription), as Vipps reports it.' })
export class Agreement extends Node {
  @Field() merchantSerialNumber!: string;
  @Field() agreementId!: string;
  @Field(() => String, { nullable: true }) uuid!: string | null;
  @Field(() => AgreementStatus) status!: AgreementStatus;
  @Field({ description: 'The title the customer sees in the app.' }) productName!: string;
  @Field(() => String, { nullable: true }) productDescription!: string | null;
  @Field(() => AgreementPricing) pricing!: AgreementPricing;
  @Field(() => AgreementInterval, { nullable: true, description: 'Absent for pay-per-use (FLEXIBLE) agreements.' }) interval!: AgreementInterval | null;
  @Field(() => AgreementCampaign, { nullable: true }) campaign!: AgreementCampaign | null;
  @Field({ description: 'Where the customer manages and stops the agreement.' }) merchantAgreementUrl!: string;
  @Field({ description: 'Where the customer returns after the app.' }) merchantRedirectUrl!: string;
  @Field(() => String, { nullable: true, description: 'Send the customer here to accept.' }) vippsConfirmationUrl!: string | null;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => String, { nullable: true }) countryCode!: string | null;
  @Field(() => String, { nullable: true, description: 'Profile subject, when profile data was requested.' }) sub!: string | null;
  @Field(() => String, { nullable: true }) userinfoUrl!: string | null;
  @Field(() => DateTimeResolver) created!: Date;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the customer accepted.' }) start!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true }) stop!: Date | null;

  static from(a: AgreementRecord): Agreement {
    const money = (value: number | null) => (value === null ? null : Money.of(value, a.pricing.currency));
    const c = a.campaign;
    return Object.assign(new Agreement(), {
      id: globalId('Agreement', a.merchantSerialNumber, a.agreementId),
      merchantSerialNumber: a.merchantSerialNumber,
      agreementId: a.agreementId,
      uuid: a.uuid,
      status: a.status as AgreementStatus,
      productName: a.productName,
      productDescription: a.productDescription,
      pricing: Object.assign(new AgreementPricing(), {
        type: a.pricing.type as PricingType,
        currency: a.pricing.currency as Currency,
        amount: money(a.pricing.amount),
        suggestedMaxAmount: money(a.pricing.suggestedMaxAmount),
        maxAmount: money(a.pricing.maxAmount),
      }),
      interval: interval(a.interval),
      campaign: c
        ? Object.assign(new AgreementCampaign(), {
            type: c.type as CampaignType,
            price: Money.of(c.price, a.pricing.currency),
            end: date(c.end),
            period: interval(c.period),
            interval: interval(c.interval),
            eventDate: date(c.eventDate),
            eventText: c.eventText,
            explanation: c.explanation,
          })
        : null,
      merchantAgreementUrl: a.merchantAgreementUrl,
      merchantRedirectUrl: a.merchantRedirectUrl,
      vippsConfirmationUrl: a.vippsConfirmationUrl,
      externalId: a.externalId,
      countryCode: a.countryCode,
      sub: a.sub,
      userinfoUrl: a.userinfoUrl,
      created: new Date(a.created),
      start: date(a.start),
      stop: date(a.stop),
    });
  }
}

@ObjectType({ simpleResolvers: true })
export class AgreementEdge {
  @Field() cursor!: string;
  @Field(() => Agreement) node!: Agreement;
}

@ObjectType({ simpleResolvers: true })
export class AgreementConnection {
  @Field(() => [AgreementEdge]) edges!: AgreementEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: "The merchant's agreements in this status." }) totalCount!: number;
}
