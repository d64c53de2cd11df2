import { Field, ID, ObjectType } from 'type-graphql';
import { UserError } from '../graphql/user-error.type';
import { MerchantWebhook } from './merchant-webhook.type';

@ObjectType({ simpleResolvers: true })
export class RegisterMerchantWebhookPayload {
  @Field(() => MerchantWebhook, { nullable: true }) webhook!: MerchantWebhook | null;
  @Field(() => String, {
    nullable: true,
    description: 'The signing secret (whsec_…), shown this once: store it now; it is never returned again. Verify deliveries with it (Standard Webhooks).',
  })
  secret!: string | null;
  @Field(() => [UserError]) errors!: UserError[];
}

@ObjectType({ simpleResolvers: true })
export class MerchantWebhookPayload {
  @Field(() => MerchantWebhook, { nullable: true }) webhook!: MerchantWebhook | null;
  @Field(() => [UserError]) errors!: UserError[];
}

@ObjectType({ simpleResolvers: true })
export class DeleteMerchantWebhookPayload {
  @Field(() => ID, { nullable: true, description: 'The id of the endpoint deleted (with its secret and delivery log).' }) deletedId!: string | null;
  @Field(() => [UserError]) errors!: UserError[];
}

@ObjectType({ simpleResolvers: true })
export class RedeliverWebhookPayload {
  @Field(() => ID, { nullable: true, description: 'The delivery queued again; its attempts show in webhookDeliveries.' }) deliveryId!: string | null;
  @Field(() => [UserError]) errors!: UserError[];
}
