import type { IncomingMessage } from 'node:http';
import pino, { type Logger } from 'pino';
import pinoHttp, { type HttpLogger } from 'pino-http';

/**
 * Paths redacted from every log line: credentials and buyer data (names, addresses, phones, emails, messages).
 * Wildcards cover the shapes TikTok payloads use (recipient_address.*, buyer_email, …) wherever they nest.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-tts-access-token"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.password',
  '*.access_token',
  '*.refresh_token',
  '*.accessToken',
  '*.refreshToken',
  '*.app_secret',
  '*.key',
  '*.apiKey',
  '*.recipient_address',
  '*.recipientAddress',
  '*.buyer_email',
  '*.buyerEmail',
  '*.buyer_message',
  '*.phone_number',
  '*.name',
  '*.*.recipient_address',
  '*.*.buyer_email',
  '*.*.phone_number',
];

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'tiktok-shop-ops' },
  });
}

/**
 * Query parameters whose values never reach a log line: the OAuth callback's `code` (usable once within 30 minutes,
 * it buys the shop's tokens; reference tiktok-shop-api.md §3.1) and `state`, and tokens should a URL ever carry one.
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

interface SerializedRequest {
  url?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Request logging for the API. pino-http logs the URL, the parsed query and the headers of every request: the OAuth
 * callback's URL carries the code and state, and so does the Referer of whatever the browser asks for next.
 */
export function httpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/healthz' },
    serializers: {
      req: (req: SerializedRequest) => {
        const query = req.query && { ...req.query };
        for (const name of SECRET_QUERY_PARAMS) if (query && name in query) query[name] = '[redacted]';
        const referer = req.headers?.referer;
        return {
          ...req,
          url: typeof req.url === 'string' ? scrubUrl(req.url) : req.url,
          ...(query ? { query } : {}),
          ...(typeof referer === 'string' ? { headers: { ...req.headers, referer: scrubUrl(referer) } } : {}),
        };
      },
    },
  });
}
