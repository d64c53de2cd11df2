import { CorsPolicy } from '../../../src/api/cors';

describe('CorsPolicy.allows', () => {
  const policy = new CorsPolicy(['https://shop.example', 'http://localhost:*']);

  it.each([
    ['https://shop.example', true],
    ['HTTPS://SHOP.EXAMPLE', true],
    ['http://shop.example', false],
    ['https://shop.example:8443', false],
    ['https://shop.example.evil.example', false],
    ['http://localhost:5173', true],
    ['http://localhost:5173.evil.example', false],
    ['http://localhost.evil.example:80', false],
    ['http://localhost:', false],
    ['https://localhost:5173', false],
    ['null', false],
  ])('%s → %s', (origin, allowed) => {
    expect(policy.allows(origin, 'api.example:4000')).toBe(allowed);
  });

  it("always allows the API's own origin (the IDE it serves)", () => {
    expect(new CorsPolicy([]).allows('http://api.example:4000', 'api.example:4000')).toBe(true);
    expect(new CorsPolicy([]).allows('http://api.example:4001', 'api.example:4000')).toBe(false);
  });
});
