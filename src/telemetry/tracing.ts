import { context, diag, DiagLogLevel, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { settledWithin } from '../common/settled-within';
import type { Logger } from '../log/logger';

/**
 * OpenTelemetry tracing, on only when an OTLP endpoint is configured. When it is off nothing is
 * registered: `activeTracer()` is null and every span helper in this folder returns after that
 * one check, so untraced requests pay for no span objects, context switches or wrappers.
 */

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to `<endpoint>/v1/traces`. */
  endpoint?: string;
  /** Where spans go instead of OTLP (tests: a SimpleSpanProcessor over an InMemorySpanExporter). */
  processor?: SpanProcessor;
  /** Export failures are logged here, at most once a minute. */
  log?: Logger;
}

export interface Tracing {
  /** Ends tracing: exports what is buffered, then unregisters everything. */
  shutdown(): Promise<void>;
}

let tracer: Tracer | null = null;

/** How long stopping waits for the last spans to go out (the exporter retries for longer). */
const SHUTDOWN_EXPORT_MS = 3_000;

/** The tracer while tracing is on, else null (the one check every span helper makes). */
export function activeTracer(): Tracer | null {
  return tracer;
}

/**
 * Registers a tracer provider, an AsyncLocalStorage context manager and the W3C trace-context
 * propagator; null (and nothing registered) when there is neither an endpoint nor a processor.
 * Start it before Redis connections are made: they are wrapped for tracing when created.
 */
export function startTracing(options: TracingOptions): Tracing | null {
  const processor = options.processor ?? (options.endpoint ? new BatchSpanProcessor({ exporter: otlpExporter(options.endpoint) }) : null);
  if (!processor) return null;
  if (tracer) throw new Error('Tracing is already started in this process.');
  const provider = new TracerProvider({ resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }), spanProcessors: [processor] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  if (options.log) diag.setLogger(exportProblems(options.log), DiagLogLevel.WARN);
  tracer = provider.getTracer('vipps-graph');
  return {
    shutdown: async () => {
      tracer = null;
      await exportLastSpans(provider, options.log);
      trace.disable();
      propagation.disable();
      context.disable();
      diag.disable();
    },
  };
}

/** The last export may fail or hang (collector gone): worth a line, not a failed or slow stop. */
async function exportLastSpans(provider: TracerProvider, log: Logger | undefined): Promise<void> {
  const exported = provider.shutdown().then(
    () => 'exported' as const,
    (error: unknown) => {
      log?.warn({ problem: error instanceof Error ? error.message : String(error) }, 'tracing: the last spans could not be exported');
      return 'failed' as const;
    },
  );
  if ((await settledWithin(exported, SHUTDOWN_EXPORT_MS)) === undefined) log?.warn({ waitedMs: SHUTDOWN_EXPORT_MS }, 'tracing: gave up waiting for the last spans to be exported');
}

function otlpExporter(endpoint: string): OTLPTraceExporter {
  // The generic endpoint variable names the collector's base; the signal's path is appended (OTLP spec).
  return new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
}

/**
 * OpenTelemetry reports a failed export through its diagnostic logger. An unreachable collector
 * fails every batch (every 5 s), so one line a minute says so without flooding the log.
 */
function exportProblems(log: Logger) {
  let lastAt = 0;
  const report = (message: string) => {
    const now = Date.now();
    if (now - lastAt < 60_000) return;
    lastAt = now;
    log.warn({ problem: withoutStack(message) }, 'tracing: spans could not be exported (further problems within a minute are not logged)');
  };
  const ignore = () => undefined;
  return { error: report, warn: report, info: ignore, debug: ignore, verbose: ignore };
}

/** The exporter reports an error as its JSON, stack included: the message says what went wrong. */
function withoutStack(message: string): string {
  try {
    const parsed = JSON.parse(message) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : message;
  } catch {
    return message;
  }
}
