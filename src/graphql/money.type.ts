import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Currency as CurrencyCode } from '../common/money';

export enum Currency {
  NOK = 'NOK',
  DKK = 'DKK',
  EUR = 'EUR',
}
registerEnumType(Currency, { name: 'Currency', description: 'NOK (Norway), DKK (Denmark), EUR (Finland).' });

@ObjectType({ simpleResolvers: true, description: 'An amount in minor units: 49900 NOK is 499.00 NOK. Never a float.' })
export class Money {
  @Field(() => Int, { description: 'Minor units (øre, cents).' })
  value!: number;

  @Field(() => Currency)
  currency!: Currency;

  static of(value: number, currency: CurrencyCode): Money {
    return Object.assign(new Money(), { value, currency: currency as Currency });
  }
}

@InputType({ description: 'An amount in minor units: 49900 NOK is 499.00 NOK.' })
export class MoneyInput {
  @Field(() => Int)
  value!: number;

  @Field(() => Currency)
  currency!: Currency;
}
