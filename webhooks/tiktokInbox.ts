import type { TikTokSettings } from '../config/tiktok';
import type { DeadLetterRepository } from '../db/deadLetters';
import type { Db } from '../db/knex';
import { createWebhookInboxRepository } from '../db/webhookInbox';
import { verifyWebhookSignature } from '../integrations/tiktok/signing';
import { safeParseWebhookEvent, webhookDedupKey } from '../integrations/tiktok/webhooks';
import { InboxRowRejected, InboxWriter } from './inboxWriter';
import { refuseUnsigned, type IngestOrigin } from './refuseUnsigned';

export const TIKTOK_WEBHOOK_SOURCE = 'webhook:tiktok';

export type IngestResult =
  | { status: 200; inboxId: string; duplicate: boolean }
  | { status: 400 | 401; reason: string; deadLetterId: number }
  | { status: 429; reason: string };

/**
 * The durable half of the webhook receiver: verify the signature (HMAC-SHA256 of app_key + raw body,
 * https://partner.tiktokshop.com/docv2/page/tts-webhooks-overview), parse, and commit one inbox row per notification (a repeated delivery only counts).
 * Nothing waits on Temporal here, so the 200 goes out well inside TikTok's 3 seconds; the relay routes rows later.
 * Signed bodies that cannot be taken are kept raw in the dead-letter table with the reason; of unsigned or forged
 * ones only a hash, the first 4 KB and a count (nobody without the app secret fills the database), and past the
 * per-address limit on failed signatures nothing at all (429). A validly signed webhook is never limited.
 */
export async function ingestTikTokWebhook(
  deps: { db: Db; settings: Pick<TikTokSettings, 'appKey' | 'appSecret'>; deadLetters: DeadLetterRepository },
  rawBody: Buffer,
  headers: Record<string, string | undefined>,
  origin: IngestOrigin = { remoteAddress: '' },
): Promise<IngestResult> {
  const reject = async (status: 400 | 401, reason: string, shopId: string | null = null): Promise<IngestResult> => {
    const deadLetterId = await deps.deadLetters.record({
      source: TIKTOK_WEBHOOK_SOURCE,
      reason,
      rawBody: rawBody.toString('utf8'),
      // Kept so the event can be replayed once the cause is fixed; the signature is not a secret.
      headers: { authorization: headers.authorization, 'content-type': headers['content-type'] },
      shopId,
    });
    return { status, reason, deadLetterId };
  };
  const signed = verifyWebhookSignature({
    appKey: deps.settings.appKey,
    appSecret: deps.settings.appSecret,
    rawBody,
    authorization: headers.authorization,
  });
  if (!signed) {
    return refuseUnsigned(
      deps.deadLetters,
      {
        source: TIKTOK_WEBHOOK_SOURCE,
        reason: 'invalid webhook signature',
        rawBody,
        headers: { authorization: headers.authorization, 'content-type': headers['content-type'] },
      },
      origin,
    );
  }
  const parsed = safeParseWebhookEvent(rawBody);
  // Signed, so the shop it names is TikTok's word: the dead letter is that shop's (an unsigned one stays without a
  // shop, visible to agency-wide keys only, so a forger cannot place rows in a brand's view).
  if (!parsed.ok) return reject(400, parsed.error, shopIdOf(rawBody));

  const event = parsed.event;
  try {
    const row = await writerFor(deps.db).write({
      dedupKey: webhookDedupKey(event),
      type: event.type,
      kind: event.kind,
      shopId: event.shop_id ?? null,
      event: JSON.stringify(event),
      rawBody: rawBody.toString('utf8'),
    });
    return { status: 200, inboxId: row.id, duplicate: row.deliveries > 1 };
  } catch (err) {
    // Signed but unstorable (an id longer than its column, a NUL character): only this sender is refused.
    if (err instanceof InboxRowRejected) {
      return reject(400, `the inbox cannot store this event: ${err.message}`, validShopId(event.shop_id));
    }
    throw err;
  }
}

const validShopId = (v: unknown): string | null =>
  typeof v === 'string' && /^[0-9A-Za-z_-]{1,64}$/.test(v) ? v : null;

/** The `shop_id` of a signed body that did not parse as an event, if it is JSON with a well-formed one. */
function shopIdOf(rawBody: Buffer): string | null {
  try {
    return validShopId((JSON.parse(rawBody.toString('utf8')) as { shop_id?: unknown } | null)?.shop_id);
  } catch {
    return null;
  }
}

const writers = new WeakMap<Db, InboxWriter>();
function writerFor(db: Db): InboxWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new InboxWriter(db, () => wakeRelay(db));
    writers.set(db, writer);
  }
  return writer;
}

// NOTIFY takes a global lock at commit, so under a burst one wake-up per few milliseconds is plenty: the relay
// drains whole batches, and it also polls, so a lost or skipped notification only delays routing a little.
const WAKE_EVERY_MS = 10;
let wakeScheduled = false;
function wakeRelay(db: Db): void {
  if (wakeScheduled) return;
  wakeScheduled = true;
  setTimeout(() => {
    wakeScheduled = false;
    createWebhookInboxRepository(db)
      .announce()
      .catch(() => undefined);
  }, WAKE_EVERY_MS).unref();
}
