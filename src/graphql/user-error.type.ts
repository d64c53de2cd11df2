import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ErrorCode, type UserErrorData } from '../common/error-code';

registerEnumType(ErrorCode, { name: 'ErrorCode', description: 'What went wrong, for programs to branch on.' });

@ObjectType({ simpleResolvers: true, description: 'A business outcome that stopped the operation: nothing was changed.' })
export class UserError {
  @Field(() => ErrorCode)
  code!: ErrorCode;

  @Field({ description: 'A sentence a shop employee understands.' })
  message!: string;

  @Field(() => [String], { nullable: true, description: 'Path of the input field at fault, e.g. ["input", "amount"].' })
  field?: string[];

  @Field({ nullable: true, description: "Vipps' own error code, when Vipps refused the request." })
  vippsErrorCode?: string;

  @Field({ nullable: true, description: "Vipps' trace id, to quote to Vipps support." })
  traceId?: string;

  static from(data: UserErrorData): UserError {
    return Object.assign(new UserError(), data);
  }
}
