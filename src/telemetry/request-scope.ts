import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parseTraceParent } from '@opentelemetry/core';

/**
 * What one request (or one job run) is, for everything that runs on its behalf: its id, which
 * every log line carries (the logger's mixin reads it) and every job it schedules keeps; and what
 * its access-log line says about its GraphQL operation, filled in as the request goes.
 */
export interface RequestScope {
  readonly requestId: string;
  operationName?: string;
  /** Codes of the top-level GraphQL errors the response carried. */
  errorCodes?: string[];
}

const storage = new AsyncLocalStorage<RequestScope>();

export function inRequestScope<T>(scope: RequestScope, run: () => T): T {
  return storage.run(scope, run);
}

export function currentRequest(): RequestScope | undefined {
  return storage.getStore();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Short and printable, so it is safe in a header, a log line and a JSON error. */
const CALLER_REQUEST_ID = /^[\x21-\x7e]{1,64}$/;

/**
 * The id a caller gave: its `x-request-id` when that is short and printable, else the trace id of
 * a valid W3C `traceparent` (so its logs and its trace share an id); else undefined.
 */
export function callerRequestId(headers: IncomingHttpHeaders): string | undefined {
  const given = givenRequestId(headers);
  if (given) return given;
  const traceparent = headers.traceparent;
  return (typeof traceparent === 'string' ? parseTraceParent(traceparent) : null)?.traceId;
}

/** 32 hex digits, the shape of a trace id (a UUID's: Node makes those from a cached pool of randomness). */
export function newRequestId(): string {
  return randomUUID().replaceAll('-', '');
}

/** The caller's `x-request-id` alone, when short and printable (a traced request has the trace id from its span). */
export function givenRequestId(headers: IncomingHttpHeaders): string | undefined {
  const given = headers['x-request-id'];
  return typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : undefined;
}
