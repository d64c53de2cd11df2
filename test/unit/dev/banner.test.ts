import { redactUrl, renderBanner, type BannerInfo } from '../../../src/dev/banner';

const simulator: BannerInfo = {
  vippsEnv: 'simulator',
  port: 4000,
  redisUrl: 'redis://127.0.0.1:40123',
  privateRedis: true,
  vippsBaseUrl: 'http://127.0.0.1:4010',
  merchants: ['123456'],
  simulatorUrl: 'http://127.0.0.1:4010',
  devApiKey: 'dev',
  ide: true,
  metricsUrl: 'http://127.0.0.1:9464/metrics',
  workerMetricsUrl: 'http://127.0.0.1:9465/metrics',
};

describe('renderBanner', () => {
  it('in simulator mode shows the endpoints and the development credentials', () => {
    const text = renderBanner(simulator);
    expect(text).toContain('http://localhost:4000/graphql');
    expect(text).toContain('ws://localhost:4000/graphql');
    expect(text).toContain('http://127.0.0.1:4010/simulator/v1');
    expect(text).toContain('redis://127.0.0.1:40123');
    expect(text).toContain('.data/redis');
    expect(text).toMatch(/API key\s+dev/);
    expect(text).toMatch(/Merchant\s+123456/);
    expect(text).toMatch(/IDE\s+http:\/\/localhost:4000\/graphql/);
    expect(text).toMatch(/Metrics\s+http:\/\/127.0.0.1:9464\/metrics {2}\(API; operators only\)\n\s+http:\/\/127.0.0.1:9465\/metrics {2}\(worker; \/healthz beside it\)\n/);
  });

  it('outside simulator mode names the environment and prints no key', () => {
    const text = renderBanner({
      ...simulator,
      vippsEnv: 'test',
      redisUrl: 'redis://default:hunter2@redis.internal:6379',
      privateRedis: false,
      vippsBaseUrl: 'https://apitest.vipps.no',
      merchants: ['223344', '556677'],
      simulatorUrl: undefined,
      devApiKey: undefined,
      ide: false,
    });
    expect(text).not.toContain('IDE');
    expect(text).toContain('test environment at https://apitest.vipps.no');
    expect(text).toContain('223344, 556677');
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(/Bearer dev/);
    expect(text).not.toContain('simulator/v1');
    expect(text).not.toContain('.data/redis');
  });
});

describe('redactUrl', () => {
  it.each([
    ['redis://:pw@host:6379/0', 'redis://:***@host:6379/0'],
    ['redis://user:pw@host:6379', 'redis://user:***@host:6379'],
    ['rediss://host:6380', 'rediss://host:6380'],
    ['redis://127.0.0.1:1234', 'redis://127.0.0.1:1234'],
  ])('%s → %s', (input, output) => {
    expect(redactUrl(input)).toBe(output);
  });
});
