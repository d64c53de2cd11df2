import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEV_API_KEY, loadConfig, sha256Hex, SIMULATOR_MERCHANT } from '../../src/config/config';

const merchant = { msn: '223344', clientId: 'cid', clientSecret: 'csecret', subscriptionKey: 'skey' };
const apiKey = { id: 'shop', keyHash: sha256Hex('s3cret-key'), scopes: ['payments:read'], merchants: ['223344'] };
const SECRET = 'x'.repeat(32);

/** The lines of the ConfigError that `loadConfig(env)` throws (fails the test if it does not). */
function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.lines;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig defaults (empty environment)', () => {
  const config = loadConfig({});

  it('runs against the simulator on the default ports', () => {
    expect(config.vipps.env).toBe('simulator');
    expect(config.port).toBe(4000);
    expect(config.simulator.port).toBe(4010);
    expect(config.vipps.baseUrl).toBe('http://127.0.0.1:4010');
    expect(config.publicUrl).toBe('http://localhost:4000');
  });

  it('has the documented defaults', () => {
    expect(config.redis).toEqual({ url: undefined, prefix: 'vg' });
    expect(config.capture).toEqual({ marginSeconds: 86_400, finalMarginSeconds: 7_200 });
    expect(config.vipps.timeoutMs).toBe(10_000);
    expect(config.vipps.maxRetries).toBe(3);
    expect(config.vipps.system).toEqual({ name: 'vipps-graph', version: '0.1.0', pluginName: 'vipps-graph', pluginVersion: '0.1.0' });
    expect(config.logLevel).toBe('info');
  });

  it('has the simulator merchant and the development API key for it', () => {
    expect(config.vipps.merchants).toEqual([{ ...SIMULATOR_MERCHANT, capturePolicy: 'NOTIFY' }]);
    expect(config.simulator.merchants).toEqual([SIMULATOR_MERCHANT]);
    expect(config.apiKeys).toHaveLength(1);
    const [dev] = config.apiKeys;
    expect(dev?.keyHash).toBe(sha256Hex(DEV_API_KEY));
    expect(dev?.merchants).toEqual(['123456']);
    expect(dev?.scopes).toEqual(expect.arrayContaining(['payments:read', 'payments:write', 'recurring:read', 'recurring:write']));
  });

  it('is frozen', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.vipps.merchants[0])).toBe(true);
  });
});

describe('loadConfig with a good environment', () => {
  it('reads every variable', () => {
    const config = loadConfig({
      VIPPS_ENV: 'test',
      VIPPS_MERCHANTS: JSON.stringify([{ ...merchant, capturePolicy: 'CAPTURE' }, { ...merchant, msn: '556677' }]),
      API_KEYS: JSON.stringify([apiKey]),
      SIGNING_SECRET: SECRET,
      REDIS_URL: 'redis://redis.internal:6379/2',
      REDIS_PREFIX: 'shop',
      PORT: '8080',
      PUBLIC_URL: 'https://pay.example.com/',
      CAPTURE_POLICY: 'NOTIFY',
      CAPTURE_MARGIN: '2d',
      VIPPS_TIMEOUT_MS: '5000',
      VIPPS_MAX_RETRIES: '0',
      VIPPS_SYSTEM_NAME: 'acme-shop',
      LOG_LEVEL: 'debug',
    });
    expect(config.vipps.env).toBe('test');
    expect(config.vipps.baseUrl).toBe('https://apitest.vipps.no');
    expect(config.vipps.merchants.map((m) => [m.msn, m.capturePolicy])).toEqual([
      ['223344', 'CAPTURE'],
      ['556677', 'NOTIFY'],
    ]);
    expect(config.apiKeys).toEqual([apiKey]);
    expect(config.signingSecret).toBe(SECRET);
    expect(config.redis).toEqual({ url: 'redis://redis.internal:6379/2', prefix: 'shop' });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('https://pay.example.com');
    expect(config.capture.marginSeconds).toBe(2 * 86_400);
    expect(config.vipps.timeoutMs).toBe(5000);
    expect(config.vipps.maxRetries).toBe(0);
    expect(config.vipps.system.name).toBe('acme-shop');
    expect(config.logLevel).toBe('debug');
  });

  it('uses the production base URL, and VIPPS_BASE_URL overrides either', () => {
    const base = { VIPPS_MERCHANTS: JSON.stringify([merchant]), API_KEYS: JSON.stringify([apiKey]), SIGNING_SECRET: SECRET };
    expect(loadConfig({ ...base, VIPPS_ENV: 'production' }).vipps.baseUrl).toBe('https://api.vipps.no');
    expect(loadConfig({ ...base, VIPPS_ENV: 'test', VIPPS_BASE_URL: 'http://localhost:9999/' }).vipps.baseUrl).toBe('http://localhost:9999');
  });

  it('reads VIPPS_MERCHANTS and API_KEYS from JSON files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-config-'));
    writeFileSync(join(dir, 'merchants.json'), JSON.stringify([merchant]));
    writeFileSync(join(dir, 'keys.json'), JSON.stringify([apiKey]));
    const config = loadConfig({ VIPPS_ENV: 'test', VIPPS_MERCHANTS: join(dir, 'merchants.json'), API_KEYS: join(dir, 'keys.json'), SIGNING_SECRET: SECRET });
    expect(config.vipps.merchants[0]?.msn).toBe('223344');
    expect(config.apiKeys[0]?.id).toBe('shop');
  });

  it.each([
    ['3600', 3600],
    ['90s', 90],
    ['30m', 1800],
    ['24h', 86_400],
  ])('reads CAPTURE_MARGIN=%s as %i seconds', (text, seconds) => {
    expect(loadConfig({ CAPTURE_MARGIN: text }).capture.marginSeconds).toBe(seconds);
  });

  it('treats empty optional values as unset (a blank line in .env)', () => {
    const config = loadConfig({ REDIS_URL: '', PUBLIC_URL: '', VIPPS_BASE_URL: '' });
    expect(config.redis.url).toBeUndefined();
    expect(config.publicUrl).toBe('http://localhost:4000');
  });

  it('in simulator mode with API_KEYS configured, has no development key', () => {
    const config = loadConfig({ API_KEYS: JSON.stringify([{ ...apiKey, merchants: ['123456'] }]) });
    expect(config.apiKeys.map((k) => k.id)).toEqual(['shop']);
  });
});

describe('loadConfig with bad values: one line per problem', () => {
  it.each([
    ['VIPPS_ENV', 'staging', /^VIPPS_ENV: /],
    ['VIPPS_BASE_URL', 'not a url', /^VIPPS_BASE_URL: /],
    ['VIPPS_TIMEOUT_MS', '10', /^VIPPS_TIMEOUT_MS: /],
    ['VIPPS_MAX_RETRIES', '11', /^VIPPS_MAX_RETRIES: /],
    ['VIPPS_SYSTEM_NAME', 'x'.repeat(31), /^VIPPS_SYSTEM_NAME: /],
    ['SIGNING_SECRET', 'short', /^SIGNING_SECRET: must be at least 32 characters/],
    ['REDIS_URL', 'localhost 6379', /^REDIS_URL: /],
    ['REDIS_PREFIX', 'has space', /^REDIS_PREFIX: /],
    ['PORT', '70000', /^PORT: /],
    ['PORT', 'http', /^PORT: /],
    ['PUBLIC_URL', 'example.com', /^PUBLIC_URL: /],
    ['CAPTURE_POLICY', 'AUTO', /^CAPTURE_POLICY: /],
    ['CAPTURE_MARGIN', '1w', /^CAPTURE_MARGIN: must be a duration/],
    ['SIMULATOR_PORT', '-1', /^SIMULATOR_PORT: /],
    ['LOG_LEVEL', 'verbose', /^LOG_LEVEL: /],
  ])('%s=%s', (name, value, line) => {
    const lines = problems({ [name]: value });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(lines[0]).not.toContain('\n');
  });

  it('names the field inside VIPPS_MERCHANTS and API_KEYS', () => {
    expect(problems({ VIPPS_MERCHANTS: JSON.stringify([{ ...merchant, msn: '12' }]) })).toEqual([expect.stringMatching(/^VIPPS_MERCHANTS\.0\.msn: must be 4 to 10 digits/)]);
    expect(problems({ API_KEYS: JSON.stringify([{ ...apiKey, keyHash: 'plain-key' }]) })).toEqual([
      expect.stringMatching(/^API_KEYS\.0\.keyHash: must be the sha256 hex digest of the key/),
    ]);
    expect(problems({ API_KEYS: JSON.stringify([{ ...apiKey, scopes: ['payments:everything'] }]) })).toEqual([expect.stringMatching(/^API_KEYS\.0\.scopes\.0: /)]);
  });

  it('reports every problem at once', () => {
    const lines = problems({ PORT: 'x', LOG_LEVEL: 'loud', CAPTURE_POLICY: 'maybe' });
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(['CAPTURE_POLICY', 'LOG_LEVEL', 'PORT']);
  });

  it('the error message lists the lines under one heading', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'x' });
      } catch (e) {
        return e as ConfigError;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/^Invalid configuration:\nPORT: /);
  });
});

describe.each(['test', 'production'])('VIPPS_ENV=%s refuses to start without real credentials', (env) => {
  it('names each missing variable', () => {
    expect(problems({ VIPPS_ENV: env })).toEqual([
      `VIPPS_MERCHANTS: required when VIPPS_ENV is ${env}`,
      `API_KEYS: required when VIPPS_ENV is ${env}`,
      `SIGNING_SECRET: required when VIPPS_ENV is ${env}`,
    ]);
  });

  it('has no development key or simulator merchant to fall back on', () => {
    expect(problems({ VIPPS_ENV: env, VIPPS_MERCHANTS: JSON.stringify([merchant]), SIGNING_SECRET: SECRET })).toEqual([`API_KEYS: required when VIPPS_ENV is ${env}`]);
    expect(problems({ VIPPS_ENV: env, API_KEYS: JSON.stringify([apiKey]), SIGNING_SECRET: SECRET })).toEqual([`VIPPS_MERCHANTS: required when VIPPS_ENV is ${env}`]);
    expect(problems({ VIPPS_ENV: env, VIPPS_MERCHANTS: JSON.stringify([merchant]), API_KEYS: JSON.stringify([apiKey]) })).toEqual([
      `SIGNING_SECRET: required when VIPPS_ENV is ${env}`,
    ]);
  });
});

describe('the edge: listener, browsers, limits', () => {
  const real = { VIPPS_MERCHANTS: JSON.stringify([merchant]), API_KEYS: JSON.stringify([apiKey]), SIGNING_SECRET: SECRET };

  it('in simulator mode listens on loopback and lets any local frontend call', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ host: '127.0.0.1', corsOrigins: ['http://localhost:*', 'http://127.0.0.1:*'] });
    expect(config.metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(config.workerMetrics).toEqual({ host: '127.0.0.1', port: 9465 });
    expect(loadConfig({ WORKER_METRICS_HOST: '0.0.0.0', WORKER_METRICS_PORT: '0' }).workerMetrics).toEqual({ host: '0.0.0.0', port: 0 });
    expect(config.graphql.limits).toEqual({ maxDepth: 12, maxAliases: 30, maxCost: 20_000, maxTokens: 2_000, maxDocumentBytes: 32_768 });
    expect(config.websocket).toEqual({ maxMessageBytes: 65_536, maxSubscriptions: 20, connectionInitTimeoutMs: 5000 });
  });

  it('outside simulator mode listens on every interface and allows no origin until configured', () => {
    expect(loadConfig({ VIPPS_ENV: 'test', ...real }).http).toEqual({ host: '0.0.0.0', corsOrigins: [] });
    const configured = loadConfig({ VIPPS_ENV: 'production', ...real, HOST: '10.0.0.5', CORS_ORIGINS: 'https://Shop.example, https://admin.shop.example/' });
    expect(configured.http).toEqual({ host: '10.0.0.5', corsOrigins: ['https://shop.example', 'https://admin.shop.example'] });
  });

  it('names an origin that is not one', () => {
    expect(problems({ CORS_ORIGINS: 'https://shop.example,shop.example,https://*.example' })).toEqual([
      'CORS_ORIGINS: "shop.example" is not an origin like https://shop.example or http://localhost:*',
      'CORS_ORIGINS: "https://*.example" is not an origin like https://shop.example or http://localhost:*',
    ]);
  });
});
