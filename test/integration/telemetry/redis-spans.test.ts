import { once } from 'node:events';
import { context, trace, type Span } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Redis } from 'ioredis';
import { apiRedis, workerRedis } from '../../../src/redis/client';
import { activeTracer, startTracing, type Tracing } from '../../../src/telemetry/tracing';
import { expectEventually } from '../../support/eventually';
import { deleteKeys, testRedis, testRedisUrl, uniquePrefix } from '../../support/redis';

/**
 * Redis command spans against the real test Redis: commands a traced operation issues in one
 * tick are one span under that operation, even when auto-pipelining writes several operations'
 * commands to Redis together; commands outside any operation make no span.
 */
describe('Redis spans', () => {
  const exporter = new InMemorySpanExporter();
  const prefix = uniquePrefix('redis-spans');
  let tracing: Tracing | null;
  let redis: Redis;
  let worker: Redis;

  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'vipps-graph-test', processor: new SimpleSpanProcessor({ exporter }) });
    // Made after tracing started, as the processes make theirs.
    redis = apiRedis(testRedisUrl());
    worker = workerRedis(testRedisUrl());
    await Promise.all([once(redis, 'ready'), once(worker, 'ready')]);
  });
  afterAll(async () => {
    const cleaner = testRedis();
    await deleteKeys(cleaner, prefix);
    await cleaner.quit();
    redis.disconnect();
    worker.disconnect();
    await tracing?.shutdown();
  });
  beforeEach(() => exporter.reset());

  /** Runs `work` inside a new operation span; returns the span's trace id. */
  async function inOperation(name: string, work: () => Promise<unknown>): Promise<string> {
    const span = activeTracer()?.startSpan(name) as Span;
    await context.with(trace.setSpan(context.active(), span), work);
    span.end();
    return span.spanContext().traceId;
  }
  const redisSpansOf = (traceId: string) =>
    expectEventually(async () => {
      const found = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId && s.name.startsWith('redis'));
      expect(found.length).toBeGreaterThan(0);
      return found;
    });
  const commands = (spans: ReadableSpan[]) => spans.map((s) => s.attributes['db.redis.commands']);

  it('gives each operation its own commands when auto-pipelining writes them together', async () => {
    // Both operations issue their commands in the same tick: one pipeline to Redis.
    const [first, second] = await Promise.all([
      inOperation('first', () => Promise.all([redis.get(`${prefix}:a`), redis.set(`${prefix}:b`, '1')])),
      inOperation('second', () => redis.hget(`${prefix}:c`, 'field')),
    ]);
    const firstSpans = await redisSpansOf(first);
    expect(commands(firstSpans)).toEqual([['GET', 'SET']]);
    expect(firstSpans[0]?.name).toBe('redis 2 commands');
    const secondSpans = await redisSpansOf(second);
    expect(commands(secondSpans)).toEqual([['HGET']]);
    expect(secondSpans[0]?.name).toBe('redis HGET');
    expect(secondSpans[0]?.parentSpanContext?.traceId).toBe(second);
  });

  it('makes one span of a MULTI, and one per round trip', async () => {
    const traceId = await inOperation('transaction', async () => {
      await redis.multi().set(`${prefix}:m`, 'secret-value').expire(`${prefix}:m`, 60).exec();
      await redis.get(`${prefix}:m`);
    });
    const spans = await redisSpansOf(traceId);
    expect(commands(spans)).toEqual([['SET', 'EXPIRE', 'EXEC'], ['GET']]);
    // Names only: never a key or a value.
    expect(JSON.stringify(spans.map((s) => [s.name, s.attributes]))).not.toMatch(/secret-value|redis-spans/);
  });

  it('marks a batch whose command failed, with the error class only', async () => {
    await redis.set(`${prefix}:text`, 'not a hash');
    const traceId = await inOperation('failing', () => redis.hget(`${prefix}:text`, 'field').catch(() => undefined));
    const [span] = await redisSpansOf(traceId);
    expect(span?.status.code).toBe(2);
    expect(span?.attributes['error.type']).toBe('ReplyError');
  });

  it('makes no span for commands outside any operation', async () => {
    await Promise.all([redis.get(`${prefix}:a`), worker.get(`${prefix}:a`)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
