import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_REQUEST_RESEND_COUNT, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import { activeTracer } from '../telemetry/tracing';
import { VippsError, type VippsApi } from './errors';

/** Not yet stable in the semantic conventions package (its `incubating` entry point). */
const ATTR_URL_TEMPLATE = 'url.template';

export interface VippsCallName {
  api: VippsApi;
  method: string;
  /** The endpoint template (`vippsPath`'s `endpoint`): never a reference or an id. */
  endpoint: string;
}

/**
 * One client span per Vipps call, retries included (`http.request.resend_count`), active while the
 * call runs so the token cache's Redis reads are its children. It carries the endpoint template,
 * the final status and, when Vipps answered with a problem, the `traceId` and `instance` its
 * support asks for. Never headers, bodies, tokens or the concrete path.
 */
export async function inVippsSpan<R extends { status: number }>(call: VippsCallName, send: (span: Span | undefined) => Promise<R>): Promise<R> {
  const tracer = activeTracer();
  if (!tracer) return send(undefined);
  const attributes = { [ATTR_HTTP_REQUEST_METHOD]: call.method, [ATTR_URL_TEMPLATE]: call.endpoint, 'vipps.api': call.api };
  return tracer.startActiveSpan(`${call.method} ${call.endpoint}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      const response = await send(span);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
      return response;
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Before a retry: how many times the call has been sent again so far. */
export function noteResend(span: Span | undefined, resends: number): void {
  span?.setAttribute(ATTR_HTTP_REQUEST_RESEND_COUNT, resends);
}

function failed(span: Span, error: unknown): void {
  if (error instanceof VippsError) {
    if (error.status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, error.status);
    if (error.traceId) span.setAttribute('vipps.trace_id', error.traceId);
    if (error.instance) span.setAttribute('vipps.instance', error.instance);
    if (error.code) span.setAttribute('vipps.error_code', error.code);
    if (error.problem) span.setAttribute('vipps.problem', error.problem);
  }
  // The class says what went wrong (VippsNotFoundError, VippsConnectionError); its message may quote Vipps' detail.
  span.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : 'thrown');
  span.setStatus({ code: SpanStatusCode.ERROR });
}
