/** Vipps' webhook event names (docs/vipps.md §11). */
export const EPAYMENT_EVENTS = [
  'epayments.payment.created.v1',
  'epayments.payment.aborted.v1',
  'epayments.payment.expired.v1',
  'epayments.payment.cancelled.v1',
  'epayments.payment.captured.v1',
  'epayments.payment.refunded.v1',
  'epayments.payment.authorized.v1',
  'epayments.payment.terminated.v1',
] as const;

export const RECURRING_EVENTS = [
  'recurring.agreement-activated.v1',
  'recurring.agreement-rejected.v1',
  'recurring.agreement-stopped.v1',
  'recurring.agreement-expired.v1',
  'recurring.charge-reserved.v1',
  'recurring.charge-captured.v1',
  // One "l": Vipps' spelling.
  'recurring.charge-canceled.v1',
  'recurring.charge-failed.v1',
  'recurring.charge-refunded.v1',
  'recurring.charge-creation-failed.v1',
] as const;

/** The events we register for: every ePayment and Recurring event. */
export const WEBHOOK_EVENTS: string[] = [...EPAYMENT_EVENTS, ...RECURRING_EVENTS];

export const WEBHOOK_PATH = '/webhooks/vipps';
