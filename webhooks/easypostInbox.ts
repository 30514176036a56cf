import EasyPostClient from '@easypost/api';
import { createCarrierTrackerRepository } from '../db/carrierTrackers';
import type { DeadLetterRepository } from '../db/deadLetters';
import type { Db } from '../db/knex';
import { historyFromTracker, type EasyPostTrackerJson } from '../integrations/easypost/tracking';
import { refuseUnsigned, type IngestOrigin, type Refusal } from './refuseUnsigned';

export const EASYPOST_WEBHOOK_SOURCE = 'webhook:easypost';

export type EasyPostIngestResult =
  | { status: 200; eventId: string; trackerId?: string; applied: boolean; duplicate: boolean }
  | { status: 400; reason: string; deadLetterId: number }
  | Refusal;

// Validation only reads the secret, but the SDK hangs Utils on a client, and a client wants a key.
const verifier = new EasyPostClient('webhook-verification-only');

/** Events that carry a Tracker as their result (https://docs.easypost.com/docs/events). */
const TRACKER_EVENTS = new Set(['tracker.created', 'tracker.updated']);

interface EasyPostEvent {
  id?: unknown;
  description?: unknown;
  result?: Partial<EasyPostTrackerJson> | null;
}

/**
 * EasyPost's webhook receiver (POST /webhooks/easypost): the signature is checked with the official SDK's
 * `Utils.validateWebhook` (HMAC-SHA256 of the raw body with EASYPOST_WEBHOOK_SECRET, header X-Hmac-Signature,
 * https://docs.easypost.com/docs/webhooks); a forged or unsigned one is refused (401) and kept as every refused
 * webhook is (webhooks/refuseUnsigned.ts). An accepted tracker event is stored whole before we answer
 * (db/carrierTrackers.ts recordEvent) and its history applied to the orders holding the tracker, or kept until one
 * does; an accepted event of another kind, or one we cannot read, is kept in the dead-letter table with its body.
 * Nothing accepted is dropped.
 */
export async function ingestEasyPostWebhook(
  deps: { db: Db; webhookSecret: string | undefined; deadLetters: DeadLetterRepository },
  rawBody: Buffer,
  headers: Record<string, string | undefined>,
  origin: IngestOrigin = { remoteAddress: '' },
  now: () => Date = () => new Date(),
): Promise<EasyPostIngestResult> {
  const kept = { 'x-hmac-signature': headers['x-hmac-signature'], 'content-type': headers['content-type'] };
  let event: EasyPostEvent;
  try {
    if (!deps.webhookSecret) throw new Error('EASYPOST_WEBHOOK_SECRET is not configured');
    event = verifier.Utils.validateWebhook(rawBody, headers, deps.webhookSecret);
  } catch (err) {
    const reason = `invalid webhook signature: ${(err as Error).message}`;
    return refuseUnsigned(
      deps.deadLetters,
      { source: EASYPOST_WEBHOOK_SOURCE, reason, rawBody, headers: kept },
      origin,
    );
  }
  const keep = async (reason: string) =>
    deps.deadLetters.record({
      source: EASYPOST_WEBHOOK_SOURCE,
      reason,
      rawBody: rawBody.toString('utf8'),
      headers: kept,
    });
  const eventId = typeof event?.id === 'string' ? event.id : undefined;
  const description = typeof event?.description === 'string' ? event.description : undefined;
  if (!eventId || !description) {
    return { status: 400, reason: 'not an EasyPost Event', deadLetterId: await keep('not an EasyPost Event') };
  }
  if (!TRACKER_EVENTS.has(description)) {
    // Signed by EasyPost, so answered 200 (no redelivery), and kept for a person to look at.
    await keep(`EasyPost event ${description} is not handled here`);
    return { status: 200, eventId, applied: false, duplicate: false };
  }
  const tracker = event.result;
  if (!tracker || typeof tracker.id !== 'string' || typeof tracker.tracking_code !== 'string') {
    const reason = `${description} without a Tracker result`;
    return { status: 400, reason, deadLetterId: await keep(reason) };
  }
  // The history as EasyPost last read it from the carrier: its updated_at orders late or repeated deliveries.
  const history = historyFromTracker(
    tracker as EasyPostTrackerJson,
    (tracker.updated_at && !Number.isNaN(Date.parse(tracker.updated_at))
      ? new Date(tracker.updated_at)
      : now()
    ).toISOString(),
  );
  const stored = await createCarrierTrackerRepository(deps.db).recordEvent({
    eventId,
    description,
    body: event,
    history,
  });
  return { status: 200, eventId, trackerId: history.trackerId, applied: stored.applied, duplicate: stored.duplicate };
}
