import type { Topic } from '../live/live-updates';
import type { PaymentRecord } from './payment-record';

/** Where a payment's changes are published (after they are stored) and followed. */
export const paymentTopic = (msn: string, reference: string) => `payment:${msn}:${reference}` as Topic<PaymentRecord>;
