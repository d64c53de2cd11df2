import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import { AGREEMENT_PAGE_PREFIX } from '../agreement-page/agreement-page.route';
import { IDE_ASSETS_PREFIX } from '../ide/ide.assets';
import type { Logger } from '../log/logger';
import { callerRequestId, givenRequestId, inRequestScope, newRequestId, type RequestScope } from '../telemetry/request-scope';
import { activeTracer } from '../telemetry/tracing';
import { WEBHOOK_PATH } from '../webhooks/webhook-events';

/** Probes come every few seconds from the orchestrator: debug lines, no spans. */
const PROBES = new Set(['/healthz', '/readyz']);
const ROUTES = new Set(['/graphql', WEBHOOK_PATH, ...PROBES]);

/**
 * Everything an HTTP request gets besides its answer: a request id (the caller's, or a new one)
 * in its scope and in the `x-request-id` response header; a server span when tracing is on (a
 * child of the caller's `traceparent`); and one access-log line when it ends, at info. `handle`
 * answers the request and never rejects; `route` is `routeOf(path)`, worked out once by the caller.
 */
export function observeRequest(req: IncomingMessage, res: ServerResponse, log: Logger, path: string, route: string | undefined, handle: () => Promise<void>): void {
  const started = process.hrtime.bigint();
  const probe = PROBES.has(path);
  const tracer = probe ? null : activeTracer();
  let span: Span | undefined;
  let spanContext = ROOT_CONTEXT;
  if (tracer) {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const attributes = { [ATTR_HTTP_REQUEST_METHOD]: req.method, ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}) };
    // Named by route, never by a raw path: scanners' paths would each make a new span name.
    // GraphQL's plugin renames it after the operation (src/telemetry/graphql-operations.ts).
    span = tracer.startSpan(route ? `${req.method} ${route}` : `${req.method}`, { kind: SpanKind.SERVER, attributes }, parent);
    spanContext = trace.setSpan(parent, span);
  }
  // Without a caller's id, the trace's id when there is a trace: one id finds the logs and the trace.
  // A span already continues the caller's traceparent, so its trace id is that one: not parsed twice.
  const requestId = span ? (givenRequestId(req.headers) ?? span.spanContext().traceId) : (callerRequestId(req.headers) ?? newRequestId());
  const scope: RequestScope = { requestId };
  res.setHeader('x-request-id', scope.requestId);
  res.once('close', () => {
    const status = res.statusCode;
    // A client that hung up before the answer was written: the status is what we would have sent.
    const aborted = !res.writableFinished;
    if (span) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (status >= 500 || aborted) span.setStatus({ code: SpanStatusCode.ERROR, ...(aborted ? { message: 'client closed the connection' } : {}) });
      span.end();
    }
    const level = probe ? 'debug' : 'info';
    if (!log.isLevelEnabled(level)) return;
    log[level](
      {
        requestId: scope.requestId,
        method: req.method,
        path: route ?? shortened(path),
        ...(scope.operationName ? { operation: scope.operationName } : {}),
        status,
        ...(scope.errorCodes?.length ? { errors: scope.errorCodes } : {}),
        ...(aborted ? { aborted } : {}),
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
      },
      'request',
    );
  });
  const run = () => inRequestScope(scope, handle);
  void (span ? context.with(spanContext, run) : run());
}

/**
 * The route a path belongs to, or undefined for a path we do not serve. The agreement page's
 * path holds a signed token, a credential: only its route is ever logged or traced.
 */
export function routeOf(path: string): string | undefined {
  if (ROUTES.has(path)) return path;
  if (path.startsWith(AGREEMENT_PAGE_PREFIX)) return `${AGREEMENT_PAGE_PREFIX}{token}`;
  if (path.startsWith(IDE_ASSETS_PREFIX)) return `${IDE_ASSETS_PREFIX}{asset}`;
  return undefined;
}

/** An unknown path (a 404), logged as asked but bounded. The query string is never logged. */
function shortened(path: string): string {
  return path.length > 100 ? `${path.slice(0, 100)}…` : path;
}
