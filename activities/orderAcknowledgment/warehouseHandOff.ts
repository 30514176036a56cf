import { ApplicationFailure } from '@temporalio/common';
import { durationMs, type AppConfig } from '../config';
import type { Db } from '../db/knex';
import type { TikTokClient } from '../integrations/tiktok/client';
import type { ShopRef } from '../integrations/tiktok/common';
import { isTikTokFailure } from '../integrations/tiktok/errors';
import { NON_RETRYABLE_TIKTOK_FAILURES, ORDER_NOT_FOUND, UNKNOWN_CARRIER } from '../workflows/shared/failureTypes';
import { urgentBudgetDeadline } from '../workflows/shared/taskPriority';
import {
  createPackages,
  getPackageShippingDocument,
  getTracking,
  markPackageAsShipped,
  shipPackage,
} from '../integrations/tiktok/fulfillment';
import { getShippingProviders, getWarehouseDeliveryOptions } from '../integrations/tiktok/logistics';
import {
  addExternalOrderReferences,
  getExternalOrderReferences,
  type TikTokOrder,
} from '../integrations/tiktok/orders';
import { createOrderDetailReader } from '../integrations/tiktok/orderDetailReader';
import {
  approveCancellation,
  getRejectReasons,
  rejectCancellation,
  searchCancellations,
} from '../integrations/tiktok/returns';
import type { TokenStore } from '../integrations/tiktok/tokenStore';
import type { Keyring } from '../secrets/keyring';
import { openJson, outboxKeyring, sealJson } from '../secrets/sealedJson';
import type { NotificationInput, Notifier, Severity } from '../notifications/notifier';
import { signWmsRequest } from '../integrations/wms';
import { policy } from '../policy';
import { dispatchDeadline, escalationTimes } from '../policy/dispatch';
import { DISPATCHED_STATUSES, SHIPPABLE_STATUSES } from '../workflows/orderAcknowledgment/orderStatus';
import type { OrderClocks, ReadAndHandOffResult, OrderSnapshot } from '../workflows/orderAcknowledgment/types';
import type { ShipmentPackage, ShippedPackage } from '../workflows/orderAcknowledgment/messages';

// Product cadence (ours, not TikTok's): how often a waiting order is read back, and how long before a cancellation
// request's own deadline we stop waiting for the warehouse and decide by rule.
const POLL_EVERY_MS = 60 * 60_000;
const CANCELLATION_DECISION_MARGIN_MS = 2 * 60 * 60_000;
// How long after the remorse window's end a missing status webhook is presumed lost (TikTok's own tick and the
// webhook's delivery take a moment), and the first interval of the read-backs while TikTok keeps the order ON_HOLD.
const REMORSE_GRACE_MS = 2_000;
// TikTok codes meaning "this package is already shipped" (tiktok-shop-api.md §6.2): the mutation is already done.
const ALREADY_SHIPPED_CODES = new Set([21008099, 11006021]);
// Preferred reason when rejecting a cancellation because the parcel left (§8, seller rejection reasons).
const PREFERRED_REJECT_REASONS = ['seller_reject_apply_product_has_been_packed'];

export interface OrderActivityDeps {
  cfg: Pick<AppConfig, 'WMS_URL' | 'WMS_SIGNING_SECRET'> &
    Partial<Pick<AppConfig, 'TEMPORAL_PRIORITY_LEVELS' | 'TEMPORAL_PRIORITY_STEP_SECONDS' | 'ORDER_REMORSE_WINDOW'>>;
  db: Db;
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
  notifier: Pick<Notifier, 'notify'>;
  /** SECRETS_ENCRYPTION_KEY: the outbox payload (buyer name, address, message) is stored sealed with it. */
  secretsKeyring?: Keyring;
  fetch?: typeof fetch;
}

const iso = (seconds: number | undefined): string | undefined =>
  seconds === undefined || seconds === 0 ? undefined : new Date(seconds * 1000).toISOString();
const callOpts = (deadline?: string) => ({ deadline: deadline ? new Date(deadline) : undefined });

export { signWmsRequest };

export function createOrderActivities(deps: OrderActivityDeps) {
  const doFetch = deps.fetch ?? fetch;
  const client = deps.tiktok.client;

  // The order workflow reads an order (readOrder) and, right after, hands it to the warehouse (writeOutbox), which
  // needs the full detail with the buyer's address. Within a few seconds the read is reused instead of spending a
  // second Get Order Detail from the shop's rate budget. Memory only (buyer data never leaves this process), short.
  const recentReads = new Map<string, { at: number; order: TikTokOrder }>();
  // Concurrent reads of one shop share Get Order Detail calls (up to 50 ids each) instead of a token each.
  const orderReader = createOrderDetailReader(client);
  const REUSE_READ_MS = 5_000;

  async function orderDetail(
    shop: ShopRef,
    orderId: string,
    deadline?: string,
    opts: { reuseRecent?: boolean } = {},
  ): Promise<TikTokOrder> {
    const key = `${shop.shopId}:${orderId}`;
    const recent = recentReads.get(key);
    if (opts.reuseRecent && recent && Date.now() - recent.at < REUSE_READ_MS) return recent.order;
    const order = await orderReader.read(shop, orderId, callOpts(deadline));
    if (!order) throw ApplicationFailure.nonRetryable(`order ${orderId} not found`, ORDER_NOT_FOUND);
    const now = Date.now();
    for (const [k, v] of recentReads) if (now - v.at >= REUSE_READ_MS) recentReads.delete(k);
    recentReads.set(key, { at: now, order });
    return order;
  }

  async function shopRegion(shopId: string): Promise<string> {
    const shop = await deps.db('shops').where({ shop_id: shopId }).first<{ region: string } | undefined>();
    if (shop) return shop.region;
    const connected = await deps.db('tiktok_shops').where({ shop_id: shopId }).first<{ region: string | null }>();
    return connected?.region ?? 'US';
  }

  /** The order as the warehouse receives it (buyer details included: this stays in PostgreSQL and the WMS). */
  function warehousePayload(shopId: string, order: TikTokOrder) {
    return {
      shopId,
      orderId: order.id,
      status: order.status,
      warehouseId: order.warehouse_id ?? null,
      shippingType: order.shipping_type ?? 'SELLER',
      deliveryOption: order.delivery_option_name ?? null,
      buyerMessage: order.buyer_message ?? null,
      recipient: order.recipient_address ?? null,
      lineItems: order.line_items.map((li) => ({
        lineItemId: li.id,
        skuId: li.sku_id ?? null,
        sellerSku: li.seller_sku ?? null,
        productName: li.product_name ?? null,
        skuName: li.sku_name ?? null,
      })),
      slaTimes: { readyToShipBy: iso(order.rts_sla_time) ?? null, carrierScanBy: iso(order.tts_sla_time) ?? null },
    };
  }

  async function raise(input: NotificationInput & { shopId: string; orderId: string; dueAt?: string }) {
    await deps
      .db('ops_tasks')
      .insert({ shop_id: input.shopId, order_id: input.orderId, kind: input.kind, due_at: input.dueAt ?? null })
      .onConflict(['shop_id', 'order_id', 'kind'])
      .ignore();
    await deps.notifier.notify(input);
  }

  async function providerIdFor(shop: ShopRef, warehouseId: string, carrier: string, deadline?: string) {
    const options = await getWarehouseDeliveryOptions(client, shop, { warehouse_id: warehouseId }, callOpts(deadline));
    const wanted = carrier.trim().toLowerCase();
    const known: string[] = [];
    // Seller shipping uses the SEND_BY_SELLER options' providers (tiktok-shop-api.md §6.3); others come last.
    const ordered = [...options].sort(
      (a, b) => Number(b.type === 'SEND_BY_SELLER') - Number(a.type === 'SEND_BY_SELLER'),
    );
    for (const option of ordered) {
      const providers = await getShippingProviders(
        client,
        shop,
        { delivery_option_id: option.id },
        callOpts(deadline),
      ).catch((err: unknown) => {
        // A TikTok-fulfilled option has no providers (21008116/21008117): skip it.
        if (isTikTokFailure(err, 'TikTokInvalidRequest')) return [];
        throw err;
      });
      const match = providers.find((p) => (p.name ?? '').trim().toLowerCase() === wanted);
      if (match) return match.id;
      known.push(...providers.map((p) => p.name ?? p.id));
    }
    throw ApplicationFailure.nonRetryable(
      `carrier "${carrier}" is not a shipping provider of warehouse ${warehouseId} (known: ${[...new Set(known)].join(', ')})`,
      UNKNOWN_CARRIER,
    );
  }

  async function saveShipment(shopId: string, orderId: string, pkg: ShippedPackage, lineItemIds: string[]) {
    await deps
      .db('order_shipments')
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
  }

  /** The package already holding these line items (all of them when none are given), if TikTok has one. */
  function existingPackage(order: TikTokOrder, lineItemIds: string[] | undefined, trackingNumber?: string) {
    const items = order.line_items.filter((li) => !lineItemIds || lineItemIds.includes(li.id));
    const withPackage = items.filter(
      (li) => li.package_id && (!trackingNumber || li.tracking_number === trackingNumber),
    );
    if (items.length === 0 || withPackage.length !== items.length) return undefined;
    const ids = new Set(withPackage.map((li) => li.package_id!));
    return ids.size === 1 ? withPackage[0] : undefined;
  }

  const activities = {
    /** Get Order Detail, reduced to ids, status and clocks; plus the pending cancellation request, if any. */
    async readOrder(shopId: string, orderId: string, deadline?: string): Promise<OrderSnapshot> {
      const shop = await deps.tokens.shopRef(shopId);
      const order = await orderDetail(shop, orderId, deadline);
      let cancellation: OrderSnapshot['cancellation'];
      if (order.is_buyer_request_cancel) {
        const found = await searchCancellations(
          client,
          shop,
          { order_ids: [orderId], cancel_status: ['CANCELLATION_REQUEST_PENDING'] },
          callOpts(deadline),
        );
        const pending = found.cancellations.find((c) => c.cancel_status === 'CANCELLATION_REQUEST_PENDING');
        if (pending) {
          const due = pending.seller_next_action_response?.find((a) => a.deadline !== undefined)?.deadline;
          cancellation = { cancelId: pending.cancel_id, deadline: iso(typeof due === 'number' ? due : undefined) };
        }
      }
      const packageIds = new Set([
        ...(order.packages ?? []).map((p) => p.id),
        ...order.line_items.flatMap((li) => (li.package_id ? [li.package_id] : [])),
      ]);
      return {
        orderId: order.id,
        status: order.status,
        region: await shopRegion(shopId),
        fulfilledByTikTok: order.fulfillment_type === 'FULFILLMENT_BY_TIKTOK',
        shippingType: order.shipping_type === 'TIKTOK' ? 'TIKTOK' : 'SELLER',
        warehouseId: order.warehouse_id,
        paidAt: iso(order.paid_time),
        rtsSlaAt: iso(order.rts_sla_time),
        ttsSlaAt: iso(order.tts_sla_time),
        collectedAt: iso(order.collection_time),
        lineItemIds: order.line_items.map((li) => li.id),
        lines: order.line_items.map((li) => ({
          lineItemId: li.id,
          skuId: li.sku_id ?? null,
          sellerSku: li.seller_sku ?? null,
        })),
        packages: [...packageIds].map((packageId) => {
          const li = order.line_items.find((l) => l.package_id === packageId);
          return { packageId, status: li?.package_status, trackingNumber: li?.tracking_number };
        }),
        cancellation,
      };
    },

    /**
     * The order's deadlines, from policy rows read here (so history records them): ready-to-ship from rts_sla_time,
     * carrier scan from tts_sla_time else dispatchDeadline(); escalation instants from escalationTimes().
     */
    planOrderClocks(input: {
      region: string;
      paidAt?: string;
      rtsSlaAt?: string;
      ttsSlaAt?: string;
    }): Promise<OrderClocks> {
      const base: OrderClocks = {
        pollEveryMs: POLL_EVERY_MS,
        cancellationDecisionMarginMs: CANCELLATION_DECISION_MARGIN_MS,
        onHoldRecheckMs: REMORSE_GRACE_MS,
        ...(deps.cfg.TEMPORAL_PRIORITY_LEVELS
          ? {
              taskPriority: {
                levels: deps.cfg.TEMPORAL_PRIORITY_LEVELS,
                deadlineStepMs: (deps.cfg.TEMPORAL_PRIORITY_STEP_SECONDS ?? 60) * 1000,
              },
            }
          : {}),
      };
      if (!input.paidAt) return Promise.resolve(base);
      const paidAt = new Date(input.paidAt);
      const policyDeadline = dispatchDeadline({ region: input.region, orderType: 'standard', paidAt });
      const carrierScanBy = input.ttsSlaAt ? new Date(input.ttsSlaAt) : policyDeadline.shipBy;
      const window = deps.cfg.ORDER_REMORSE_WINDOW;
      const remorseEndsAt =
        !window || window === 'policy' ? policyDeadline.remorseEndsAt : new Date(paidAt.getTime() + durationMs(window));
      return Promise.resolve({
        ...base,
        deadlines: {
          readyToShipBy: input.rtsSlaAt ?? carrierScanBy.toISOString(),
          carrierScanBy: carrierScanBy.toISOString(),
          remorseEndsAt: remorseEndsAt.toISOString(),
          remorseCheckAt: new Date(remorseEndsAt.getTime() + REMORSE_GRACE_MS).toISOString(),
          escalations: escalationTimes(input.region, carrierScanBy, paidAt).map((e) => ({
            offset: e.offset,
            fireAt: e.fireAt.toISOString(),
          })),
          source: input.ttsSlaAt ? 'tts_sla_time' : 'dispatch_policy',
        },
      });
    },

    /** Writes (or refreshes) the order's warehouse_outbox row; returns its version. One row per order. */
    async writeOutbox(input: {
      shopId: string;
      orderId: string;
      cancelled?: boolean;
      /** The first hand-off right after readOrder: its read of the last few seconds may serve. */
      reuseRecentRead?: boolean;
      /** When the read must be made, its place in the rate budget (the first hand-off's: urgentBudgetDeadline). */
      readDeadline?: string;
    }): Promise<{ version: number }> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const order = await orderDetail(shop, input.orderId, input.readDeadline, { reuseRecent: input.reuseRecentRead });
      const plain = { ...warehousePayload(input.shopId, order), cancelled: input.cancelled === true };
      const existing = await deps
        .db('warehouse_outbox')
        .where({ shop_id: input.shopId, order_id: input.orderId })
        .first<{ payload: unknown; version: number } | undefined>();
      // Compared in plaintext: sealing the same order twice gives different ciphertexts (random IV).
      if (existing && JSON.stringify(openJson(outboxKeyring(deps), existing.payload)) === JSON.stringify(plain)) {
        return { version: existing.version };
      }
      const payload = JSON.stringify(sealJson(outboxKeyring(deps), plain));
      const [row] = await deps
        .db('warehouse_outbox')
        .insert({
          shop_id: input.shopId,
          order_id: input.orderId,
          warehouse_id: order.warehouse_id ?? null,
          payload,
        })
        .onConflict(['shop_id', 'order_id'])
        .merge({
          payload,
          warehouse_id: order.warehouse_id ?? null,
          version: deps.db.raw('warehouse_outbox.version + 1'),
          status: 'pending',
          updated_at: deps.db.fn.now(),
        })
        .returning<{ version: number }[]>('version');
      return { version: row!.version };
    },

    /**
     * POSTs the outbox row to the WMS (when WMS_URL is set), signed: `X-Signature` = HMAC-SHA256 of
     * `<X-Timestamp>.<body>`, `Idempotency-Key` = order and version, so a retry is recognised by the WMS.
     */
    async sendToWms(input: { shopId: string; orderId: string }): Promise<{ sent: boolean; version?: number }> {
      const row = await deps
        .db('warehouse_outbox')
        .where({ shop_id: input.shopId, order_id: input.orderId })
        .first<{ id: string; payload: unknown; version: number; sent_version: number | null } | undefined>();
      if (!row) throw ApplicationFailure.nonRetryable(`no outbox row for order ${input.orderId}`, ORDER_NOT_FOUND);
      if (!deps.cfg.WMS_URL || !deps.cfg.WMS_SIGNING_SECRET) return { sent: false };
      if (row.sent_version === row.version) return { sent: true, version: row.version };
      const body = JSON.stringify({ version: row.version, order: openJson(outboxKeyring(deps), row.payload) });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const res = await doFetch(deps.cfg.WMS_URL, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `order:${input.shopId}:${input.orderId}:v${row.version}`,
          'x-timestamp': timestamp,
          'x-signature': signWmsRequest(deps.cfg.WMS_SIGNING_SECRET, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      if (!res.ok) throw new Error(`WMS answered HTTP ${res.status}`);
      await deps
        .db('warehouse_outbox')
        .where({ id: row.id, version: row.version })
        .update({ status: 'sent', sent_version: row.version, sent_at: deps.db.fn.now() });
      return { sent: true, version: row.version };
    },

    /**
     * Add External Order References: links our warehouse order (same id) to the TikTok order (§5.1, §5.5).
     * Idempotent: reads the order's references first (Get External Order References) and adds ours only when it is
     * not there yet, so a retry after a lost response never applies the mutation twice.
     */
    async registerExternalReference(input: { shopId: string; orderId: string; deadline?: string }): Promise<void> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const reference = { id: `wms-${input.orderId}`, platform: 'WAREHOUSE_MANAGEMENT_SYSTEM' } as const;
      const existing = await getExternalOrderReferences(
        client,
        shop,
        { order_id: input.orderId, platform: reference.platform },
        callOpts(input.deadline),
      );
      if (existing.external_orders.some((e) => e.id === reference.id)) return;
      const result = await addExternalOrderReferences(
        client,
        shop,
        { orders: [{ id: input.orderId, external_order: reference }] },
        callOpts(input.deadline),
      );
      if (result.errors.length > 0) {
        throw ApplicationFailure.nonRetryable(
          `external order reference refused: ${result.errors.map((e) => `${e.code} ${e.message ?? ''}`).join('; ')}`,
          'TikTokApiError',
        );
      }
    },

    /** Seller shipping: Mark Package As Shipped per package, idempotently (reads the order first). */
    async shipPackages(input: {
      shopId: string;
      orderId: string;
      warehouseId?: string;
      packages: ShipmentPackage[];
      deadline?: string;
    }): Promise<ShippedPackage[]> {
      const shop = await deps.tokens.shopRef(input.shopId);
      let order = await orderDetail(shop, input.orderId, input.deadline);
      const warehouseId = input.warehouseId ?? order.warehouse_id;
      if (!warehouseId)
        throw ApplicationFailure.nonRetryable(`order ${input.orderId} has no warehouse`, UNKNOWN_CARRIER);
      const shipped: ShippedPackage[] = [];
      for (const p of input.packages) {
        const shippingProviderId = await providerIdFor(shop, warehouseId, p.carrier, input.deadline);
        let done = existingPackage(order, p.lineItemIds, p.trackingNumber);
        if (!done) {
          try {
            const res = await markPackageAsShipped(
              client,
              shop,
              {
                order_id: input.orderId,
                tracking_number: p.trackingNumber,
                shipping_provider_id: shippingProviderId,
                order_line_item_ids: p.lineItemIds,
              },
              callOpts(input.deadline),
            );
            done = { package_id: res.package_id } as TikTokOrder['line_items'][number];
          } catch (err) {
            if (!(isTikTokFailure(err, 'TikTokStateConflict') && ALREADY_SHIPPED_CODES.has(err.code ?? 0))) throw err;
            order = await orderDetail(shop, input.orderId, input.deadline);
            done = existingPackage(order, p.lineItemIds);
            if (!done) throw err;
          }
        }
        const pkg: ShippedPackage = {
          packageId: done.package_id!,
          trackingNumber: p.trackingNumber,
          carrier: p.carrier,
          shippingProviderId,
        };
        await saveShipment(input.shopId, input.orderId, pkg, p.lineItemIds ?? order.line_items.map((li) => li.id));
        shipped.push(pkg);
      }
      return shipped;
    },

    /** TikTok Shipping: Create Packages (unless one exists), Ship Package, then the shipping label (§6.2). */
    async shipWithTikTok(input: {
      shopId: string;
      orderId: string;
      lineItemIds?: string[];
      deadline?: string;
    }): Promise<ShippedPackage[]> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const order = await orderDetail(shop, input.orderId, input.deadline);
      const packageId =
        existingPackage(order, input.lineItemIds)?.package_id ??
        (
          await createPackages(
            client,
            shop,
            { order_id: input.orderId, order_line_item_ids: input.lineItemIds },
            callOpts(input.deadline),
          )
        ).package_id;
      try {
        await shipPackage(client, shop, { package_id: packageId }, callOpts(input.deadline));
      } catch (err) {
        if (!(isTikTokFailure(err, 'TikTokStateConflict') && ALREADY_SHIPPED_CODES.has(err.code ?? 0))) throw err;
      }
      const doc = await getPackageShippingDocument(
        client,
        shop,
        { package_id: packageId, document_type: 'SHIPPING_LABEL' },
        callOpts(input.deadline),
      );
      const pkg: ShippedPackage = { packageId, trackingNumber: doc.tracking_number, labelUrl: doc.doc_url };
      await saveShipment(input.shopId, input.orderId, pkg, input.lineItemIds ?? order.line_items.map((li) => li.id));
      return [pkg];
    },

    /** Get Tracking → one order_dispatch_events row per carrier event; returns how many events TikTok has. */
    async recordTracking(input: { shopId: string; orderId: string }): Promise<number> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const events = await getTracking(client, shop, { order_id: input.orderId });
      for (const e of events) {
        await deps
          .db('order_dispatch_events')
          .insert({
            dedup_key: `${input.shopId}:${input.orderId}:tracking:${e.update_time_millis}:${e.description ?? ''}`.slice(
              0,
              300,
            ),
            shop_id: input.shopId,
            order_id: input.orderId,
            kind: 'tracking',
            occurred_at: new Date(e.update_time_millis),
            detail: JSON.stringify({ description: e.description ?? null }),
          })
          .onConflict('dedup_key')
          .ignore();
      }
      return events.length;
    },

    /** One dispatch fact (ready_to_ship, dispatched, late, near_miss) per order and kind. */
    async recordDispatchEvent(input: {
      shopId: string;
      orderId: string;
      kind: 'ready_to_ship' | 'dispatched' | 'late' | 'near_miss';
      deadline: string;
      occurredAt: string;
      onTime?: boolean;
      detail?: Record<string, unknown>;
    }): Promise<void> {
      await deps
        .db('order_dispatch_events')
        .insert({
          dedup_key: `${input.shopId}:${input.orderId}:${input.kind}`,
          shop_id: input.shopId,
          order_id: input.orderId,
          kind: input.kind,
          deadline: new Date(input.deadline),
          occurred_at: new Date(input.occurredAt),
          on_time: input.onTime ?? null,
          detail: JSON.stringify(input.detail ?? {}),
        })
        .onConflict('dedup_key')
        .ignore();
    },

    /** Notification (deduplicated) plus an ops task row, e.g. an escalation before the dispatch deadline. */
    async raiseOpsTask(input: {
      shopId: string;
      orderId: string;
      kind: string;
      severity: Severity;
      title: string;
      body: string;
      dueAt?: string;
    }): Promise<void> {
      await raise({ ...input, dedupKey: `order:${input.shopId}:${input.orderId}:${input.kind}` });
    },

    /** Closes the order's open ops tasks (the order was dispatched or cancelled). */
    async closeOpsTasks(input: { shopId: string; orderId: string }): Promise<number> {
      return deps
        .db('ops_tasks')
        .where({ shop_id: input.shopId, order_id: input.orderId })
        .whereNull('done_at')
        .update({ done_at: deps.db.fn.now() });
    },

    async approveCancellation(input: { shopId: string; cancelId: string; deadline?: string }): Promise<void> {
      const shop = await deps.tokens.shopRef(input.shopId);
      await approveCancellation(
        client,
        shop,
        { cancel_id: input.cancelId, idempotency_key: `approve:${input.cancelId}` },
        callOpts(input.deadline),
      );
    },

    /** Rejects with a reason TikTok offers for this request (Get Reject Reasons); returns the reason name. */
    async rejectCancellation(input: { shopId: string; cancelId: string; deadline?: string }): Promise<string> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const reasons = await getRejectReasons(
        client,
        shop,
        { return_or_cancel_id: input.cancelId },
        callOpts(input.deadline),
      );
      const reason = reasons.find((r) => PREFERRED_REJECT_REASONS.includes(r.name)) ?? reasons[0];
      if (!reason) throw ApplicationFailure.nonRetryable(`no reject reason for ${input.cancelId}`, 'TikTokApiError');
      await rejectCancellation(
        client,
        shop,
        { cancel_id: input.cancelId, reject_reason: reason.name, idempotency_key: `reject:${input.cancelId}` },
        callOpts(input.deadline),
      );
      return reason.name;
    },

    /**
     * The hand-off as one activity: the outbox row (writeOutbox), then its delivery to the WMS (sendToWms). Both
     * steps are idempotent (same payload → same version; the WMS gets the version's idempotency key), so a retry
     * after either one repeats nothing; one activity instead of two halves the server's work per hand-off.
     */
    async handOffToWarehouse(input: {
      shopId: string;
      orderId: string;
      cancelled?: boolean;
      reuseRecentRead?: boolean;
      /** The first hand-off also links the order on TikTok (registerExternalReference, idempotent). */
      registerReference?: boolean;
      deadline?: string;
    }): Promise<{ version: number; sent: boolean; referenceError?: string }> {
      // The first hand-off waits in the rate budget like a stock-out, not by a carrier-scan deadline days away (that
      // put a new order's calls behind every older order's), since the warehouse's picking time comes out of the SLA.
      const readDeadline = input.registerReference ? urgentBudgetDeadline(input.deadline, Date.now()) : input.deadline;
      const { version } = await activities.writeOutbox({ ...input, readDeadline });
      const { sent } = await activities.sendToWms(input);
      if (!input.registerReference) return { version, sent };
      try {
        // Part of the hand-off (a local activity in the order workflow): it waits in the budget as urgently as the read.
        await activities.registerExternalReference({ ...input, deadline: readDeadline });
        return { version, sent };
      } catch (err) {
        // A refusal (non-retryable) leaves the hand-off done and is reported; anything transient retries the whole
        // activity, whose earlier steps repeat nothing.
        const refused =
          err instanceof ApplicationFailure &&
          (err.nonRetryable || (NON_RETRYABLE_TIKTOK_FAILURES as readonly string[]).includes(err.type ?? ''));
        if (!refused) throw err;
        return { version, sent, referenceError: err.message };
      }
    },

    /**
     * The read that a status webhook asks for, and the step it leads to, as one activity (one server round trip on
     * the order's tightest clock): Get Order Detail, then the first hand-off (handOffToWarehouse on the same read)
     * when the order is shippable, seller-fulfilled and has no pending cancellation request.
     */
    async readAndHandOff(input: { shopId: string; orderId: string; deadline?: string }): Promise<ReadAndHandOffResult> {
      const order = await activities.readOrder(
        input.shopId,
        input.orderId,
        urgentBudgetDeadline(input.deadline, Date.now()),
      );
      if (order.fulfilledByTikTok || order.cancellation || !SHIPPABLE_STATUSES.includes(order.status))
        return { order, handedOff: false };
      const out = await activities.handOffToWarehouse({
        shopId: input.shopId,
        orderId: input.orderId,
        reuseRecentRead: true,
        registerReference: true,
        deadline: input.deadline,
      });
      return { order, handedOff: true, ...(out.referenceError ? { referenceError: out.referenceError } : {}) };
    },

    /** The carrier scan's read: Get Order Detail (collection time) and the tracking events, as one activity. */
    async readDispatchedOrder(input: {
      shopId: string;
      orderId: string;
      deadline?: string;
    }): Promise<{ order: OrderSnapshot; trackingEvents: number }> {
      const order = await activities.readOrder(input.shopId, input.orderId, input.deadline);
      const dispatched = DISPATCHED_STATUSES.includes(order.status);
      return { order, trackingEvents: dispatched ? await activities.recordTracking(input) : 0 };
    },
  };
  return activities;
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;

/** LDR and VTR of a shop over the policy windows, from order_dispatch_events (tiktok-shop-policies §2.2). */
export async function shopDispatchMetrics(db: Db, shopId: string, region: string, now: Date = new Date()) {
  const ldrDays = policy<number>(region, 'ldr.window.days', now).value;
  const vtrWindow = policy<{ min: number; max: number }>(region, 'vtr.window.days', now).value;
  const minScans = policy<number>(region, 'vtr.minCarrierScans', now).value;
  const since = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const dispatched = await db('order_dispatch_events')
    .where({ shop_id: shopId, kind: 'dispatched' })
    .where('occurred_at', '>=', since(Math.max(ldrDays, vtrWindow.max)))
    .select<{ order_id: string; occurred_at: Date; on_time: boolean | null }[]>('order_id', 'occurred_at', 'on_time');
  const inLdr = dispatched.filter((d) => d.occurred_at >= since(ldrDays));
  const inVtr = dispatched.filter((d) => d.occurred_at >= since(vtrWindow.max));
  const scans = await db('order_dispatch_events')
    .where({ shop_id: shopId, kind: 'tracking' })
    .whereIn(
      'order_id',
      inVtr.map((d) => d.order_id),
    )
    .groupBy('order_id')
    .select<{ order_id: string; count: string }[]>('order_id', db.raw('count(*) as count'));
  const scanned = new Map(scans.map((s) => [s.order_id, Number(s.count)]));
  const late = inLdr.filter((d) => d.on_time === false).length;
  const valid = inVtr.filter((d) => (scanned.get(d.order_id) ?? 0) >= minScans).length;
  const row = (key: string) => {
    const r = policy(region, key, now);
    return { value: r.value, source: r.source, effectiveFrom: r.effectiveFrom };
  };
  return {
    shopId,
    region,
    at: now.toISOString(),
    ldr: {
      windowDays: ldrDays,
      dispatched: inLdr.length,
      late,
      rate: inLdr.length === 0 ? null : late / inLdr.length,
      recommendedMax: row('ldr.recommendedMax'),
      enforcementAbove: row('ldr.enforcementAbove'),
    },
    vtr: {
      windowDays: vtrWindow.max,
      dispatched: inVtr.length,
      validTracking: valid,
      rate: inVtr.length === 0 ? null : valid / inVtr.length,
      min: row('vtr.min'),
      minCarrierScans: row('vtr.minCarrierScans'),
    },
  };
}
