// How EasyPost signs a webhook: HMAC-SHA256 of the raw body with the webhook secret (NFKD-normalized, UTF-8), hex, in
// the `X-Hmac-Signature` header as `hmac-sha256-hex=<hex>` (https://docs.easypost.com/docs/webhooks; the scheme the
// official SDK's Utils.validateWebhook checks, https://github.com/EasyPost/easypost-node src/utils/util.js).
import crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Hmac-Signature';

/**
 * EasyPost's bodies carry weights as floats ("weight": 17.0); JavaScript's JSON.stringify writes 17. The SDK turns
 * such integers back into floats before it computes the HMAC (easypost-node issue 467), so the emulator sends and
 * signs the float spelling, as EasyPost does.
 */
export function easyPostJson(value: unknown): string {
  return JSON.stringify(value).replace(/("weight":\s*)(\d+)(\s*)(?=,|\})/g, '$1$2.0');
}

export function webhookSignature(body: string, secret: string): string {
  const hex = crypto
    .createHmac('sha256', Buffer.from(secret.normalize('NFKD'), 'utf8'))
    .update(body, 'utf8')
    .digest('hex');
  return `hmac-sha256-hex=${hex}`;
}
