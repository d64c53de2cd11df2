import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../graphql/page-info.type';
import { MerchantEventType } from '../merchant-events/merchant-event-type.enum';
import type { Attempt } from './delivery-log';
import type { WebhookEndpoint } from './webhook-endpoint';

export enum WebhookAttemptOutcome {
  DELIVERED = 'DELIVERED',
  RETRYING = 'RETRYING',
  FAILED = 'FAILED',
  ENDPOINT_GONE = 'ENDPOINT_GONE',
}
registerEnumType(WebhookAttemptOutcome, {
  name: 'WebhookAttemptOutcome',
  description: 'DELIVERED: a 2xx answer. RETRYING: tried again at nextRetryAt. FAILED: no retries left. ENDPOINT_GONE: the receiver answered 410, the endpoint is disabled.',
});

@ObjectType({ simpleResolvers: true, description: "One of a merchant's webhook endpoints. Its signing secret is shown only when it is registered." })
export class MerchantWebhook {
  @Field(() => ID, { description: 'Give it to updateMerchantWebhook, deleteMerchantWebhook and webhookDeliveries.' }) id!: string;
  @Field() merchantSerialNumber!: string;
  @Field() url!: string;
  @Field(() => [MerchantEventType], { description: 'The events delivered to it.' }) types!: MerchantEventType[];
  @Field({ description: 'False: nothing is delivered (turned off, or the receiver answered 410).' }) enabled!: boolean;
  @Field(() => String, { nullable: true, description: 'Why it was disabled, when the receiver answered 410.' }) disabledReason!: string | null;
  @Field(() => DateTimeResolver) createdAt!: Date;
  @Field(() => DateTimeResolver) updatedAt!: Date;

  static from(e: WebhookEndpoint): MerchantWebhook {
    return Object.assign(new MerchantWebhook(), {
      id: e.id,
      merchantSerialNumber: e.msn,
      url: e.url,
      types: e.types as MerchantEventType[],
      enabled: e.enabled,
      disabledReason: e.disabledReason,
      createdAt: new Date(e.createdAt),
      updatedAt: new Date(e.updatedAt),
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'One POST of an event to a webhook endpoint, as the delivery log keeps it (the last 1,000 or so per endpoint).' })
export class WebhookDeliveryAttempt {
  @Field(() => ID, { description: 'The attempt (also its cursor).' }) id!: string;
  @Field(() => ID, { description: 'The event to this endpoint, the same for every attempt: give it to redeliverWebhook.' }) deliveryId!: string;
  @Field({ description: 'The webhook-id header: the merchant event id.' }) eventId!: string;
  @Field(() => MerchantEventType) eventType!: MerchantEventType;
  @Field(() => Int, { description: '1 for the first try, then each retry; a redelivery starts at 1 again.' }) attempt!: number;
  @Field({ description: 'Sent by redeliverWebhook.' }) redelivered!: boolean;
  @Field(() => DateTimeResolver) at!: Date;
  @Field(() => Int) durationMs!: number;
  @Field(() => Int, { nullable: true, description: 'The HTTP status the receiver answered; null when there was no answer.' }) statusCode!: number | null;
  @Field(() => String, { nullable: true, description: 'Why there was no answer: connection refused, timeout, address not allowed…' }) error!: string | null;
  @Field(() => WebhookAttemptOutcome) outcome!: WebhookAttemptOutcome;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the next try is due, while RETRYING.' }) nextRetryAt!: Date | null;

  static from(a: Attempt): WebhookDeliveryAttempt {
    return Object.assign(new WebhookDeliveryAttempt(), { ...a, eventType: a.eventType as MerchantEventType, outcome: a.outcome as WebhookAttemptOutcome });
  }
}

@ObjectType({ simpleResolvers: true })
export class WebhookDeliveryAttemptEdge {
  @Field() cursor!: string;
  @Field(() => WebhookDeliveryAttempt) node!: WebhookDeliveryAttempt;
}

@ObjectType({ simpleResolvers: true, description: "An endpoint's delivery attempts, newest first." })
export class WebhookDeliveryAttemptConnection {
  @Field(() => [WebhookDeliveryAttemptEdge]) edges!: WebhookDeliveryAttemptEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
