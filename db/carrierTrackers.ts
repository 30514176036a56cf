import type { CarrierTrackingHistory } from '../integrations/carrierTracking/types';
import type { Db } from './knex';

export interface CarrierTrackerRow {
  shop_id: string;
  order_id: string;
  tracker_id: string;
  carrier: string;
  tracking_code: string;
  status: string;
  history: CarrierTrackingHistory;
  fetched_at: Date;
  created_at: Date;
  updated_at: Date;
}

/** An accepted tracker.updated webhook (EasyPost Event), kept whole. */
export interface CarrierTrackerEventInput {
  eventId: string;
  description: string;
  body: unknown;
  history: CarrierTrackingHistory;
}

export interface CarrierTrackerEventRow {
  id: string;
  event_id: string;
  tracker_id: string;
  description: string;
  history: CarrierTrackingHistory;
  deliveries: number;
  received_at: Date;
  applied_at: Date | null;
}

// A history replaces the stored one when it holds more scans, or as many and was read later: a webhook delivered late
// (or twice) never rolls a tracker back to fewer scans, and no clock (ours, EasyPost's) has to agree with the other.
const NEWER = `jsonb_array_length(excluded.history->'scans') > jsonb_array_length(carrier_trackers.history->'scans')
  or (jsonb_array_length(excluded.history->'scans') = jsonb_array_length(carrier_trackers.history->'scans')
      and carrier_trackers.fetched_at <= excluded.fetched_at)`;

/**
 * Carrier histories per order (carrier_trackers) and the tracker.updated webhooks accepted for them
 * (carrier_tracker_events). An event is stored before it is applied; one about a tracker we do not hold yet stays
 * pending and is applied when `save` stores that tracker.
 */
export function createCarrierTrackerRepository(db: Db) {
  const upsert = async (trx: Db, shopId: string, orderId: string, history: CarrierTrackingHistory): Promise<void> => {
    const row = {
      shop_id: shopId,
      order_id: orderId,
      tracker_id: history.trackerId,
      carrier: history.carrier,
      tracking_code: history.trackingCode,
      status: history.status,
      history: JSON.stringify(history),
      fetched_at: history.fetchedAt,
    };
    await trx.raw(
      `insert into carrier_trackers (shop_id, order_id, tracker_id, carrier, tracking_code, status, history, fetched_at)
       values (:shop_id, :order_id, :tracker_id, :carrier, :tracking_code, :status, :history, :fetched_at)
       on conflict (shop_id, order_id, tracker_id) do update set
         carrier = excluded.carrier, tracking_code = excluded.tracking_code, status = excluded.status,
         history = excluded.history, fetched_at = excluded.fetched_at, updated_at = now()
       where ${NEWER}`,
      row,
    );
  };

  /** Applies the pending events of `trackerId` to every order that holds it, oldest first; returns how many. */
  const applyPending = async (trx: Db, trackerId: string): Promise<number> => {
    const holders = await trx('carrier_trackers').where({ tracker_id: trackerId }).select('shop_id', 'order_id');
    if (holders.length === 0) return 0;
    const pending = await trx<CarrierTrackerEventRow>('carrier_tracker_events')
      .where({ tracker_id: trackerId })
      .whereNull('applied_at')
      .orderBy('id')
      .forUpdate();
    for (const event of pending) {
      for (const h of holders as { shop_id: string; order_id: string }[]) {
        await upsert(trx, h.shop_id, h.order_id, event.history);
      }
    }
    if (pending.length > 0) {
      await trx('carrier_tracker_events')
        .whereIn(
          'id',
          pending.map((e) => e.id),
        )
        .update({ applied_at: trx.fn.now() });
    }
    return pending.length;
  };

  return {
    /** Stores the order's history (a newer one of the same tracker replaces it), then any webhooks that waited. */
    async save(shopId: string, orderId: string, history: CarrierTrackingHistory): Promise<void> {
      await db.transaction(async (trx) => {
        await upsert(trx, shopId, orderId, history);
        await applyPending(trx, history.trackerId);
      });
    },

    /** The order's most recently read history (its latest tracker, after a re-label), if any. */
    async latest(shopId: string, orderId: string): Promise<CarrierTrackingHistory | undefined> {
      const row = await db<CarrierTrackerRow>('carrier_trackers')
        .where({ shop_id: shopId, order_id: orderId })
        .orderBy('fetched_at', 'desc')
        .first();
      return row?.history;
    },

    /** Every tracker of a shop's order, newest first (several after a re-label). */
    async list(shopId: string, orderId: string): Promise<CarrierTrackerRow[]> {
      return db<CarrierTrackerRow>('carrier_trackers')
        .where({ shop_id: shopId, order_id: orderId })
        .orderBy('fetched_at', 'desc');
    },

    /**
     * Keeps an accepted webhook (a repeated delivery of the same event counts on its row) and applies it to the
     * orders holding its tracker. Returns whether it was applied now (false: kept until the tracker is saved).
     */
    async recordEvent(e: CarrierTrackerEventInput): Promise<{ id: string; applied: boolean; duplicate: boolean }> {
      return db.transaction(async (trx) => {
        const result = await trx.raw<{ rows: { id: string; deliveries: number }[] }>(
          `insert into carrier_tracker_events (event_id, tracker_id, description, body, history)
           values (?, ?, ?, ?, ?)
           on conflict (event_id) do update set deliveries = carrier_tracker_events.deliveries + 1
           returning id, deliveries`,
          [e.eventId, e.history.trackerId, e.description, JSON.stringify(e.body), JSON.stringify(e.history)],
        );
        const row = result.rows[0]!;
        const applied = await applyPending(trx, e.history.trackerId);
        const stored = await trx('carrier_tracker_events').where({ id: row.id }).first<{ applied_at: Date | null }>();
        return {
          id: String(row.id),
          applied: applied > 0 || stored?.applied_at != null,
          duplicate: row.deliveries > 1,
        };
      });
    },

    /** The accepted webhooks of a tracker, oldest first. */
    async events(trackerId: string): Promise<CarrierTrackerEventRow[]> {
      return db<CarrierTrackerEventRow>('carrier_tracker_events').where({ tracker_id: trackerId }).orderBy('id');
    },
  };
}

export type CarrierTrackerRepository = ReturnType<typeof createCarrierTrackerRepository>;
