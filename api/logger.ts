import pino, { type Logger } from 'pino';

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
