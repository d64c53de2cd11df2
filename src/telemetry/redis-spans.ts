import { context, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR_DB_OPERATION_BATCH_SIZE, ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import type { Redis } from 'ioredis';
import { activeTracer } from './tracing';

/**
 * Redis spans: one per batch of commands an operation issues in the same tick (what auto-
 * pipelining writes at once, a MULTI, a pipeline), named `redis GET` or `redis 3 commands`, with
 * the command names and never a key, an argument or a reply.
 *
 * ioredis 6 does publish `ioredis:command` on diagnostics_channel, but with auto-pipelining it
 * publishes when the tick's pipeline is written, in the context of whichever request opened
 * it, so other requests' commands would land in that request's trace. Commands are caught
 * instead where they are made, in the caller's context: `sendCommand` for a command sent on
 * its own, and the `sendCommand` of each pipeline the client makes (auto-pipelining, MULTI and
 * explicit pipelines alike), whose commands reach the client's `sendCommand` later with a
 * stream and are not counted again.
 *
 * Only commands made inside a traced operation (a request, a job, a Vipps call) make spans; a
 * BullMQ worker's own polling makes none.
 */

interface Command {
  name: string;
  promise: Promise<unknown>;
}
interface CommandSender {
  sendCommand(command: Command, ...rest: unknown[]): unknown;
}

/** Wraps the client's command entry points when tracing is on; returns it unchanged otherwise. */
export function traceRedisCommands<C extends Redis>(client: C): C {
  if (!activeTracer()) return client;
  const noted = new WeakSet<Command>();
  const note = (command: Command) => {
    if (noted.has(command)) return;
    noted.add(command);
    addToBatch(command);
  };
  const own = client as unknown as CommandSender;
  const send = own.sendCommand.bind(client);
  // With a stream it is a pipeline writing commands already noted when they were queued.
  own.sendCommand = (command, ...rest) => {
    if (rest[0] === undefined) note(command);
    return send(command, ...rest);
  };
  const watch = <P>(made: P): P => {
    if (typeof (made as Partial<CommandSender>)?.sendCommand !== 'function') return made; // multi({ pipeline: false }) answers a promise
    const pipeline = made as unknown as CommandSender;
    const queue = pipeline.sendCommand.bind(pipeline);
    pipeline.sendCommand = (command, ...rest) => {
      note(command);
      return queue(command, ...rest);
    };
    return made;
  };
  const loose = client as unknown as Record<'pipeline' | 'multi', (...args: unknown[]) => unknown>;
  for (const method of ['pipeline', 'multi'] as const) {
    const make = loose[method].bind(client);
    loose[method] = (...args) => watch(make(...args));
  }
  return client;
}

/** This tick's open batch per parent span; closed on the next tick. */
const open = new Map<Span, Batch>();
let closing = false;

function addToBatch(command: Command): void {
  const tracer = activeTracer();
  const parentContext = context.active();
  const parent = trace.getSpan(parentContext);
  if (!tracer || !parent?.isRecording()) return;
  let batch = open.get(parent);
  if (!batch) {
    batch = new Batch(tracer, parentContext);
    open.set(parent, batch);
    if (!closing) {
      closing = true;
      process.nextTick(closeBatches);
    }
  }
  batch.add(command);
}

function closeBatches(): void {
  closing = false;
  for (const batch of open.values()) batch.close();
  open.clear();
}

class Batch {
  private readonly span: Span;
  private readonly names: string[] = [];
  private pending = 0;
  private closed = false;
  private failure: string | undefined;

  constructor(tracer: Tracer, parent: Context) {
    this.span = tracer.startSpan('redis', { kind: SpanKind.CLIENT, attributes: { [ATTR_DB_SYSTEM_NAME]: 'redis' } }, parent);
  }

  add(command: Command): void {
    this.names.push(command.name.toUpperCase());
    this.pending += 1;
    command.promise.then(
      () => this.settled(),
      (error: unknown) => {
        // The class only (ReplyError, MaxRetriesPerRequestError): a reply's text may quote a script.
        this.failure ??= error instanceof Error ? error.name : 'Error';
        this.settled();
      },
    );
  }

  close(): void {
    const { names, span } = this;
    const single = names.length === 1;
    span.updateName(single ? `redis ${names[0]}` : `redis ${names.length} commands`);
    span.setAttribute('db.redis.commands', names);
    const same = names.every((name) => name === names[0]);
    span.setAttribute(ATTR_DB_OPERATION_NAME, single ? (names[0] as string) : same ? `BATCH ${names[0]}` : 'BATCH');
    if (!single) span.setAttribute(ATTR_DB_OPERATION_BATCH_SIZE, names.length);
    this.closed = true;
    this.endWhenDone();
  }

  private settled(): void {
    this.pending -= 1;
    this.endWhenDone();
  }

  private endWhenDone(): void {
    if (!this.closed || this.pending > 0) return;
    if (this.failure) {
      this.span.setAttribute(ATTR_ERROR_TYPE, this.failure);
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    this.span.end();
  }
}
