import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { createCatalogRepository } from '../../db/catalog';
import { createInventoryRepository } from '../../db/inventory';
import type { ShopRef } from '../../integrations/tiktok/common';
import { isTikTokFailure } from '../../integrations/tiktok/errors';
import { type WarehouseQuantity } from '../../workflows/inventoryFeed/inventoryMath';
import { fitToTikTok, type FitInput } from '../../workflows/inventoryFeed/unheldSales';
import { urgentDeadline, type InventoryFeedDeps } from './deps';
import { createPushLog } from './pushLog';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

/** §7.2 Update Inventory / Activate / Deactivate: the product's status does not allow the operation. */
export const PRODUCT_STATUS_NOT_ALLOWED = 12052901;
/** §7.2 Update Inventory: the quantity is outside the allowed range (how a refused 0 comes back). */
export const QUANTITY_OUT_OF_RANGE = 12052055;

export interface PushItem {
  sellerSku: string;
  skuId: string;
  version: number;
  inventory: WarehouseQuantity[];
  stockEventAt: string | null;
}

/** Step: push the quantities to TikTok (Update Inventory) and read them back until TikTok shows them. */
export function createPushActivities(deps: InventoryFeedDeps) {
  const catalog = createCatalogRepository(deps.db);
  const inventory = createInventoryRepository(deps.db);
  const logRows = createPushLog(deps.db);

  const activities = {
    /**
     * Update Inventory with every warehouse of every SKU. A SKU whose version is older than one already handed to
     * TikTok is dropped (stale); equal versions pass, so a retried attempt sends the same numbers again.
     * Per-SKU errors are logged and returned; a refused 0 is reported as `zeroRefused`.
     */
    async pushInventory(input: { shopId: string; productId: string; skus: PushItem[]; urgent: boolean }): Promise<{
      logIds: Record<string, string>;
      stale: string[];
      failed: string[];
      zeroRefused: boolean;
      productInactive: boolean;
    }> {
      const fresh: PushItem[] = [];
      const stale: string[] = [];
      for (const s of input.skus) {
        if (await catalog.claimFeedVersion(input.shopId, s.sellerSku, s.version)) fresh.push(s);
        else stale.push(s.sellerSku);
      }
      if (fresh.length === 0) return { logIds: {}, stale, failed: [], zeroRefused: false, productInactive: false };
      const shop: ShopRef = await deps.tokens.shopRef(input.shopId);
      const requestedAt = new Date();
      let errors;
      try {
        ({ errors } = await callEndpoint(
          deps.tiktok.client,
          endpoints.updateInventory,
          shop,
          {
            product_id: input.productId,
            skus: fresh.map((s) => ({ id: s.skuId, inventory: s.inventory })),
          },
          {
            ...(input.urgent ? { deadline: urgentDeadline() } : {}),
            // An attempt that outlived its start-to-close timeout (stuck in the rate budget) may wake after the
            // retry and a newer version went out: a push older than what was sent since is never sent.
            beforeSend: async () => {
              const newer = await catalog.feedVersions(
                input.shopId,
                fresh.map((s) => s.sellerSku),
              );
              const superseded = newer.filter(
                (r) => Number(r.feed_version) > fresh.find((s) => s.sellerSku === r.seller_sku)!.version,
              );
              if (superseded.length > 0)
                throw ApplicationFailure.nonRetryable(
                  `inventory push superseded by a newer version for ${superseded.map((r) => r.seller_sku).join(', ')}`,
                  'InventoryPushSuperseded',
                );
            },
          },
        ));
      } catch (err) {
        if (isTikTokFailure(err) && err.code === PRODUCT_STATUS_NOT_ALLOWED) {
          return {
            logIds: {},
            stale,
            failed: fresh.map((s) => s.sellerSku),
            zeroRefused: false,
            productInactive: true,
          };
        }
        throw err;
      }
      const errorFor = (skuId: string) => errors.find((e) => e.detail?.sku_id === skuId);
      let zeroRefused = false;
      const outcomes = fresh.map((s) => {
        const e = errorFor(s.skuId);
        if (!e) return { outcome: 'requested' };
        const extra = (e.detail?.extra_errors ?? []) as { code?: number; warehouse_id?: string }[];
        const refusedZero = s.inventory.some(
          (w) =>
            w.quantity === 0 &&
            extra.some((x) => x.code === QUANTITY_OUT_OF_RANGE && x.warehouse_id === w.warehouse_id),
        );
        if (refusedZero) zeroRefused = true;
        return { outcome: refusedZero ? 'refused_zero' : 'refused', detail: JSON.stringify(e).slice(0, 2000) };
      });
      const ids = await logRows(
        input,
        'quantity',
        fresh.map((s) => ({
          ...s,
          quantity: s.inventory.reduce((a, w) => a + w.quantity, 0),
          warehouses: s.inventory,
        })),
        requestedAt,
        (i) => outcomes[i]!,
      );
      const logIds: Record<string, string> = {};
      const failed: string[] = [];
      fresh.forEach((s, i) => {
        if (outcomes[i]!.outcome === 'requested') logIds[s.sellerSku] = ids[i]!;
        else failed.push(s.sellerSku);
      });
      return { logIds, stale, failed, zeroRefused, productInactive: false };
    },

    /**
     * Inventory Search read-back: a SKU is confirmed when TikTok reports exactly the pushed quantity for every
     * warehouse. Confirmed rows get confirmed_at; on the final attempt the others are marked unconfirmed.
     */
    async confirmInventory(input: {
      shopId: string;
      productId: string;
      expected: { skuId: string; inventory: WarehouseQuantity[]; logId: string }[];
      final: boolean;
    }): Promise<string[]> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const urgent = input.expected.some((e) => e.inventory.every((w) => w.quantity === 0));
      const records = await callEndpoint(
        deps.tiktok.client,
        endpoints.inventorySearch,
        shop,
        { sku_ids: input.expected.map((e) => e.skuId) },
        urgent ? { deadline: urgentDeadline() } : {},
      );
      const seen = new Map(records.flatMap((r) => r.skus).map((s) => [s.id, s]));
      const confirmed: string[] = [];
      for (const e of input.expected) {
        const s = seen.get(e.skuId);
        const ok =
          s !== undefined &&
          e.inventory.every(
            (w) =>
              s.warehouse_inventory.find((x) => x.warehouse_id === w.warehouse_id)?.available_quantity === w.quantity,
          );
        if (ok) confirmed.push(e.skuId);
      }
      const confirmedLogIds = input.expected.filter((e) => confirmed.includes(e.skuId)).map((e) => e.logId);
      await inventory.confirmPushes(confirmedLogIds);
      if (input.final) {
        const rest = input.expected.filter((e) => !confirmed.includes(e.skuId)).map((e) => e.logId);
        await inventory.markPushesUnconfirmed(rest);
      }
      return confirmed;
    },

    /**
     * Update Inventory, then Inventory Search until TikTok shows the pushed quantities (up to `confirmAttempts`
     * reads, `confirmIntervalMs` apart): one activity instead of a push and a confirmation per attempt, so an
     * out-of-stock SKU leaves the feed and is confirmed with one round trip to the Temporal server. A retried attempt
     * does not push again what an earlier attempt already sent (same SKU and version in the push log).
     */
    async pushAndConfirmInventory(input: {
      shopId: string;
      productId: string;
      skus: (PushItem & Omit<FitInput, 'inventory'>)[];
      urgent: boolean;
      confirmAttempts: number;
      confirmIntervalMs: number;
    }): Promise<{
      logIds: Record<string, string>;
      stale: string[];
      failed: string[];
      zeroRefused: boolean;
      productInactive: boolean;
      confirmed: string[];
      /** The quantities sent, per seller_sku (lowered by sales TikTok made that no order workflow has held yet). */
      sent: Record<string, WarehouseQuantity[]>;
      /** Units held back per seller_sku for TikTok sales not yet held (workflows/inventoryFeed/unheldSales.ts). */
      unseenSold: Record<string, number>;
      /** Units TikTok sold since our last push, per seller_sku whose count was read (the feed's ledger). */
      tiktokSold: Record<string, number>;
      /** SKUs not sent because TikTok already shows the (capped) quantities. */
      unchanged: string[];
    }> {
      const ctx = Context.current();
      // TikTok takes sold units off its own count at once; our order workflows hold them later, the more so when a
      // sale keeps them busy. So read TikTok's count first and fit each SKU to it (workflows/inventoryFeed/unheldSales.ts):
      // the units TikTok sold that no order workflow has held yet come off, twice, and without a restock, a
      // cancellation or a shrinking margin since our last push the count never rises above what TikTok shows.
      const unseenSold: Record<string, number> = {};
      const tiktokSold: Record<string, number> = {};
      const shownBySku = new Map<string, Map<string, number>>();
      const watched = input.skus.filter((s) => s.lastPushedTotal !== undefined);
      if (watched.length > 0) {
        const shop = await deps.tokens.shopRef(input.shopId);
        const records = await callEndpoint(
          deps.tiktok.client,
          endpoints.inventorySearch,
          shop,
          { sku_ids: watched.map((s) => s.skuId) },
          input.urgent ? { deadline: urgentDeadline() } : {},
        );
        const current = new Map(records.flatMap((r) => r.skus).map((s) => [s.id, s]));
        for (const s of watched) {
          const onTikTok = current.get(s.skuId);
          if (!onTikTok) continue;
          shownBySku.set(
            s.sellerSku,
            new Map(onTikTok.warehouse_inventory.map((w) => [w.warehouse_id, w.available_quantity ?? 0])),
          );
        }
      }
      const skus: PushItem[] = input.skus.map(
        ({ lastPushedTotal, unheldBeforeRead, lagMargin, zeroAccepted, allowIncrease, ...item }) => {
          const fit = fitToTikTok(
            { inventory: item.inventory, lastPushedTotal, unheldBeforeRead, lagMargin, zeroAccepted, allowIncrease },
            shownBySku.get(item.sellerSku),
          );
          if (fit.heldBack > 0) unseenSold[item.sellerSku] = fit.heldBack;
          if (fit.soldSincePush !== undefined) tiktokSold[item.sellerSku] = fit.soldSincePush;
          return { ...item, inventory: fit.inventory };
        },
      );
      // Capped to exactly what TikTok shows already: nothing to send (a send could only race a sale upward).
      const unchanged = skus
        .filter((item) => {
          const shown = shownBySku.get(item.sellerSku);
          return shown !== undefined && item.inventory.every((w) => shown.get(w.warehouse_id) === w.quantity);
        })
        .map((item) => item.sellerSku);
      input = { ...input, skus: skus.filter((item) => !unchanged.includes(item.sellerSku)) };
      const earlier =
        ctx.info.attempt > 1
          ? await inventory.sentQuantityPushes(
              input.shopId,
              input.productId,
              input.skus.map((s) => s.sellerSku),
            )
          : [];
      const alreadySent = (s: PushItem) =>
        earlier.find((r) => r.seller_sku === s.sellerSku && Number(r.version) === s.version);
      const toPush = input.skus.filter((s) => !alreadySent(s));
      const pushed = toPush.length
        ? await activities.pushInventory({ ...input, skus: toPush })
        : { logIds: {}, stale: [], failed: [], zeroRefused: false, productInactive: false };
      const logIds: Record<string, string> = { ...pushed.logIds };
      for (const s of input.skus) {
        const row = alreadySent(s);
        if (row) logIds[s.sellerSku] = String(row.id);
      }
      const confirmed: string[] = [];
      const sent = Object.fromEntries(skus.map((s) => [s.sellerSku, s.inventory]));
      if (pushed.productInactive) return { ...pushed, logIds, confirmed, sent, unseenSold, tiktokSold, unchanged };
      let pending = input.skus.filter((s) => logIds[s.sellerSku] !== undefined);
      for (let attempt = 0; pending.length > 0 && attempt < input.confirmAttempts; attempt++) {
        if (attempt > 0) await ctx.sleep(input.confirmIntervalMs);
        ctx.heartbeat({ attempt });
        const ok = await activities.confirmInventory({
          shopId: input.shopId,
          productId: input.productId,
          expected: pending.map((s) => ({ skuId: s.skuId, inventory: s.inventory, logId: logIds[s.sellerSku]! })),
          final: attempt === input.confirmAttempts - 1,
        });
        confirmed.push(...ok);
        pending = pending.filter((s) => !ok.includes(s.skuId));
      }
      return { ...pushed, logIds, confirmed, sent, unseenSold, tiktokSold, unchanged };
    },
  };
  return activities;
}
