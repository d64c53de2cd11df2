import type { BodyTypes } from '../json-coercion';

/**
 * The ePayment request fields read leniently (json-coercion.ts): those Vipps' own ePayment
 * collection sends as JSON numbers where epayment-v1.yml says string. Amounts stay strict.
 */
const customer: BodyTypes = { phoneNumber: 'string' };

export const CREATE_PAYMENT_TYPES: BodyTypes = { customer, reference: 'string' };
export const FORCE_APPROVE_TYPES: BodyTypes = { customer };
