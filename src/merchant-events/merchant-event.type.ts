import { DateTimeResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { Money } from '../graphql/money.type';
import { PageInfo } from '../graphql/page-info.type';
import { Payment } from '../payments/payment.type';
import { Agreement } from '../recurring/agreement.type';
import { Charge } from '../recurring/charge.type';
import type { MerchantEvent as MerchantEventRecord } from './merchant-event';
import { MerchantEventType } from './merchant-event-type.enum';

@ObjectType({ simpleResolvers: true, description: 'Money still reserved and not captured, and when the reservation ends.' })
export class CaptureWarning {
  @Field(() => Money, { description: 'What is left to capture now.' }) capturable!: Money;
  @Field(() => DateTimeResolver, { description: 'Capture before this or the reservation is released.' }) deadline!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'Something a merchant needs to hear about, with the payment, agreement or charge as it now stands.' })
export class MerchantEvent {
  @Field({ description: 'Unique per event and the same whenever that event is delivered again: deduplicate by it.' }) id!: string;
  @Field(() => MerchantEventType) type!: MerchantEventType;
  @Field(() => DateTimeResolver) occurredAt!: Date;
  @Field() merchantSerialNumber!: string;
  @Field(() => Payment, { nullable: true }) payment!: Payment | null;
  @Field(() => Agreement, { nullable: true }) agreement!: Agreement | null;
  @Field(() => Charge, { nullable: true }) charge!: Charge | null;
  @Field(() => CaptureWarning, { nullable: true, description: 'With CAPTURE_DEADLINE_APPROACHING.' }) captureWarning!: CaptureWarning | null;

  static from(e: MerchantEventRecord): MerchantEvent {
    const w = e.captureWarning;
    return Object.assign(new MerchantEvent(), {
      id: e.id,
      type: e.type as MerchantEventType,
      occurredAt: new Date(e.occurredAt),
      merchantSerialNumber: e.merchantSerialNumber,
      payment: e.payment ? Payment.from(e.payment) : null,
      agreement: e.agreement ? Agreement.from(e.agreement) : null,
      charge: e.charge ? Charge.from(e.charge) : null,
      captureWarning: w ? Object.assign(new CaptureWarning(), { capturable: Money.of(w.capturable.value, w.capturable.currency), deadline: new Date(w.deadline) }) : null,
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'An authorized payment or reserved charge with money left to capture.' })
export class ExpiringReservation {
  @Field(() => DateTimeResolver, { description: 'Capture before this or the reservation is released.' }) captureDeadline!: Date;
  @Field(() => Money, { description: 'What is left to capture.' }) capturable!: Money;
  @Field(() => Payment, { nullable: true }) payment!: Payment | null;
  @Field(() => Charge, { nullable: true }) charge!: Charge | null;
}

@ObjectType({ simpleResolvers: true })
export class ExpiringReservationEdge {
  @Field() cursor!: string;
  @Field(() => ExpiringReservation) node!: ExpiringReservation;
}

@ObjectType({ simpleResolvers: true })
export class ExpiringReservationConnection {
  @Field(() => [ExpiringReservationEdge]) edges!: ExpiringReservationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Reservations in the range, as the index has them (one captured meanwhile may still count).' }) totalCount!: number;
}
