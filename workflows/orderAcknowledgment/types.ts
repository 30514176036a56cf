// What the order workflow and its activities exchange: the order as read from TikTok, its clocks, the units held for
// it. No buyer details (names, addresses, phones): activities read those from TikTok themselves.
import type { TaskPriorityConfig } from '../shared/taskPriority';
import type { PendingCancellation } from './messages';

/** The read that ended in a hand-off (readAndHandOff): the order as read, and whether it went to the warehouse. */
export interface ReadAndHandOffResult {
  order: OrderSnapshot;
  handedOff: boolean;
  referenceError?: string;
}

/** What the workflow knows of the order: ids, status and clocks, read through the readOrder activity. */
export interface OrderSnapshot {
  orderId: string;
  status: string;
  region: string;
  fulfilledByTikTok: boolean;
  shippingType: 'SELLER' | 'TIKTOK';
  warehouseId?: string;
  paidAt?: string;
  rtsSlaAt?: string;
  ttsSlaAt?: string;
  /** When the carrier scan moved the order to IN_TRANSIT (collection_time). */
  collectedAt?: string;
  lineItemIds: string[];
  /** Line items with their TikTok SKU (absent in histories recorded before it was read). */
  lines?: OrderLine[];
  packages: { packageId: string; status?: string; trackingNumber?: string }[];
  cancellation?: PendingCancellation;
}

/** One line item (one unit) of an order, as TikTok lists it. */
export interface OrderLine {
  lineItemId: string;
  skuId: string | null;
  sellerSku: string | null;
}

/** The order's clocks: deadlines from TikTok's SLA fields or the dispatch policy, plus our polling cadence. */
export interface OrderClocks {
  /** How often to read the order back while waiting (covers a lost webhook). */
  pollEveryMs: number;
  /** How long before a cancellation request's deadline the workflow decides by rule. */
  cancellationDecisionMarginMs: number;
  /** Next read-back while an order stays ON_HOLD past its window: doubles from this (absent in older histories). */
  onHoldRecheckMs?: number;
  /** The server's task priority keys (absent in histories recorded before priorities): fulfilment calls by deadline. */
  taskPriority?: TaskPriorityConfig;
  /** Known once the order is paid. */
  deadlines?: {
    readyToShipBy: string;
    carrierScanBy: string;
    remorseEndsAt: string;
    /** When a missing end-of-window webhook is presumed lost and the order is read back (absent in older histories). */
    remorseCheckAt?: string;
    escalations: { offset: string; fireAt: string }[];
    /** Where the carrier-scan deadline came from: TikTok's tts_sla_time or our dispatch policy. */
    source: 'tts_sla_time' | 'dispatch_policy';
  };
}

/** A line item (one unit) held on its product's inventory feed from hand-off until shipped or cancelled. */
export interface HeldOrderLine {
  lineItemId: string;
  sellerSku: string;
  /** TikTok product id: the feed is `inventory:<shopId>:<productId>`. */
  productId: string;
}
