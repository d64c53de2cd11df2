import { isAllowedUrl, validateCharge, validateDraft, validatePatch } from '../../../src/simulator/recurring/recurring-request-checks';
import { problemOf } from './recurring-fixtures';

/** Request rules of docs/vipps.md §10.1, §10.3, §10.4 that are easiest to see without HTTP. */

const draft = {
  pricing: { type: 'LEGACY', amount: 10000, currency: 'NOK' },
  interval: { unit: 'MONTH', count: 1 },
  merchantRedirectUrl: 'https://shop.example/back',
  merchantAgreementUrl: 'https://shop.example/mine',
  productName: 'News',
};
const fields = (fn: () => unknown) => problemOf(fn).extraDetails?.map((d) => d.field);

test.each([
  ['https://shop.example/back', true],
  ['myapp://home', true],
  ['vipps://x', true],
  ['http://localhost:3000/back', true],
  ['http://127.0.0.1/back', true],
  ['http://shop.example/back', false],
  ['http://localhost.evil.example/', false],
  ['javascript:alert(1)', false],
  ['/relative', false],
  ['', false],
])('isAllowedUrl(%s) = %s', (url, expected) => {
  expect(isAllowedUrl(url)).toBe(expected);
});

test('pricing type defaults to LEGACY; FLEXIBLE may omit the interval, LEGACY may not', () => {
  const { pricing } = validateDraft({ ...draft, pricing: { amount: 10000, currency: 'NOK' } });
  expect(pricing).toEqual({ type: 'LEGACY', currency: 'NOK', amount: 10000 });
  expect(validateDraft({ ...draft, pricing: { type: 'FLEXIBLE', currency: 'EUR' }, interval: undefined }).interval).toBeNull();
  expect(fields(() => validateDraft({ ...draft, interval: undefined }))).toEqual(['interval']);
});

test('VARIABLE needs suggestedMaxAmount 100–2 000 000 and takes no campaign', () => {
  const variable = { ...draft, pricing: { type: 'VARIABLE', currency: 'NOK', suggestedMaxAmount: 99 } };
  expect(fields(() => validateDraft(variable))).toEqual(['pricing.suggestedMaxAmount']);
  const withCampaign = { ...variable, pricing: { ...variable.pricing, suggestedMaxAmount: 100 }, campaign: { type: 'PERIOD_CAMPAIGN', price: 100, period: { unit: 'WEEK', count: 4 } } };
  expect(fields(() => validateDraft(withCampaign))).toEqual(['campaign']);
});

test('PATCH status STOPPED comes alone', () => {
  expect(validatePatch({ status: 'STOPPED' })).toEqual({ stop: true });
  expect(fields(() => validatePatch({ status: 'STOPPED', productName: 'x' }))).toEqual(['status']);
});

test('UNSCHEDULED charges have no due date and no retries; RECURRING is the default and needs both', () => {
  expect(validateCharge({ amount: 1000, description: 'Use', transactionType: 'DIRECT_CAPTURE', type: 'UNSCHEDULED' })).toMatchObject({ type: 'UNSCHEDULED', retryDays: 0, due: undefined });
  expect(fields(() => validateCharge({ amount: 1000, description: 'Use', transactionType: 'DIRECT_CAPTURE', type: 'UNSCHEDULED', retryDays: 2 }))).toEqual(['retryDays']);
  expect(fields(() => validateCharge({ amount: 1000, description: 'Use', transactionType: 'DIRECT_CAPTURE' }))?.sort()).toEqual(['due', 'retryDays']);
});
