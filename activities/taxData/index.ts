// Tax data (issue 20 item 1): the TikTok side of the monthly tax report's input. `syncTaxFinance` pages the Finance
// API (statements → their transactions, and the unsettled orders) to find every order TikTok settled in a window,
// reads those orders (Get Order Detail, 50 at a time) for their lines' tax fields and ship-to address, and the
// refunds of the window through Get Transactions by Order; `syncFbtInventory` derives from the FBT inventory records
// the days each state held stock. Both store into db/taxSales.ts and return counts only (order lines never enter a
// workflow's history). Every write is an upsert keyed by TikTok's ids, so a retried attempt writes the same rows.
// `background: true` puts every call at the lowest priority of the shop's rate budget (the history backfill).
import { createTaxSalesRepository, type InventoryPresenceInput, type TaxSalesLineInput } from '../../db/taxSales';
import type { Db } from '../../db/knex';
import { heartbeatCheckpoint } from '../../integrations/tiktok/activityHooks';
import type { TikTokClient } from '../../integrations/tiktok/client';
import type { CallOptions, ShopRef } from '../../integrations/tiktok/common';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { ORDER_DETAIL_MAX_IDS, type TikTokOrder } from '../../integrations/tiktok/orders';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import { cents, refundLines, saleLines } from './lines';

export interface TaxDataDeps {
  db: Db;
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
  /** "Now" for the settlement horizon and FBT presence; tests pass the emulator's clock. */
  now?: () => Date;
}

/**
 * How long after payment an order may settle: statements up to this many days after the window are read for the
 * window's sales (TikTok settles a set number of days after delivery; the Get Statements page gives no bound, so
 * this is a conservative reading). Orders still unsettled are found through Get Unsettled Transactions.
 */
export const SETTLEMENT_LAG_DAYS = 60;

const DAY_MS = 24 * 3600 * 1000;
const PAGE_SIZE = 100;

export interface TaxFinanceSyncInput {
  shopId: string;
  /** ISO instants: sales paid and refunds settled in [from, to). */
  from: string;
  to: string;
  /** Lowest rate-budget priority (the history backfill). */
  background?: boolean;
}

export interface TaxFinanceSyncCounts {
  statements: number;
  transactions: number;
  unsettled: number;
  orders: number;
  saleLines: number;
  sampleLines: number;
  refundLines: number;
  /** Orders read that gave no line (paid outside the window, no ship-to state). */
  skipped: number;
}

export interface FbtSyncCounts {
  warehouses: number;
  records: number;
  presences: number;
}

const day = (d: Date): string => d.toISOString().slice(0, 10);
const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

export function createTaxDataActivities(deps: TaxDataDeps) {
  const repo = createTaxSalesRepository(deps.db);
  const client = deps.tiktok.client;
  const now = deps.now ?? (() => new Date());

  async function orderDetails(shop: ShopRef, ids: readonly string[], opts: CallOptions): Promise<TikTokOrder[]> {
    const out: TikTokOrder[] = [];
    for (let i = 0; i < ids.length; i += ORDER_DETAIL_MAX_IDS) {
      out.push(
        ...(await callEndpoint(
          client,
          endpoints.getOrderDetail,
          shop,
          { ids: ids.slice(i, i + ORDER_DETAIL_MAX_IDS) },
          opts,
        )),
      );
    }
    return out;
  }

  return {
    /** The window's TikTok sales, samples and refunds into tax_sales_lines; records the window as covered. */
    async syncTaxFinance(input: TaxFinanceSyncInput): Promise<TaxFinanceSyncCounts> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const opts: CallOptions = input.background ? { background: true } : {};
      const from = new Date(input.from);
      const to = new Date(input.to);
      const horizon = new Date(Math.min(now().getTime(), to.getTime() + SETTLEMENT_LAG_DAYS * DAY_MS));
      // Orders created up to a day before the window can be paid inside it.
      const createdFrom = seconds(from) - DAY_MS / 1000;
      const counts: TaxFinanceSyncCounts = {
        statements: 0,
        transactions: 0,
        unsettled: 0,
        orders: 0,
        saleLines: 0,
        sampleLines: 0,
        refundLines: 0,
        skipped: 0,
      };
      const saleOrders = new Set<string>();
      const refunds: { orderId: string; statementId: string; at: Date }[] = [];

      let statementToken: string | undefined;
      do {
        const page = await callEndpoint(
          client,
          endpoints.getStatements,
          shop,
          {
            statement_time_ge: seconds(from),
            statement_time_lt: seconds(horizon) + 1,
            sort_field: 'statement_time',
            page_size: PAGE_SIZE,
            ...(statementToken ? { page_token: statementToken } : {}),
          },
          opts,
        );
        for (const statement of page.statements) {
          counts.statements += 1;
          // A statement covers the UTC day before its statement_time: its refunds happened then.
          const at = new Date((statement.statement_time - 1) * 1000);
          let txToken: string | undefined;
          do {
            const txs = await callEndpoint(
              client,
              endpoints.getStatementTransactions,
              shop,
              {
                statement_id: statement.id,
                sort_field: 'order_create_time',
                page_size: PAGE_SIZE,
                ...(txToken ? { page_token: txToken } : {}),
              },
              opts,
            );
            for (const t of txs.transactions) {
              counts.transactions += 1;
              if (!t.order_id) continue; // adjustments and reserves carry no order lines
              if (cents(t.revenue_breakdown?.refund_subtotal_before_discount_amount) < 0) {
                if (at >= from && at < to) refunds.push({ orderId: t.order_id, statementId: statement.id, at });
              } else if ((t.order_create_time ?? 0) >= createdFrom && (t.order_create_time ?? 0) < seconds(to)) {
                saleOrders.add(t.order_id);
              }
            }
            txToken = txs.next_page_token || undefined;
            heartbeatCheckpoint({ phase: 'statements', counts });
          } while (txToken);
        }
        statementToken = page.next_page_token || undefined;
      } while (statementToken);

      let unsettledToken: string | undefined;
      do {
        const page = await callEndpoint(
          client,
          endpoints.getUnsettledTransactions,
          shop,
          {
            search_time_ge: createdFrom,
            search_time_lt: seconds(to),
            sort_field: 'order_create_time',
            page_size: PAGE_SIZE,
            ...(unsettledToken ? { page_token: unsettledToken } : {}),
          },
          opts,
        );
        for (const t of page.transactions) {
          counts.unsettled += 1;
          if (t.order_id) saleOrders.add(t.order_id);
        }
        unsettledToken = page.next_page_token || undefined;
      } while (unsettledToken);

      const ids = [...saleOrders];
      for (let i = 0; i < ids.length; i += ORDER_DETAIL_MAX_IDS) {
        const orders = await orderDetails(shop, ids.slice(i, i + ORDER_DETAIL_MAX_IDS), opts);
        const lines = orders.flatMap((o) => {
          const l = saleLines(input.shopId, o, { from, to });
          if (l.length === 0) counts.skipped += 1;
          return l;
        });
        await repo.upsertLines(lines);
        counts.orders += orders.length;
        counts.saleLines += lines.filter((l) => l.kind === 'sale').length;
        counts.sampleLines += lines.filter((l) => l.kind === 'sample').length;
        heartbeatCheckpoint({ phase: 'orders', counts });
      }

      const refundOrders = [...new Set(refunds.map((r) => r.orderId))];
      const details = new Map((await orderDetails(shop, refundOrders, opts)).map((o) => [o.id, o]));
      const lines: TaxSalesLineInput[] = [];
      for (const orderId of refundOrders) {
        const order = details.get(orderId);
        if (!order) continue;
        const byOrder = await callEndpoint(
          client,
          endpoints.getOrderStatementTransactions,
          shop,
          { order_id: orderId },
          opts,
        );
        for (const r of refunds.filter((x) => x.orderId === orderId)) {
          const skus = byOrder.sku_transactions.filter((s) => s.statement_id === r.statementId);
          lines.push(...refundLines(input.shopId, order, skus, r.at));
        }
        heartbeatCheckpoint({ phase: 'refunds', counts });
      }
      await repo.upsertLines(lines);
      counts.refundLines = lines.length;

      await repo.recordCoverage(input.shopId, 'tiktok_finance', day(from), day(new Date(to.getTime() - 1)));
      return counts;
    },

    /**
     * FBT stock presence per state: each FBT warehouse's on-hand units replayed from its inventory records (all
     * goods); a stretch of days with stock is one presence row (to_day null while stock remains). Replaces what the
     * previous sync stored for the shop.
     */
    async syncFbtInventory(input: { shopId: string; background?: boolean }): Promise<FbtSyncCounts> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const opts: CallOptions = input.background ? { background: true } : {};
      const warehouses = await callEndpoint(client, endpoints.getFbtWarehouses, shop, undefined, opts);
      const counts: FbtSyncCounts = { warehouses: warehouses.length, records: 0, presences: 0 };
      const rows: InventoryPresenceInput[] = [];
      for (const w of warehouses) {
        const state = w.addresses.find((a) => a.state)?.state;
        if (!state) continue;
        const onHand = new Map<string, number>();
        let open: InventoryPresenceInput | undefined;
        let token: string | undefined;
        do {
          const page = await callEndpoint(
            client,
            endpoints.searchFbtInventoryRecords,
            shop,
            {
              fbt_warehouse_ids: [w.fbt_warehouse_id],
              create_time_le: seconds(now()),
              page_size: PAGE_SIZE,
              ...(token ? { page_token: token } : {}),
            },
            opts,
          );
          for (const r of [...page.inventory_records].sort((a, b) => a.create_time - b.create_time)) {
            counts.records += 1;
            onHand.set(r.goods?.id ?? '', r.final_on_hand_quantity);
            const units = [...onHand.values()].reduce((a, b) => a + b, 0);
            const at = day(new Date(r.create_time * 1000));
            if (units > 0 && !open) {
              open = { state, locationId: w.fbt_warehouse_id, locationKind: 'fbt', fromDay: at, toDay: null, units };
              rows.push(open);
            } else if (units > 0 && open) open.units = Math.max(open.units, units);
            else if (units <= 0 && open) {
              open.toDay = at;
              open = undefined;
            }
          }
          token = page.next_page_token || undefined;
          heartbeatCheckpoint({ phase: 'fbt', counts });
        } while (token);
      }
      await repo.replacePresence(input.shopId, 'tiktok_fbt', rows);
      counts.presences = rows.length;
      return counts;
    },
  };
}

export type TaxDataActivities = ReturnType<typeof createTaxDataActivities>;
