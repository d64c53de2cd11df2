import { z } from 'zod';
import { DEFAULT_BEHAVIOUR, DEFAULT_FAULTS, type SimContext, type SimModule } from './simulator-context';
import type { Route, SimRequest } from './http';
import { SimProblem } from './problems';

/**
 * The control API for tests, demos and fault drills (docs/design.md §6). Not part of Vipps; never
 * affected by injected faults.
 */
const advanceSchema = z.object({ seconds: z.number().int().min(0).max(10 * 365 * 86400) });
const behaviourSchema = z
  .object({
    autoApproveAfterMs: z.number().int().min(0).max(3_600_000).nullable(),
    userAction: z.enum(['APPROVE', 'REJECT', 'NONE']),
  })
  .partial()
  .strict();
const faultsSchema = z
  .object({
    errorRate: z.number().min(0).max(1),
    status: z.union([z.literal(500), z.literal(503), z.literal(429)]),
    latencyMs: z.number().int().min(0).max(60_000),
    dropWebhooks: z.boolean(),
  })
  .partial()
  .strict();

const merchantSettingsSchema = z.object({ cardPayments: z.boolean() }).partial().strict();

function parse<T>(schema: z.ZodType<T>, req: SimRequest): T {
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw new SimProblem({ status: 400, body: { title: 'Bad Request', status: 400, detail } });
  }
  return result.data;
}

export function controlModule(ctx: SimContext, resetAll: () => void): SimModule {
  const route = (method: Route['method'], path: string, handler: Route['handler']): Route => ({
    method,
    path: `/simulator/v1${path}`,
    auth: 'none',
    api: 'control',
    handler,
  });
  return {
    routes: [
      route('GET', '/clock', () => ({ status: 200, body: { now: ctx.clock.now().toISOString() } })),
      route('POST', '/clock/advance', (req) => {
        ctx.clock.advance(parse(advanceSchema, req).seconds);
        return { status: 200, body: { now: ctx.clock.now().toISOString() } };
      }),
      route('GET', '/behaviour', () => ({ status: 200, body: ctx.behaviour })),
      route('PUT', '/behaviour', (req) => {
        ctx.behaviour = { ...DEFAULT_BEHAVIOUR, ...ctx.behaviour, ...parse(behaviourSchema, req) };
        return { status: 200, body: ctx.behaviour };
      }),
      route('GET', '/faults', () => ({ status: 200, body: ctx.faults })),
      route('PUT', '/faults', (req) => {
        ctx.faults = { ...DEFAULT_FAULTS, ...ctx.faults, ...parse(faultsSchema, req) };
        return { status: 200, body: ctx.faults };
      }),
      route('GET', '/merchants/:msn/settings', (req) => ({ status: 200, body: ctx.settingsOf(knownMerchant(ctx, req)) })),
      route('PUT', '/merchants/:msn/settings', (req) => {
        const msn = knownMerchant(ctx, req);
        const settings = { ...ctx.settingsOf(msn), ...parse(merchantSettingsSchema, req) };
        ctx.merchantSettings.set(msn, settings);
        return { status: 200, body: settings };
      }),
      route('GET', '/requests', () => ({ status: 200, body: { requests: ctx.requests } })),
      route('POST', '/reset', () => {
        resetAll();
        return { status: 204 };
      }),
    ],
  };
}

function knownMerchant(ctx: SimContext, req: SimRequest): string {
  const msn = req.params.msn as string;
  if (!ctx.merchants.has(msn)) throw new SimProblem({ status: 404, body: { title: 'Not Found', status: 404, detail: `No simulated merchant ${msn}.` } });
  return msn;
}
