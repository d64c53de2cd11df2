import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The one place that reads the environment. Parsed once with zod into a frozen object; a bad
 * value stops start-up with one line per problem (see `ConfigError`).
 */

export const DEV_API_KEY = 'dev';

const BASE_URLS: Record<string, string> = {
  test: 'https://apitest.vipps.no',
  production: 'https://api.vipps.no',
};

const msn = z.string().regex(/^\d{4,10}$/, 'must be 4 to 10 digits');

const merchantSchema = z.object({
  msn,
  name: z.string().min(1).optional(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  subscriptionKey: z.string().min(1),
  capturePolicy: z.enum(['CAPTURE', 'NOTIFY']).optional(),
});

export type MerchantConfig = z.infer<typeof merchantSchema>;

export const SIMULATOR_MERCHANT: Readonly<MerchantConfig> = Object.freeze({
  msn: '123456',
  clientId: 'sim-client-id',
  clientSecret: 'sim-client-secret',
  subscriptionKey: 'sim-subscription-key',
});
export const SCOPES = ['payments:read', 'payments:write', 'recurring:read', 'recurring:write', 'support', 'webhooks:write'] as const;
export type Scope = (typeof SCOPES)[number];

const apiKeySchema = z.object({
  id: z.string().min(1),
  /** sha256 hex of the key; the key itself is never stored. */
  keyHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the sha256 hex digest of the key'),
  scopes: z.array(z.enum(SCOPES)).min(1),
  merchants: z.array(msn).min(1),
});

const duration = z
  .string()
  .regex(/^\d+[smhd]?$/, 'must be a duration like 3600, 90s, 30m, 24h or 2d')
  .transform((text) => {
    const unit = text.at(-1) ?? '';
    const factor = { s: 1, m: 60, h: 3600, d: 86400 }[unit] ?? 1;
    return Number.parseInt(text, 10) * factor;
  });

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** A JSON value given inline or as a path to a JSON file. */
function jsonOrFile(raw: string | undefined): unknown {
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim().startsWith('[') || raw.trim().startsWith('{') ? raw : readFileSync(raw, 'utf8');
  return JSON.parse(text);
}

const envSchema = z.object({
  VIPPS_ENV: z.enum(['simulator', 'test', 'production']).default('simulator'),
  VIPPS_BASE_URL: optionalText.pipe(z.url().optional()),
  VIPPS_MERCHANTS: z.preprocess(jsonOrFile, z.array(merchantSchema).min(1).optional()),
  VIPPS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  VIPPS_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  VIPPS_SYSTEM_NAME: z.string().min(1).max(30).default('vipps-graph'),
  VIPPS_SYSTEM_VERSION: z.string().min(1).max(30).default('0.1.0'),
  VIPPS_SYSTEM_PLUGIN_NAME: z.string().min(1).max(30).default('vipps-graph'),
  VIPPS_SYSTEM_PLUGIN_VERSION: z.string().min(1).max(30).default('0.1.0'),
  API_KEYS: z.preprocess(jsonOrFile, z.array(apiKeySchema).min(1).optional()),
  SIGNING_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  REDIS_URL: optionalText.pipe(z.url().optional()),
  REDIS_PREFIX: z.string().regex(/^[a-z0-9:_-]+$/i).default('vg'),
  PORT: port.default(4000),
  PUBLIC_URL: optionalText.pipe(z.url().optional()),
  WEBHOOK_ALLOW_PRIVATE: optionalText.pipe(z.enum(['true', 'false']).optional()),
  CAPTURE_POLICY: z.enum(['CAPTURE', 'NOTIFY']).default('NOTIFY'),
  CAPTURE_MARGIN: duration.default(86_400),
  CAPTURE_FINAL_MARGIN: optionalText.pipe(duration.optional()),
  SIMULATOR_PORT: port.default(4010),
  SIMULATOR_MERCHANTS: z.preprocess(jsonOrFile, z.array(merchantSchema).min(1).optional()),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  GRAPHQL_INTROSPECTION: optionalText.pipe(z.enum(['true', 'false']).optional()),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(20_000),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(10).default(2_000),
  GRAPHQL_MAX_DOCUMENT_BYTES: z.coerce.number().int().min(100).default(32 * 1024),
  WS_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).default(20),
  WS_CONNECTION_INIT_TIMEOUT: duration.default(5),
  HOST: optionalText,
  CORS_ORIGINS: optionalText.pipe(z.string().optional()),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: port.default(9464),
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  WORKER_METRICS_PORT: port.default(9465),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(z.url().optional()),
  OTEL_SERVICE_NAME: optionalText,
  SHUTDOWN_GRACE_SECONDS: optionalText.pipe(z.string().regex(/^\d+$/, 'must be a whole number of seconds').transform(Number).optional()),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(25),
  CONSOLE_IDLE_TIMEOUT: duration.default(1_800),
});

export type Merchant = MerchantConfig & { capturePolicy: 'CAPTURE' | 'NOTIFY' };
export type ApiKeyConfig = z.infer<typeof apiKeySchema>;

export interface Config {
  readonly vipps: {
    readonly env: 'simulator' | 'test' | 'production';
    readonly baseUrl: string;
    readonly merchants: readonly Merchant[];
    readonly timeoutMs: number;
    readonly maxRetries: number;
    readonly system: { readonly name: string; readonly version: string; readonly pluginName: string; readonly pluginVersion: string };
  };
  readonly apiKeys: readonly ApiKeyConfig[];
  readonly signingSecret: string;
  readonly redis: { readonly url: string | undefined; readonly prefix: string };
  readonly port: number;
  readonly publicUrl: string;
  /**
   * Per-merchant capture policy is on each merchant (`capturePolicy`, CAPTURE_POLICY by default).
   * Before a capture deadline: act at `marginSeconds`, warn once more at `finalMarginSeconds` (0: never).
   */
  readonly capture: { readonly marginSeconds: number; readonly finalMarginSeconds: number };
  /**
   * Outbound merchant webhooks (src/merchant-webhooks/destination.ts): plain http only in simulator
   * mode; loopback, private and other non-public addresses only when WEBHOOK_ALLOW_PRIVATE is true
   * (by default in simulator mode, where the receiver is on the developer's machine).
   */
  readonly merchantWebhooks: { readonly allowHttp: boolean; readonly allowPrivate: boolean };
  readonly simulator: { readonly port: number; readonly merchants: readonly MerchantConfig[] };
  readonly logLevel: string;
  readonly graphql: {
    /** Introspection and the IDE served at GET /graphql go together. */
    readonly introspection: boolean;
    readonly rateLimitPerMinute: number;
    readonly limits: QueryLimits;
  };
  readonly websocket: { readonly maxMessageBytes: number; readonly maxSubscriptions: number; readonly connectionInitTimeoutMs: number };
  readonly http: {
    /** The API listener's address. */
    readonly host: string;
    /** Browser origins allowed to call the API (CORS and WebSocket upgrades). */
    readonly corsOrigins: readonly OriginPattern[];
  };
  /** `/metrics` is served here, apart from the public port. */
  readonly metrics: { readonly host: string; readonly port: number };
  /** The worker's `/metrics` and `/healthz` (port 0: a free one). */
  readonly workerMetrics: { readonly host: string; readonly port: number };
  /**
   * Traces go over OTLP/HTTP to `otlpEndpoint` (`/v1/traces` is appended); unset, tracing is off.
   * `serviceName` unset: `vipps-graph-api` or `vipps-graph-worker` (src/telemetry/tracing.ts).
   */
  readonly tracing: { readonly otlpEndpoint: string | undefined; readonly serviceName: string | undefined };
  /**
   * On SIGTERM: `/readyz` answers 503 for `graceSeconds` while everything still serves, then the
   * process drains; `timeoutSeconds` after the signal it exits whatever is left (src/app/process.ts).
   */
  readonly shutdown: { readonly graceSeconds: number; readonly timeoutSeconds: number };
  /** The support console (src/console/): a session ends after this many seconds without a request. */
  readonly console: { readonly idleTimeoutSeconds: number };
}

/** What one GraphQL document may ask for (checked before validation, src/api/query-limits.ts). */
export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxCost: number;
  readonly maxTokens: number;
  readonly maxDocumentBytes: number;
}

/** `scheme://host[:port]`, or `scheme://host:*` for any port of that host. */
export type OriginPattern = string;

/** In simulator mode a frontend on any local port may call the API. */
const SIMULATOR_ORIGINS: readonly OriginPattern[] = ['http://localhost:*', 'http://127.0.0.1:*'];

const originPattern = /^https?:\/\/[a-z0-9.-]+(:(\d{1,5}|\*))?$/i;

function parseOrigins(raw: string, problems: string[]): OriginPattern[] {
  const origins = raw.split(',').map((o) => o.trim().replace(/\/$/, '')).filter((o) => o.length > 0);
  for (const origin of origins) {
    if (!originPattern.test(origin)) problems.push(`CORS_ORIGINS: "${origin}" is not an origin like https://shop.example or http://localhost:*`);
  }
  return origins.map((o) => o.toLowerCase());
}

/** Thrown with every problem found; `lines` are ready to print, one per problem. */
export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(`Invalid configuration:\n${lines.join('\n')}`);
  }
}

const DEV_SIGNING_SECRET = 'vipps-graph-development-signing-secret-not-for-production';

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const e = parsed.data;
  const simulated = e.VIPPS_ENV === 'simulator';
  const problems: string[] = [];
  const simulatorMerchants = e.SIMULATOR_MERCHANTS ?? [SIMULATOR_MERCHANT];
  const merchants = e.VIPPS_MERCHANTS ?? (simulated ? simulatorMerchants : undefined);
  if (!merchants) problems.push(`VIPPS_MERCHANTS: required when VIPPS_ENV is ${e.VIPPS_ENV}`);
  const apiKeys = e.API_KEYS ?? (simulated ? [devApiKey((merchants ?? []).map((m) => m.msn))] : undefined);
  if (!apiKeys) problems.push(`API_KEYS: required when VIPPS_ENV is ${e.VIPPS_ENV}`);
  if (!simulated && !e.SIGNING_SECRET) problems.push(`SIGNING_SECRET: required when VIPPS_ENV is ${e.VIPPS_ENV}`);
  const corsOrigins = e.CORS_ORIGINS !== undefined ? parseOrigins(e.CORS_ORIGINS, problems) : simulated ? SIMULATOR_ORIGINS : [];
  // A load balancer needs a few health checks' worth of 503 before the listener goes; on a
  // developer's machine (the simulator) nothing is in front to wait for.
  const shutdownGrace = e.SHUTDOWN_GRACE_SECONDS ?? (simulated ? 0 : 5);
  if (e.SHUTDOWN_TIMEOUT_SECONDS <= shutdownGrace) {
    problems.push(`SHUTDOWN_TIMEOUT_SECONDS: must be longer than the ${shutdownGrace} s of SHUTDOWN_GRACE_SECONDS, so there is time left to drain`);
  }
  // The last warning comes closer to the deadline than the first: 2 hours, or half a shorter margin.
  const finalMargin = e.CAPTURE_FINAL_MARGIN ?? Math.min(7_200, Math.floor(e.CAPTURE_MARGIN / 2));
  if (finalMargin >= e.CAPTURE_MARGIN && finalMargin > 0) {
    problems.push(`CAPTURE_FINAL_MARGIN: must be shorter than CAPTURE_MARGIN (${e.CAPTURE_MARGIN} s): it is the last warning, closer to the deadline`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const config: Config = {
    vipps: {
      env: e.VIPPS_ENV,
      baseUrl: (e.VIPPS_BASE_URL ?? (simulated ? `http://127.0.0.1:${e.SIMULATOR_PORT}` : (BASE_URLS[e.VIPPS_ENV] as string))).replace(/\/$/, ''),
      merchants: (merchants ?? []).map((m) => ({ ...m, capturePolicy: m.capturePolicy ?? e.CAPTURE_POLICY })),
      timeoutMs: e.VIPPS_TIMEOUT_MS,
      maxRetries: e.VIPPS_MAX_RETRIES,
      system: {
        name: e.VIPPS_SYSTEM_NAME,
        version: e.VIPPS_SYSTEM_VERSION,
        pluginName: e.VIPPS_SYSTEM_PLUGIN_NAME,
        pluginVersion: e.VIPPS_SYSTEM_PLUGIN_VERSION,
      },
    },
    apiKeys: apiKeys ?? [],
    signingSecret: e.SIGNING_SECRET ?? DEV_SIGNING_SECRET,
    redis: { url: e.REDIS_URL, prefix: e.REDIS_PREFIX },
    port: e.PORT,
    publicUrl,
    merchantWebhooks: { allowHttp: simulated, allowPrivate: e.WEBHOOK_ALLOW_PRIVATE ? e.WEBHOOK_ALLOW_PRIVATE === 'true' : simulated },
    capture: { marginSeconds: e.CAPTURE_MARGIN, finalMarginSeconds: finalMargin },
    simulator: { port: e.SIMULATOR_PORT, merchants: simulatorMerchants },
    logLevel: e.LOG_LEVEL,
    graphql: {
      // Introspection helps development; in production it is off unless asked for.
      introspection: e.GRAPHQL_INTROSPECTION ? e.GRAPHQL_INTROSPECTION === 'true' : e.VIPPS_ENV !== 'production',
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      limits: {
        maxDepth: e.GRAPHQL_MAX_DEPTH,
        maxAliases: e.GRAPHQL_MAX_ALIASES,
        maxCost: e.GRAPHQL_MAX_COST,
        maxTokens: e.GRAPHQL_MAX_TOKENS,
        maxDocumentBytes: e.GRAPHQL_MAX_DOCUMENT_BYTES,
      },
    },
    websocket: {
      maxMessageBytes: e.WS_MAX_MESSAGE_BYTES,
      maxSubscriptions: e.WS_MAX_SUBSCRIPTIONS,
      connectionInitTimeoutMs: e.WS_CONNECTION_INIT_TIMEOUT * 1000,
    },
    // The simulator is for a developer's own machine: it listens on loopback unless told otherwise.
    http: { host: e.HOST ?? (simulated ? '127.0.0.1' : '0.0.0.0'), corsOrigins },
    metrics: { host: e.METRICS_HOST, port: e.METRICS_PORT },
    workerMetrics: { host: e.WORKER_METRICS_HOST, port: e.WORKER_METRICS_PORT },
    tracing: { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME },
    shutdown: { graceSeconds: shutdownGrace, timeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS },
    console: { idleTimeoutSeconds: e.CONSOLE_IDLE_TIMEOUT },
  };
  return deepFreeze(config);
}

function devApiKey(merchants: string[]): ApiKeyConfig {
  return { id: 'dev', keyHash: sha256Hex(DEV_API_KEY), scopes: [...SCOPES], merchants };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

let current: Config | undefined;

/** The process configuration, read from `process.env` on first use. */
export function config(): Config {
  current ??= loadConfig(process.env);
  return current;
}

/** For entry points: read the configuration or print every problem and exit. */
export function configOrExit(): Config {
  try {
    return config();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.lines) process.stderr.write(`config: ${line}\n`);
      process.exit(1);
    }
    throw error;
  }
}
