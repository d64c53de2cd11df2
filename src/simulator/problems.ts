import { randomUUID } from 'node:crypto';
import type { SimResponse } from './http';

/**
 * Error bodies in the shapes Vipps uses (docs/vipps.md §5): ePayment and Webhooks problems with
 * `traceId` and `extraDetails[{name, reason}]`, Recurring `ErrorV3` with a problem identifier,
 * and the API gateway's non-problem body for 401/429.
 */
export class SimProblem extends Error {
  constructor(readonly response: SimResponse) {
    super(`simulated ${response.status}`);
  }
}

const PROBLEM = { 'content-type': 'application/problem+json' };

export function epaymentProblem(
  status: number,
  title: string,
  detail: string,
  code?: string,
  extraDetails: { name: string; reason: string }[] = [],
): SimProblem {
  const details = code ? [{ name: 'ErrorCode', reason: code }, ...extraDetails] : extraDetails;
  return new SimProblem({
    status,
    headers: PROBLEM,
    body: {
      type: `https://developer.vippsmobilepay.com/docs/APIs/epayment-api/api-guide/errors#${code ?? status}`,
      title,
      detail,
      status,
      instance: `/epayment/v1/problems/${randomUUID()}`,
      traceId: randomUUID().replaceAll('-', ''),
      extraDetails: details.length > 0 ? details : null,
    },
  });
}

/** A field validation failure: ePayment names the field and rule instead of a numeric code. */
export function epaymentValidation(field: string, reason: string): SimProblem {
  return epaymentProblem(400, 'Bad Request', `One or more validation errors occurred. ${field}: ${reason}`, undefined, [
    { name: field, reason },
  ]);
}

export function recurringProblem(
  status: number,
  identifier: string,
  title: string,
  detail: string,
  extraDetails?: { field: string; text: string }[],
): SimProblem {
  return new SimProblem({
    status,
    headers: PROBLEM,
    body: {
      type: `https://developer.vippsmobilepay.com/docs/APIs/recurring-api/recurring-api-problems#${identifier}`,
      title,
      status,
      detail,
      instance: `/recurring/v3/problems/${randomUUID()}`,
      contextId: randomUUID(),
      ...(extraDetails ? { extraDetails } : {}),
    },
  });
}

export function webhooksProblem(status: number, title: string, detail: string, reason?: string): SimProblem {
  return new SimProblem({
    status,
    headers: PROBLEM,
    body: {
      type: `https://developer.vippsmobilepay.com/docs/APIs/webhooks-api/errors#${status}`,
      title,
      status,
      detail,
      instance: `/webhooks/v1/problems/${randomUUID()}`,
      traceId: randomUUID().replaceAll('-', ''),
      extraDetails: reason ? [{ name: 'Reason', reason }] : null,
    },
  });
}

/** What the Azure API gateway answers before a request reaches the API (docs/vipps.md §5). */
export function gatewayProblem(status: 401 | 403 | 429, message: string, retryAfterSeconds?: number): SimProblem {
  return new SimProblem({
    status,
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    body: { statusCode: status, message },
  });
}
