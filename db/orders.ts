import type { Db } from './knex';

/** A warehouse_outbox row: the order as handed to the warehouse (payload sealed, secrets/sealedJson.ts). */
export interface OutboxRow {
  id: string;
  shop_id: string;
  order_id: string;
  payload: unknown;
  version: number;
  sent_version: number | null;
}

/** One package marked shipped (order_shipments). */
export interface ShipmentRecord {
  packageId: string;
  trackingNumber?: string;
  carrier?: string;
  shippingProviderId?: string;
  labelUrl?: string;
}

/** One dispatch fact of an order (order_dispatch_events); `dedupKey` makes a retried write count once. */
export interface DispatchEventRecord {
  dedupKey: string;
  shopId: string;
  orderId: string;
  kind: string;
  deadline?: Date | null;
  occurredAt: Date;
  onTime?: boolean | null;
  detail: unknown;
}

/**
 * Orders: the warehouse outbox (one row per order, versioned), shipments and dispatch facts (read back by
 * accountHealth/metrics.ts). Operators' work is in human_steps (db/humanSteps.ts).
 */
export function createOrderRepository(db: Db) {
  return {
    async outboxRow(shopId: string, orderId: string): Promise<OutboxRow | undefined> {
      return db('warehouse_outbox').where({ shop_id: shopId, order_id: orderId }).first<OutboxRow | undefined>();
    },

    /** Inserts the order's outbox row or replaces its payload as the next version (pending again); returns it. */
    async writeOutbox(input: {
      shopId: string;
      orderId: string;
      warehouseId: string | null;
      payload: string;
    }): Promise<number> {
      const [row] = await db('warehouse_outbox')
        .insert({
          shop_id: input.shopId,
          order_id: input.orderId,
          warehouse_id: input.warehouseId,
          payload: input.payload,
        })
        .onConflict(['shop_id', 'order_id'])
        .merge({
          payload: input.payload,
          warehouse_id: input.warehouseId,
          version: db.raw('warehouse_outbox.version + 1'),
          status: 'pending',
          updated_at: db.fn.now(),
        })
        .returning<{ version: number }[]>('version');
      return row!.version;
    },

    /** The WMS took this version; a row rewritten meanwhile (a newer version) stays pending. */
    async markOutboxSent(id: string, version: number): Promise<void> {
      await db('warehouse_outbox')
        .where({ id, version })
        .update({ status: 'sent', sent_version: version, sent_at: db.fn.now() });
    },

    /** Retention: a keyset page of outbox rows not written since `before` whose payload is not purged yet. */
    async expiredOutboxPage(
      before: Date,
      afterId: string,
      limit: number,
    ): Promise<{ id: string; shop_id: string; order_id: string }[]> {
      return db('warehouse_outbox')
        .where('updated_at', '<', before)
        .whereRaw("payload->>'purged' is null")
        .andWhere('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .select<{ id: string; shop_id: string; order_id: string }[]>('id', 'shop_id', 'order_id');
    },

    /** Replaces the payload of these rows (buyer data) with `payload`; the rows and their versions stay. */
    async purgeOutboxPayloads(ids: string[], payload: unknown): Promise<number> {
      if (ids.length === 0) return 0;
      return db('warehouse_outbox')
        .whereIn('id', ids)
        .update({ payload: JSON.stringify(payload) });
    },

    async saveShipment(shopId: string, orderId: string, pkg: ShipmentRecord, lineItemIds: string[]): Promise<void> {
      await db('order_shipments')
        .insert({
          shop_id: shopId,
          order_id: orderId,
          package_id: pkg.packageId,
          tracking_number: pkg.trackingNumber ?? null,
          carrier: pkg.carrier ?? null,
          shipping_provider_id: pkg.shippingProviderId ?? null,
          label_url: pkg.labelUrl ?? null,
          line_item_ids: JSON.stringify(lineItemIds),
        })
        .onConflict(['shop_id', 'order_id', 'package_id'])
        .merge(['tracking_number', 'carrier', 'shipping_provider_id', 'label_url', 'line_item_ids']);
    },

    /** The order's packages as marked shipped, latest first. */
    async shipments(
      shopId: string,
      orderId: string,
    ): Promise<{ package_id: string; tracking_number: string | null; carrier: string | null; shipped_at: Date }[]> {
      return db('order_shipments')
        .where({ shop_id: shopId, order_id: orderId })
        .orderBy('shipped_at', 'desc')
        .orderBy('id', 'desc')
        .select('package_id', 'tracking_number', 'carrier', 'shipped_at');
    },

    /** Records a dispatch fact once (by its dedup key); true when it is new. */
    async recordDispatchEvent(e: DispatchEventRecord): Promise<boolean> {
      const inserted = await db('order_dispatch_events')
        .insert({
          dedup_key: e.dedupKey,
          shop_id: e.shopId,
          order_id: e.orderId,
          kind: e.kind,
          ...(e.deadline !== undefined ? { deadline: e.deadline } : {}),
          occurred_at: e.occurredAt,
          ...(e.onTime !== undefined ? { on_time: e.onTime } : {}),
          detail: JSON.stringify(e.detail),
        })
        .onConflict('dedup_key')
        .ignore()
        .returning('id');
      return inserted.length > 0;
    },

    /** The dispatch facts of these orders (kinds given), oldest first: what an appeal's evidence lists per order. */
    async dispatchEventsOf(
      shopId: string,
      orderIds: readonly string[],
      kinds: readonly string[],
    ): Promise<
      {
        order_id: string;
        kind: string;
        deadline: Date | null;
        occurred_at: Date;
        on_time: boolean | null;
        detail: Record<string, unknown>;
      }[]
    > {
      if (orderIds.length === 0) return [];
      return db('order_dispatch_events')
        .where({ shop_id: shopId })
        .whereIn('order_id', orderIds)
        .whereIn('kind', kinds)
        .orderBy('occurred_at')
        .orderBy('id')
        .select('order_id', 'kind', 'deadline', 'occurred_at', 'on_time', 'detail');
    },

    /** When each of these orders was first handed to the warehouse (its outbox row's creation), and the carrier. */
    async handOffsOf(
      shopId: string,
      orderIds: readonly string[],
    ): Promise<{ order_id: string; handed_at: Date | null; carrier: string | null }[]> {
      if (orderIds.length === 0) return [];
      const [outbox, shipments] = await Promise.all([
        db('warehouse_outbox')
          .where({ shop_id: shopId })
          .whereIn('order_id', orderIds)
          .select<{ order_id: string; created_at: Date }[]>('order_id', 'created_at'),
        db('order_shipments')
          .where({ shop_id: shopId })
          .whereIn('order_id', orderIds)
          .whereNotNull('carrier')
          .orderBy('shipped_at')
          .orderBy('id')
          .select<{ order_id: string; carrier: string }[]>('order_id', 'carrier'),
      ]);
      const handed = new Map(outbox.map((r) => [r.order_id, r.created_at]));
      const carrier = new Map<string, string>();
      for (const s of shipments) if (!carrier.has(s.order_id)) carrier.set(s.order_id, s.carrier);
      return orderIds.map((id) => ({
        order_id: id,
        handed_at: handed.get(id) ?? null,
        carrier: carrier.get(id) ?? null,
      }));
    },
  };
}

export type OrderRepository = ReturnType<typeof createOrderRepository>;
