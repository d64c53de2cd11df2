import { ErrorCode } from '../../../src/common/error-code';
import { explainVippsFailure } from '../../../src/payments/payment-errors';

/** Every ePayment error code of docs/vipps.md §5. */
const CODES = [
  '3010', '4010', '4020', '4040', '4050', '4060', '4070', '4080', '4090', '4100', '4110', '4120', '4130', '4140', '4150', '4160',
  '5010', '5020', '5030', '5040', '5050', '5060', '5070', '5080', '5090', '5100',
  '6010', '6020', '6030', '6040', '6050', '6060', '6070', '6080', '6090', '6100', '6110', '6120', '6130', '6140', '6150', '6160',
  '6170', '6180', '6190', '6200', '6210', '6220', '6230', '6250', '6260', '6280', '7010',
];

describe('Vipps ePayment error codes as UserErrors', () => {
  test.each(CODES)('code %s has its own sentence', (code) => {
    const explained = explainVippsFailure({ status: 400, code, traceId: 'trace-1' });
    const fallback = explainVippsFailure({ status: 400 });
    expect(explained.message).not.toBe(fallback.message);
    expect(explained.message).toMatch(/^[A-Z].*\.$/);
    expect(explained).toMatchObject({ vippsErrorCode: code, traceId: 'trace-1' });
  });

  it('names test-environment codes as such', () => {
    expect(explainVippsFailure({ status: 400, code: '10020' }).code).toBe(ErrorCode.TEST_ENVIRONMENT_ERROR);
  });

  test.each<[number, ErrorCode]>([
    [404, ErrorCode.NOT_FOUND],
    [409, ErrorCode.IDEMPOTENCY_CONFLICT],
    [423, ErrorCode.OPERATION_IN_PROGRESS],
    [429, ErrorCode.RATE_LIMITED],
    [403, ErrorCode.FEATURE_NOT_ENABLED],
    [400, ErrorCode.VIPPS_REJECTED],
    [503, ErrorCode.VIPPS_UNAVAILABLE],
  ])('without a code, status %i is %s', (status, expected) => {
    expect(explainVippsFailure({ status }).code).toBe(expected);
  });
});
