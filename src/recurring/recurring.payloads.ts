import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../graphql/user-error.type';
import { Agreement } from './agreement.type';
import { Charge } from './charge.type';

@ObjectType({ simpleResolvers: true })
export class AgreementPayload {
  @Field(() => Agreement, { nullable: true }) agreement!: Agreement | null;
  @Field(() => [UserError]) errors!: UserError[];
}

@ObjectType({ simpleResolvers: true })
export class CreateAgreementPayload {
  @Field(() => Agreement, { nullable: true }) agreement!: Agreement | null;
  @Field(() => String, { nullable: true, description: 'Send the customer here to accept the agreement.' }) vippsConfirmationUrl!: string | null;
  @Field(() => [UserError]) errors!: UserError[];
}

@ObjectType({ simpleResolvers: true })
export class ChargePayload {
  @Field(() => Charge, { nullable: true }) charge!: Charge | null;
  @Field(() => [UserError]) errors!: UserError[];
}
