// Request signing and webhook signing, implemented from the reference.
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request sign, ref §2.2: take the query parameters except `sign` and `access_token`
 * (and a stray `x-tts-access-token`), sort keys by byte order, concatenate `{key}{value}` without separators,
 * prefix the path, append the raw body unless the content type is multipart/form-data, wrap the string with
 * the app secret on both sides and HMAC-SHA256 it with the app secret; lowercase hex.
 */
export function computeRequestSign(input: {
  appSecret: string;
  path: string;
  query: Record<string, string>;
  body?: string;
  contentType?: string;
}): string {
  const excluded = new Set(['sign', 'access_token', 'x-tts-access-token']);
  const keys = Object.keys(input.query)
    .filter((k) => !excluded.has(k))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let s = input.path;
  for (const k of keys) s += k + (input.query[k] ?? '');
  if (input.body && !isMultipart(input.contentType)) s += input.body;
  const wrapped = input.appSecret + s + input.appSecret;
  return createHmac('sha256', input.appSecret).update(wrapped, 'utf8').digest('hex');
}

/** Multipart detection on the media type, parameters such as `; boundary=` ignored (ref §2.2). */
export function isMultipart(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return (contentType.split(';')[0] ?? '').trim().toLowerCase() === 'multipart/form-data';
}

/**
 * Verifies a request sign. The sign must be lowercase hex (ref §2.1, an uppercase sign is rejected).
 * Ref §2.2/§15: whether an empty `{}` body is part of the signed string is uncertain; the emulator accepts
 * both variants for exactly that body.
 */
export function verifyRequestSign(input: {
  appSecret: string;
  path: string;
  query: Record<string, string>;
  body?: string;
  contentType?: string;
  sign: string;
}): boolean {
  if (!/^[0-9a-f]{64}$/.test(input.sign)) return false;
  const candidates = [computeRequestSign(input)];
  if (input.body !== undefined && input.body.trim() === '{}') {
    candidates.push(computeRequestSign({ ...input, body: '' }));
  }
  return candidates.some((c) => safeEqualHex(c, input.sign));
}

/** Webhook signature, ref §11.2: lowercase hex HMAC-SHA256(key = app_secret, message = app_key + raw body). */
export function computeWebhookSignature(appKey: string, appSecret: string, rawBody: string): string {
  return createHmac('sha256', appSecret)
    .update(appKey + rawBody, 'utf8')
    .digest('hex');
}

export function verifyWebhookSignature(appKey: string, appSecret: string, rawBody: string, header: string): boolean {
  return safeEqualHex(computeWebhookSignature(appKey, appSecret, rawBody), header);
}

function safeEqualHex(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}
