import { DateTimeResolver } from 'graphql-scalars';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Money } from '../graphql/money.type';
import { globalId, Node } from '../graphql/node.type';
import { PageInfo } from '../graphql/page-info.type';
import { capturable, captureDeadline, refundable } from './charge-rules';
import { ChargeEventType, ChargeStatus, ChargeType, TransactionType } from './recurring.enums';
import type { ChargeRecord } from './recurring-record';

@ObjectType({ simpleResolvers: true, description: 'Money moved so far on a charge.' })
export class ChargeSummary {
  @Field(() => Money) captured!: Money;
  @Field(() => Money) refunded!: Money;
  @Field(() => Money, { description: 'Cancelled, or released from a reservation.' }) cancelled!: Money;
}

@ObjectType({ simpleResolvers: true, description: 'One entry of the charge history Vipps keeps.' })
export class ChargeEvent {
  @Field(() => ChargeEventType) event!: ChargeEventType;
  @Field(() => DateTimeResolver) occurred!: Date;
  @Field(() => Money, { description: 'The amount of this operation, not a running total.' }) amount!: Money;
  @Field(() => String, { nullable: true, description: 'Ours, or one Vipps made (like chr-…-agr_…-ProcessPayment).' }) idempotencyKey!: string | null;
  @Field({ description: 'False for a failed payment attempt.' }) success!: boolean;
}

/** Charge ids Vipps generates start with `chr-`/`chr_`; any other id is the merchant's orderId. */
const GENERATED_ID = /^chr[-_]/;

@Directive('@key(fields: "merchantSerialNumber agreementId chargeId")')
@ObjectType({ simpleResolvers: true, implements: Node, description: 'A Recurring charge, as Vipps reports it.' })
export class Charge extends Node {
  @Field() merchantSerialNumber!: string;
  @Field() agreementId!: string;
  @Field({ description: 'Vipps’ id, or your orderId when you gave one.' }) chargeId!: string;
  @Field(() => String, { nullable: true, description: 'Your order id, when the charge was created with one.' }) orderId!: string | null;
  @Field(() => ChargeStatus) status!: ChargeStatus;
  @Field(() => ChargeType) type!: ChargeType;
  @Field(() => TransactionType) transactionType!: TransactionType;
  @Field(() => Money) amount!: Money;
  @Field({ description: 'Shown in the app as "{productName} - {description}".' }) description!: string;
  @Field(() => DateTimeResolver, { description: 'The day the charge is taken (midnight UTC).' }) due!: Date;
  @Field(() => Int, { description: 'Days Vipps keeps retrying a failed payment after the due date.' }) retryDays!: number;
  @Field(() => ChargeSummary) summary!: ChargeSummary;
  @Field(() => Money, { description: 'Reserved money that can still be captured.' }) capturable!: Money;
  @Field(() => Money, { description: 'Captured money that can still be refunded.' }) refundable!: Money;
  @Field(() => DateTimeResolver, { nullable: true, description: 'Capture before this or the reservation is released.' }) captureDeadline!: Date | null;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => String, { nullable: true }) externalAgreementId!: string | null;
  @Field(() => String, { nullable: true, description: 'Set once money moved.' }) transactionId!: string | null;
  @Field(() => String, { nullable: true, description: 'user_action_required, charge_amount_too_high, non_technical_error or technical_error.' })
  failureReason!: string | null;
  @Field(() => String, { nullable: true }) failureDescription!: string | null;
  @Field(() => [ChargeEvent], { description: 'Oldest first.' }) history!: ChargeEvent[];

  static from(c: ChargeRecord): Charge {
    const money = (value: number) => Money.of(value, c.currency);
    return Object.assign(new Charge(), {
      id: globalId('Charge', c.merchantSerialNumber, c.agreementId, c.chargeId),
      merchantSerialNumber: c.merchantSerialNumber,
      agreementId: c.agreementId,
      chargeId: c.chargeId,
      orderId: GENERATED_ID.test(c.chargeId) ? null : c.chargeId,
      status: c.status as ChargeStatus,
      type: c.type as ChargeType,
      transactionType: c.transactionType as TransactionType,
      amount: money(c.amount),
      description: c.description,
      due: new Date(c.due),
      retryDays: c.retryDays,
      summary: Object.assign(new ChargeSummary(), { captured: money(c.summary.captured), refunded: money(c.summary.refunded), cancelled: money(c.summary.cancelled) }),
      capturable: money(capturable(c)),
      refundable: money(refundable(c)),
      captureDeadline: captureDeadline(c),
      externalId: c.externalId,
      externalAgreementId: c.externalAgreementId,
      transactionId: c.transactionId,
      failureReason: c.failureReason,
      failureDescription: c.failureDescription,
      history: c.history.map((h) =>
        Object.assign(new ChargeEvent(), { event: h.event as ChargeEventType, occurred: new Date(h.occurred), amount: money(h.amount), idempotencyKey: h.idempotencyKey, success: h.success }),
      ),
    });
  }
}

@ObjectType({ simpleResolvers: true })
export class ChargeEdge {
  @Field() cursor!: string;
  @Field(() => Charge) node!: Charge;
}

@ObjectType({ simpleResolvers: true })
export class ChargeConnection {
  @Field(() => [ChargeEdge]) edges!: ChargeEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Charges matching the filter.' }) totalCount!: number;
}
