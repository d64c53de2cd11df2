import { context, propagation, SpanKind, SpanStatusCode, type Link } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { DelayedError, type Job } from 'bullmq';
import { currentRequestId, inRequestScope } from './request-scope';
import { activeTracer } from './tracing';

/**
 * Where a job came from, kept in its data: the W3C `traceparent` of the operation that scheduled
 * it, which the job's span links to, and that request's id, which every log line of the job
 * carries. Ids only: nothing here is a secret. A job added again under the same id (a no-op)
 * keeps the origin of its first add.
 */
export interface JobOrigin {
  traceparent?: string;
  requestId?: string;
}

/** The current request's id and trace context, for a job it schedules. */
export function jobOrigin(): JobOrigin {
  const origin: JobOrigin = {};
  const requestId = currentRequestId();
  if (requestId) origin.requestId = requestId;
  if (activeTracer()) {
    const carrier: { traceparent?: string } = {};
    propagation.inject(context.active(), carrier);
    if (carrier.traceparent) origin.traceparent = carrier.traceparent;
  }
  return origin;
}

/** Not yet stable in the semantic conventions package (its `incubating` entry point). */
const ATTR_MESSAGING_SYSTEM = 'messaging.system';
const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';

/**
 * Runs one job: in its request's scope (its log lines carry the request id), and, with tracing
 * on, in a consumer span of a trace of its own that links to the trace that scheduled it (a link,
 * not a parent: the job runs seconds or days later, often more than once).
 */
export async function inJobSpan<D extends JobOrigin, R>(queue: string, job: Job<D>, run: () => Promise<R>): Promise<R> {
  const { requestId, traceparent } = job.data;
  const scoped = requestId ? () => inRequestScope({ requestId }, run) : run;
  const tracer = activeTracer();
  if (!tracer) return scoped();
  const origin = traceparent ? parseTraceParent(traceparent) : null;
  const links: Link[] = origin ? [{ context: origin }] : [];
  const attributes = {
    [ATTR_MESSAGING_SYSTEM]: 'bullmq',
    [ATTR_MESSAGING_DESTINATION_NAME]: queue,
    [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
    ...(job.id ? { [ATTR_MESSAGING_MESSAGE_ID]: job.id } : {}),
    'bullmq.job.attempt': job.attemptsMade + 1,
  };
  return tracer.startActiveSpan(`process ${queue}`, { kind: SpanKind.CONSUMER, root: true, links, attributes }, async (span) => {
    try {
      const result = await scoped();
      if (typeof result === 'string') span.setAttribute('bullmq.job.result', result);
      return result;
    } catch (error) {
      // A poll moving itself back to the delayed set is how it waits, not a failure.
      if (error instanceof DelayedError) span.setAttribute('bullmq.job.result', 'delayed');
      else {
        span.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : 'thrown');
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      throw error;
    } finally {
      span.end();
    }
  });
}
