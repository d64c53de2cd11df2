import { ConfigError, loadConfig } from '../../src/config/config';

const production = { VIPPS_ENV: 'production', VIPPS_MERCHANTS: JSON.stringify([{ msn: '123456', clientId: 'c', clientSecret: 's', subscriptionKey: 'k' }]), API_KEYS: JSON.stringify([{ id: 'a', keyHash: 'a'.repeat(64), scopes: ['payments:read'], merchants: ['123456'] }]), SIGNING_SECRET: 'x'.repeat(32) };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.lines;
    throw error;
  }
}

describe('shutdown configuration', () => {
  it('waits for load balancers outside simulator mode only', () => {
    expect(loadConfig({}).shutdown).toEqual({ graceSeconds: 0, timeoutSeconds: 25 });
    expect(loadConfig(production).shutdown).toEqual({ graceSeconds: 5, timeoutSeconds: 25 });
  });

  it('reads both variables; an empty grace means the default', () => {
    expect(loadConfig({ ...production, SHUTDOWN_GRACE_SECONDS: '10', SHUTDOWN_TIMEOUT_SECONDS: '60' }).shutdown).toEqual({ graceSeconds: 10, timeoutSeconds: 60 });
    expect(loadConfig({ ...production, SHUTDOWN_GRACE_SECONDS: '' }).shutdown.graceSeconds).toBe(5);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '0' }).shutdown.graceSeconds).toBe(0);
  });

  it('refuses a deadline that leaves no time to drain after the grace', () => {
    expect(problems({ ...production, SHUTDOWN_TIMEOUT_SECONDS: '5' })).toEqual([
      'SHUTDOWN_TIMEOUT_SECONDS: must be longer than the 5 s of SHUTDOWN_GRACE_SECONDS, so there is time left to drain',
    ]);
  });

  it('says what a bad value should be', () => {
    expect(problems({ SHUTDOWN_GRACE_SECONDS: '2.5' })).toEqual(['SHUTDOWN_GRACE_SECONDS: must be a whole number of seconds']);
    expect(problems({ SHUTDOWN_TIMEOUT_SECONDS: 'soon' })[0]).toMatch(/^SHUTDOWN_TIMEOUT_SECONDS: /);
  });
});
