import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ProductPlan, WarehouseQuantity } from './inventoryMath';
import type { FeedLag, SkuSales } from './lagGuard';
import type { TikTokLedger } from './unheldSales';

/** Stock levels of some SKUs of this product changed in `stock_levels` (committed before the signal). */
export interface StockChanged {
  sellerSkus: string[];
  at: string;
  /** The levels these events set, per seller_sku and warehouse (lets the feed skip a round that changes nothing). */
  levels?: Record<string, Record<string, StockLevel>>;
}

/** One warehouse's absolute on-hand for a SKU and the sequence of the stock event that set it. */
export interface StockLevel {
  onHand: number;
  sequence: number;
}

/**
 * Contract with the order workflows: units handed to the warehouse for an order (+n) and shipped or released (−n)
 * for one SKU of this product. Send with signal-with-start on `inventory:<shopId>:<productId>` (see
 * temporal/inventoryFeed.ts `sendUnitsCommitted`); `ref` (e.g. `<orderId>:<lineItemId>:handoff`) makes a repeated
 * send count once. They are subtracted from on-hand until the warehouse's own count drops on shipping.
 */
export interface UnitsCommitted {
  sellerSku: string;
  delta: number;
  ref?: string;
  /** Why units are released (delta < 0): a cancelled order's units may be sold again, a shipped order's may not. */
  reason?: 'shipped' | 'cancelled' | 'dispatched';
  /**
   * The units were sold on TikTok itself (+n of an order read from TikTok): TikTok took them off its own count when
   * the order was placed, so they need no push unless they sell the SKU out.
   */
  platformSale?: boolean;
  /**
   * When TikTok sold the units (the order's paid time, ISO), on an order's first hold: how late a TikTok sale reaches
   * the warehouse's hold is a lag the lag guard covers like the feed's own (workflows/inventoryFeed/lagGuard.ts).
   */
  soldAt?: string;
}

export type Listing = 'unknown' | 'active' | 'deactivated_by_feed' | 'awaiting_audit' | 'inactive_elsewhere';

export interface SkuFeedState {
  /** Monotonic per SKU; every push carries it and the push activity skips a version older than one already sent. */
  version: number;
  committed: number;
  pushed?: { version: number; inventory: WarehouseQuantity[]; confirmed: boolean };
  /** Units of orders committed since the last push was sent (TikTok took them off its count already). */
  soldSincePush?: number;
  /** Units of cancelled orders released since the last push: with a restock, the only reason to raise TikTok's count. */
  cancelledSincePush?: number;
  /** Total on-hand when the last push was sent. */
  onHandAtPush?: number;
  /** What the last round and the stock events since say of the SKU (latest sequence per warehouse wins). */
  known?: { warehouseIds: string[]; buffer: number; levels: Record<string, StockLevel> };
  /** Units released because they left the warehouse for our orders (shipped, dispatched), cumulative (lagGuard). */
  shippedUnits?: number;
  /** Other channels' sales rate as the lag guard measures it (workflows/inventoryFeed/lagGuard.ts). */
  sales?: SkuSales;
  /** TikTok's sales against our holds since the first push (workflows/inventoryFeed/unheldSales.ts). */
  tiktok?: TikTokLedger;
}

export interface InventoryFeedState {
  listing: Listing;
  /** TikTok refused a quantity of 0 at run time (whatever the policy row says). */
  zeroRefused: boolean;
  skus: Record<string, SkuFeedState>;
  commitRefs: string[];
  lastPlan?: ProductPlan;
  lastSyncAt?: string;
  lastError?: string;
  /** Units taken off pushes, in total, for TikTok sales no order workflow had held yet (unheldSales.ts). */
  unseenSold?: number;
  /** The feed's measured lag (stock change committed → its signal handled), for the lag guard. */
  lag?: FeedLag;
}

export interface InventoryFeedInput {
  shopId: string;
  productId: string;
  /** What a run hands to the next one at continue-as-new: the state, a round still owed, a retry's due time. */
  carried?: InventoryFeedState & { dirty: boolean; recheckAt?: number };
  /** Stock events arriving within this window after the first one become one push (default 1,000 ms). */
  coalesceMs?: number;
  /** Read-back interval while a re-activated product is in audit (default 30 s). */
  auditPollMs?: number;
  /** Continue-as-new once the history has more events than this (default 5,000; tests set a few dozen). */
  maxHistoryEvents?: number;
  /** Delay before an unconfirmed or failed push is tried again without any new signal (default 60 s). */
  recheckMs?: number;
}

export const stockChangedSignal = defineSignal<[StockChanged]>('stockChanged');
export const unitsCommittedSignal = defineSignal<[UnitsCommitted]>('unitsCommitted');
export const getInventoryFeedQuery = defineQuery<InventoryFeedState>('getInventoryFeed');
