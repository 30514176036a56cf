// Request signing for the TikTok Shop Open API and webhook signature verification.
// ref §2.2 (request sign) and §11.2 (webhook sign): docs/tiktok-shop-api-sources.md.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Query parameter values as they go on the wire (arrays are already comma-joined, §2.1). */
export type SignableQuery = Readonly<Record<string, string | undefined>>;

export interface SignRequestInput {
  appSecret: string;
  /** Request path only: no host, no query string (§2.2 step 4). */
  path: string;
  query: SignableQuery;
  /** The exact body string sent on the wire, if any. */
  body?: string;
  /** The Content-Type header of the request; multipart bodies are never signed (§2.2 step 5). */
  contentType?: string;
}

// §2.2 step 1: `sign` and `access_token` never take part; some clients also drop a stray `x-tts-access-token`.
const EXCLUDED_QUERY_KEYS = new Set(['sign', 'access_token', 'x-tts-access-token']);

/** True when the media type (parameters such as `; boundary=` ignored) is multipart/form-data. */
export function isMultipart(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'multipart/form-data';
}

/**
 * Builds the string that is wrapped with the secret and HMAC'ed (§2.2 steps 1-5).
 * Exported for diagnostics and tests; it contains no secret.
 */
export function buildSignBaseString(input: Omit<SignRequestInput, 'appSecret'>): string {
  const keys = Object.keys(input.query)
    .filter((key) => !EXCLUDED_QUERY_KEYS.has(key) && input.query[key] !== undefined)
    // §2.2 step 2: byte-order sort (keys are lowercase ASCII, so code-unit order is byte order).
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // §2.2 step 3: `{key}{value}` concatenated with no separator; step 4: the path goes in front.
  let base = input.path;
  for (const key of keys) base += `${key}${input.query[key] ?? ''}`;
  // §2.2 step 5: append the raw body unless multipart. The official Node sample (and HSIB) leave out an empty `{}`
  // body even though `{}` is sent; §2.2/§15 flag TikTok's own behaviour as uncertain. We follow the official Node
  // SDK, the one TikTok distributes, so an empty-object body is not part of the sign.
  const body = input.body;
  if (!isMultipart(input.contentType) && body !== undefined && body !== '' && body !== '{}') base += body;
  return base;
}

/** `sign` = lowercase hex HMAC-SHA256(key = secret, message = secret + base + secret) (§2.2 steps 6-7). */
export function signRequest(input: SignRequestInput): string {
  const { appSecret, ...rest } = input;
  const wrapped = `${appSecret}${buildSignBaseString(rest)}${appSecret}`;
  return createHmac('sha256', appSecret).update(wrapped, 'utf8').digest('hex');
}

export interface VerifyWebhookSignatureInput {
  appKey: string;
  appSecret: string;
  /** The request body exactly as received (before any JSON parsing). */
  rawBody: string | Buffer;
  /** The value of the `Authorization` header (no `Bearer` prefix, §11.2). */
  authorization: string | undefined | null;
}

/** The expected webhook `Authorization` value: lowercase hex HMAC-SHA256(app_secret, app_key + raw body) (§11.2). */
export function computeWebhookSignature(input: Omit<VerifyWebhookSignatureInput, 'authorization'>): string {
  const body = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  return createHmac('sha256', input.appSecret)
    .update(Buffer.concat([Buffer.from(input.appKey, 'utf8'), body]))
    .digest('hex');
}

/**
 * Constant-time check of a webhook's `Authorization` header (§11.2). The comparison is byte-exact, so an
 * uppercase-hex header does not match (TikTok sends lowercase hex).
 */
export function verifyWebhookSignature(input: VerifyWebhookSignatureInput): boolean {
  if (typeof input.authorization !== 'string' || input.authorization.length === 0) return false;
  const expected = Buffer.from(computeWebhookSignature(input), 'utf8');
  const received = Buffer.from(input.authorization, 'utf8');
  if (received.length !== expected.length) return false;
  return timingSafeEqual(received, expected);
}
