import { Registry } from 'prom-client';
import { BoundedLabel, CacheMetrics } from '../../../src/telemetry/metrics';
import { parsePrometheusText } from '../../support/prometheus-text';

describe('BoundedLabel', () => {
  it('keeps the first `max` distinct names, and gives `other` for any later one and for anything not name-like', () => {
    const names = new BoundedLabel(2, /^[_A-Za-z][_0-9A-Za-z]{0,63}$/);
    expect(names.value('PaymentStatus')).toBe('PaymentStatus');
    expect(names.value('CapturePayment')).toBe('CapturePayment');
    expect(names.value('Third')).toBe('other');
    expect(names.value('PaymentStatus')).toBe('PaymentStatus');
    expect(new BoundedLabel(5, /^[_A-Za-z][_0-9A-Za-z]{0,63}$/).value('x'.repeat(65))).toBe('other');
    expect(new BoundedLabel(5, /^[A-Z_]+$/).value('not_upper')).toBe('other');
  });
});

describe('CacheMetrics', () => {
  it('counts each value of a batch read: null or undefined is a miss, anything else a hit', async () => {
    const registry = new Registry();
    const cache = new CacheMetrics(registry);
    cache.record('payment', ['{}', null, '{}', undefined]);
    cache.record('charge_list', [null]);
    const text = parsePrometheusText(await registry.metrics());
    expect(text.total('vipps_graph_cache_requests_total', { cache: 'payment', result: 'hit' })).toBe(2);
    expect(text.total('vipps_graph_cache_requests_total', { cache: 'payment', result: 'miss' })).toBe(2);
    expect(text.total('vipps_graph_cache_requests_total', { cache: 'charge_list', result: 'miss' })).toBe(1);
    expect(text.find('vipps_graph_cache_requests_total', { cache: 'charge_list', result: 'hit' })).toEqual([]);
  });
});

describe('the strict Prometheus text reader the metrics tests use', () => {
  const ok = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1",y="q\\"uote"} 3\n\n# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_sum 0.5\nh_count 1\n';

  it('reads well-formed text', () => {
    const text = parsePrometheusText(ok);
    expect(text.find('a_total')).toEqual([{ name: 'a_total', labels: { x: '1', y: 'q"uote' }, value: 3 }]);
    expect(text.total('h_count')).toBe(1);
    expect(parsePrometheusText('# TYPE g gauge\ng Nan\ng{a="b"} -Inf\n').samples.map((s) => s.value)).toEqual([Number.NaN, -Infinity]);
  });

  it.each([
    ['a sample of an undeclared metric', 'b 1\n'],
    ['a TYPE declared twice', '# TYPE a gauge\n# TYPE a gauge\n'],
    ['an unquoted label value', '# TYPE a gauge\na{x=1} 1\n'],
    ['a missing value', '# TYPE a gauge\na{x="1"}\n'],
    ['a stray comment', '# TYPE a gauge\n# hello\n'],
    ['a histogram suffix on a counter', '# TYPE a counter\na_bucket 1\n'],
    ['no final newline', '# TYPE a gauge\na 1'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
