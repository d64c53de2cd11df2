import { registerEnumType } from 'type-graphql';
import type { MerchantEventType as MerchantEventTypeName } from './merchant-event';

/**
 * The GraphQL enum of merchant event types, registered once and shared by the `merchantEvents`
 * subscription and the webhook endpoints' `types` (two registrations of one name break the schema).
 */
export enum MerchantEventType {
  PAYMENT_UPDATED = 'PAYMENT_UPDATED',
  AGREEMENT_UPDATED = 'AGREEMENT_UPDATED',
  AGREEMENT_STOPPED = 'AGREEMENT_STOPPED',
  CHARGE_UPDATED = 'CHARGE_UPDATED',
  CHARGE_FAILED = 'CHARGE_FAILED',
  CAPTURE_DEADLINE_APPROACHING = 'CAPTURE_DEADLINE_APPROACHING',
}
registerEnumType(MerchantEventType, {
  name: 'MerchantEventType',
  description: 'What happened: a payment, agreement or charge changed, an agreement stopped, a charge failed, or reserved money nears its capture deadline.',
});

// The enum and the contract's MERCHANT_EVENT_TYPES name the same types (this fails to compile otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameNames: Same<`${MerchantEventType}`, MerchantEventTypeName> = true;
