import { Field, ID, InputType } from 'type-graphql';
import { MerchantEventType } from '../merchant-events/merchant-event-type.enum';

@InputType()
export class RegisterMerchantWebhookInput {
  @Field(() => String, { nullable: true, description: 'Required when the API key serves several merchants.' })
  merchantSerialNumber?: string | null;
  @Field({ description: 'Where events are POSTed: https, on a public address.' })
  url!: string;
  @Field(() => [MerchantEventType], { description: 'The events to deliver (at least one).' })
  types!: MerchantEventType[];
}

@InputType({ description: 'What to change; what is left out stays as it is.' })
export class UpdateMerchantWebhookInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => [MerchantEventType], { nullable: true }) types?: MerchantEventType[] | null;
  @Field(() => Boolean, { nullable: true, description: 'true turns an endpoint on again, also after a 410.' }) enabled?: boolean | null;
}
