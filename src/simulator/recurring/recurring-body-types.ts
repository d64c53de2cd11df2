import type { BodyTypes } from '../json-coercion';

/**
 * The Recurring request fields read leniently (json-coercion.ts): the interval counts, which
 * Vipps' own Recurring collection sends as strings (`"count": "2"`) where recurring-v3.yaml says
 * integer. Amounts and phone numbers stay strict.
 */
const interval: BodyTypes = { count: 'integer' };

export const DRAFT_AGREEMENT_TYPES: BodyTypes = { interval, campaign: { period: interval, interval } };
