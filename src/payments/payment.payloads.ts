import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../graphql/user-error.type';
import { Payment } from './payment.type';

@ObjectType({ simpleResolvers: true })
export class PaymentPayload {
  @Field(() => Payment, { nullable: true }) payment!: Payment | null;
  @Field(() => [UserError]) errors!: UserError[];
}

@ObjectType({ simpleResolvers: true })
export class CreatePaymentPayload {
  @Field(() => Payment, { nullable: true }) payment!: Payment | null;
  @Field(() => String, { nullable: true, description: 'Send the customer here (absent for PUSH_MESSAGE).' })
  redirectUrl!: string | null;
  @Field(() => String, { nullable: true, description: 'Short-lived token to read and follow this one payment (mobile clients, return pages).' })
  statusToken!: string | null;
  @Field(() => [UserError]) errors!: UserError[];
}
