import { REDIS_NOT_FOUND_MESSAGE, redisServerArgs } from '../../../src/dev/redis-server';

describe('redisServerArgs', () => {
  it('configures redis like production: loopback, AOF, noeviction, no RDB snapshots', () => {
    const args = redisServerArgs(6390, '/data/redis');
    const option = (name: string) => args[args.indexOf(`--${name}`) + 1];
    expect(option('port')).toBe('6390');
    expect(option('bind')).toBe('127.0.0.1');
    expect(option('dir')).toBe('/data/redis');
    expect(option('appendonly')).toBe('yes');
    expect(option('maxmemory-policy')).toBe('noeviction');
    expect(option('save')).toBe('');
  });

  it('the not-found message is one line that says how to get Redis', () => {
    expect(REDIS_NOT_FOUND_MESSAGE).not.toContain('\n');
    expect(REDIS_NOT_FOUND_MESSAGE).toMatch(/apt-get install redis-server/);
    expect(REDIS_NOT_FOUND_MESSAGE).toMatch(/brew install redis/);
    expect(REDIS_NOT_FOUND_MESSAGE).toMatch(/REDIS_URL/);
  });
});
