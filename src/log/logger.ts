import pino, { type Logger } from 'pino';
import { currentRequestId } from '../telemetry/request-scope';

/**
 * Field paths whose values are secrets. pino replaces them with "[redacted]" wherever they appear,
 * so a whole request, config or error object can be logged safely.
 */
export const REDACTED_PATHS = [
  'authorization',
  'Authorization',
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'subscriptionKey',
  'secret',
  'apiKey',
  'statusToken',
  'token',
  'headers.authorization',
  'headers.Authorization',
  'headers["ocp-apim-subscription-key"]',
  'headers["Ocp-Apim-Subscription-Key"]',
  'headers.client_secret',
  'headers.client_id',
  '*.authorization',
  '*.clientSecret',
  '*.client_secret',
  '*.accessToken',
  '*.access_token',
  '*.subscriptionKey',
  '*.secret',
  '*.statusToken',
];

/** Every line written on behalf of a request or a job run carries its `requestId` (src/telemetry/request-scope.ts). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: undefined, mixin: requestIdField }, destination);
}

/** A new object each time: pino merges the line's own fields into it. */
function requestIdField(): { requestId?: string } {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { requestId };
}

export type { Logger };
