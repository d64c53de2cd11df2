import { TRUSTED_DOCUMENTS } from '../../src/access/trusted-documents.generated';

/** The operations a status token may run (src/access/status-token.graphql), as clients send them. */
function trusted(operation: string): string {
  const text = Object.values(TRUSTED_DOCUMENTS).find((t) => t.includes(` ${operation}(`));
  if (!text) throw new Error(`no trusted document ${operation}`);
  return text;
}

export const PAYMENT_STATUS = trusted('PaymentStatus');
export const PAYMENT_STATUS_UPDATED = trusted('PaymentStatusUpdated');
