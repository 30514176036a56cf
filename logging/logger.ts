// The one logger of every process (API, worker, relay): pino, JSON lines, with the same redaction everywhere.
// Workflow and activity logs reach it through the Temporal Runtime (logging/temporalLogger.ts, workers/runtime.ts).
import pino, { type DestinationStream, type Logger } from 'pino';

/** Credentials: never logged, wherever they appear in a log line. */
const SECRET_FIELDS = [
  'authorization',
  'password',
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'app_secret',
  'apiKey',
  // A Temporal activity's task token completes the activity from anywhere (the SDK adds it to activity log lines).
  'taskToken',
];

/** Buyer data (addresses, phones, emails, messages). */
const BUYER_FIELDS = [
  'recipient_address',
  'recipientAddress',
  'buyer_email',
  'buyerEmail',
  'buyer_message',
  'phone_number',
];

/**
 * Paths redacted from every log line: credentials and buyer data, at the top of a line (Temporal's workflow and
 * activity loggers put their attributes there) and one level down (`{ order: {...} }`); wildcards cover the shapes
 * TikTok payloads use (recipient_address.*, buyer_email, …) where they nest deeper.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-tts-access-token"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS,
  ...BUYER_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...BUYER_FIELDS.map((f) => `*.${f}`),
  '*.key',
  '*.name',
  '*.*.recipient_address',
  '*.*.buyer_email',
  '*.*.phone_number',
];

/** A JSON logger at `level` with the redaction above; `destination` (default stdout) is for tests. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'tiktok-shop-ops' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Query parameters whose values never reach a log line: the OAuth callback's `code` (usable once within 30 minutes,
 * it buys the shop's tokens: https://partner.tiktokshop.com/docv2/page/678e3a3292b0f40314a92d75) and `state`, and
 * tokens should a URL ever carry one.
 */
export const SECRET_QUERY_PARAMS = ['code', 'state', 'auth_code', 'access_token', 'refresh_token', 'app_secret'];

/** The URL with the values of secret query parameters replaced; the path and other parameters stay readable. */
export function scrubUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const name of SECRET_QUERY_PARAMS) {
    if (params.has(name)) {
      params.set(name, '[redacted]');
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}
