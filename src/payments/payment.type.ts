import { DateTimeResolver } from 'graphql-scalars';
import { Directive, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money } from '../graphql/money.type';
import { globalId, Node } from '../graphql/node.type';
import { PageInfo } from '../graphql/page-info.type';
import type { PaymentEventRecord, PaymentRecord } from './payment-record';
import { availableActions, capturable, captureDeadline, paymentStatus, refundable } from './payment-rules';

export enum PaymentState {
  CREATED = 'CREATED',
  AUTHORIZED = 'AUTHORIZED',
  ABORTED = 'ABORTED',
  EXPIRED = 'EXPIRED',
  TERMINATED = 'TERMINATED',
}
registerEnumType(PaymentState, {
  name: 'PaymentState',
  description: 'Vipps payment state. Captures, refunds and cancels change `aggregate`, not the state.',
});

export enum PaymentStatus {
  CREATED = 'CREATED',
  AUTHORIZED = 'AUTHORIZED',
  PARTIALLY_CAPTURED = 'PARTIALLY_CAPTURED',
  CAPTURED = 'CAPTURED',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
  CANCELLED = 'CANCELLED',
  ABORTED = 'ABORTED',
  EXPIRED = 'EXPIRED',
  TERMINATED = 'TERMINATED',
}
registerEnumType(PaymentStatus, {
  name: 'PaymentStatus',
  description: "The payment's outcome in one word, from `state` and `aggregate`: a cancelled reservation reads CANCELLED, where Vipps' state stays AUTHORIZED.",
});

export enum PaymentAction {
  CAPTURE = 'CAPTURE',
  REFUND = 'REFUND',
  CANCEL = 'CANCEL',
}
registerEnumType(PaymentAction, { name: 'PaymentAction' });

export enum PaymentEventName {
  CREATED = 'CREATED',
  AUTHORIZED = 'AUTHORIZED',
  ABORTED = 'ABORTED',
  EXPIRED = 'EXPIRED',
  TERMINATED = 'TERMINATED',
  CANCELLED = 'CANCELLED',
  CAPTURED = 'CAPTURED',
  REFUNDED = 'REFUNDED',
}
registerEnumType(PaymentEventName, { name: 'PaymentEventName' });

export enum UserFlow {
  WEB_REDIRECT = 'WEB_REDIRECT',
  NATIVE_REDIRECT = 'NATIVE_REDIRECT',
  PUSH_MESSAGE = 'PUSH_MESSAGE',
  QR = 'QR',
}
registerEnumType(UserFlow, { name: 'UserFlow', description: 'How the customer reaches the payment in the app.' });

export enum PaymentMethod {
  WALLET = 'WALLET',
  CARD = 'CARD',
}
registerEnumType(PaymentMethod, {
  name: 'PaymentMethod',
  description: 'WALLET: paid in the Vipps or MobilePay app. CARD: a free-standing card payment on Vipps\' web page (WEB_REDIRECT only, if the merchant may take cards).',
});

export enum ProfileScope {
  NAME = 'name',
  ADDRESS = 'address',
  EMAIL = 'email',
  PHONE_NUMBER = 'phoneNumber',
  BIRTH_DATE = 'birthDate',
  NIN = 'nin',
}
registerEnumType(ProfileScope, { name: 'ProfileScope', description: 'Customer information the customer is asked to share when approving (Vipps Userinfo scopes).' });

@ObjectType({ simpleResolvers: true, description: 'One metadata pair, as given at creation and kept by Vipps.' })
export class MetadataEntry {
  @Field() key!: string;
  @Field() value!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Money moved so far on a payment.' })
export class PaymentAggregate {
  @Field(() => Money) authorized!: Money;
  @Field(() => Money) captured!: Money;
  @Field(() => Money) refunded!: Money;
  @Field(() => Money) cancelled!: Money;
}

@ObjectType({ simpleResolvers: true, description: "One entry of Vipps' event log for a payment." })
export class PaymentEvent {
  @Field(() => PaymentEventName) name!: PaymentEventName;
  @Field(() => Money, { description: 'The amount of this operation, not a running total.' }) amount!: Money;
  @Field(() => DateTimeResolver) timestamp!: Date;
  @Field() pspReference!: string;
  @Field(() => String, { nullable: true }) idempotencyKey!: string | null;
  @Field({ description: 'False for a failed attempt.' }) success!: boolean;

  static from(e: PaymentEventRecord): PaymentEvent {
    return Object.assign(new PaymentEvent(), {
      name: e.name as PaymentEventName,
      amount: Money.of(e.amount.value, e.amount.currency),
      timestamp: new Date(e.timestamp),
      pspReference: e.pspReference,
      idempotencyKey: e.idempotencyKey,
      success: e.success,
    });
  }
}

@ObjectType({ simpleResolvers: true })
export class PaymentEventEdge {
  @Field() cursor!: string;
  @Field(() => PaymentEvent) node!: PaymentEvent;
}

@ObjectType({ simpleResolvers: true })
export class PaymentEventConnection {
  @Field(() => [PaymentEventEdge]) edges!: PaymentEventEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@Directive('@key(fields: "merchantSerialNumber reference")')
@ObjectType({ simpleResolvers: true, implements: Node, description: 'A Vipps ePayment, as Vipps reports it.' })
export class Payment extends Node {
  @Field() merchantSerialNumber!: string;
  @Field({ description: 'The merchant’s reference, unique per merchant.' }) reference!: string;
  @Field(() => String, { nullable: true }) pspReference!: string | null;
  @Field(() => PaymentState) state!: PaymentState;
  @Field(() => PaymentStatus, { description: 'The outcome in one word, for people and frontends (derived from state and aggregate).' })
  status!: PaymentStatus;
  @Field(() => Money) amount!: Money;
  @Field(() => PaymentAggregate) aggregate!: PaymentAggregate;
  @Field(() => Money, { description: 'Reserved money that can still be captured.' }) capturable!: Money;
  @Field(() => Money, { description: 'Captured money that can still be refunded.' }) refundable!: Money;
  @Field(() => [PaymentAction], { description: 'What can be done now, from the Vipps state machine.' }) availableActions!: PaymentAction[];
  @Field(() => DateTimeResolver, { nullable: true, description: 'Capture before this or the reservation is released.' })
  captureDeadline!: Date | null;
  @Field(() => String, { nullable: true, description: 'Where to send the customer (absent for push-message payments).' })
  redirectUrl!: string | null;
  @Field(() => UserFlow, { nullable: true }) userFlow!: UserFlow | null;
  @Field(() => String, { nullable: true, description: 'For a QR payment: the QR image to show, or with qrFormat TEXT_TARGETURL the URL to put in a QR code of your own.' })
  qrCodeUrl!: string | null;
  @Field(() => PaymentMethod, { nullable: true, description: 'As Vipps reports it; null until read from Vipps for payments recorded before this was kept.' })
  paymentMethod!: PaymentMethod | null;
  @Field(() => [MetadataEntry], { description: 'Your metadata, as Vipps keeps it.' }) metadata!: MetadataEntry[];
  @Field(() => String, { nullable: true, description: "The customer's Userinfo id (Vipps' sub), once they approved a payment that asked for profileScope." })
  sub!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => DateTimeResolver) createdAt!: Date;
  @Field(() => DateTimeResolver) updatedAt!: Date;

  static from(p: PaymentRecord, now: Date = new Date()): Payment {
    const money = (value: number) => Money.of(value, p.amount.currency);
    return Object.assign(new Payment(), {
      id: globalId('Payment', p.merchantSerialNumber, p.reference),
      merchantSerialNumber: p.merchantSerialNumber,
      reference: p.reference,
      pspReference: p.pspReference,
      state: p.state as PaymentState,
      status: paymentStatus(p) as PaymentStatus,
      amount: money(p.amount.value),
      aggregate: Object.assign(new PaymentAggregate(), {
        authorized: money(p.aggregate.authorized),
        captured: money(p.aggregate.captured),
        refunded: money(p.aggregate.refunded),
        cancelled: money(p.aggregate.cancelled),
      }),
      capturable: money(capturable(p)),
      refundable: money(refundable(p)),
      availableActions: availableActions(p, now) as PaymentAction[],
      captureDeadline: captureDeadline(p),
      redirectUrl: p.redirectUrl,
      userFlow: p.userFlow as UserFlow | null,
      qrCodeUrl: p.userFlow === 'QR' ? p.redirectUrl : null,
      paymentMethod: (p.paymentMethod ?? null) as PaymentMethod | null,
      sub: p.sub ?? null,
      metadata: Object.entries(p.metadata ?? {}).map(([key, value]) => Object.assign(new MetadataEntry(), { key, value })),
      description: p.description,
      createdAt: new Date(p.createdAt),
      updatedAt: new Date(p.updatedAt),
    });
  }
}

@ObjectType({ simpleResolvers: true })
export class PaymentEdge {
  @Field() cursor!: string;
  @Field(() => Payment) node!: Payment;
}

@ObjectType({ simpleResolvers: true })
export class PaymentConnection {
  @Field(() => [PaymentEdge]) edges!: PaymentEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Payments matching the filter.' }) totalCount!: number;
}
