// Business rules of the emulated platform. Every duration is in business-clock milliseconds unless the
// name says otherwise. Defaults follow the reference; each one can be overridden per emulator instance.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface BusinessRules {
  /** ON_HOLD "remorse" window after payment. ref §5.3: 1 hour. */
  remorseWindowMs: number;
  /** An UNPAID order is cancelled by the system after this long (payment retries last 24 h, US SLA page). */
  unpaidTimeoutMs: number;
  /** US dispatch SLA in business days (US SLA page: 2 BD, cut-off 11:59 PM Pacific). */
  dispatchSlaBusinessDays: number;
  /** Auto-cancel when not AWAITING_COLLECTION this many business days after the order date (US SLA page: 7). */
  autoCancelBusinessDays: number;
  /** Deliver-by in business days (US SLA page: 6). */
  deliverySlaBusinessDays: number;
  /** Emulator choice (not documented): collection_due_time, reported only. */
  collectionDueBusinessDays: number;
  /** Emulator choice (not documented): delivery_due_time, reported only. */
  deliveryDueBusinessDays: number;
  /** When set, replaces the calendar computation: dispatch deadline = order time + this many ms. */
  dispatchSlaOverrideMs: number | null;
  /** When set, replaces the calendar computation: auto-cancel = order time + this many ms. */
  autoCancelOverrideMs: number | null;
  /** DELIVERED → COMPLETED after this long (14 days after delivery: CedCommerce order-status docs). */
  completeAfterDeliveryMs: number;
  /**
   * Seller has this long to answer a return/refund request before auto-approval (48 h: help.commentsold.com "How
   * Returns Work with TikTok").
   */
  returnResponseWindowMs: number;
  /**
   * The buyer may escalate a seller's rejection to platform arbitration for this long (10 days: the TikTok Shop US
   * seller page "After-Sale Dispute Escalation Policy", 2025-10-30). Later escalations are refused by the admin API.
   */
  arbitrationEscalationWindowMs: number;
  /** Seller has this long to answer a buyer cancellation request before auto-approval (emulator default 48 h). */
  cancellationResponseWindowMs: number;
  /** Activating a product sends it back to audit (ref §7.2 Activate Product: → PENDING → ACTIVATE). */
  reauditOnActivate: boolean;
  /** How long the audit takes on the business clock. */
  auditDurationMs: number;
  /** Update Inventory accepts quantity 0 (spec says [1, 99999]; ref §15 marks this uncertain). */
  allowZeroInventory: boolean;
  /** Upper bound of the Update Inventory quantity (ref §7.2). */
  maxInventoryQuantity: number;
  /** Stock at or below this (and above 0) is reported as LOW_STOCK in webhook 27. */
  lowStockThreshold: number;
  /** Cancelled orders give their units back to the warehouse they came from. */
  restockOnCancel: boolean;
  /** Order status value used in webhook type 1 for cancelled orders (ref §15: doc enum says CANCEL). */
  webhookCancelledStatus: 'CANCEL' | 'CANCELLED';
  /** Access token lifetime (ref §3.2: 7 days). */
  accessTokenTtlMs: number;
  /** Refresh token lifetime (ref §3.2: undocumented; ~365 days per third parties). */
  refreshTokenTtlMs: number;
  /** auth_code lifetime (ref §3.1: 30 minutes, single use). */
  authCodeTtlMs: number;
  /**
   * When set, a category application (POST /__admin/categories/applications) is decided by itself this long after it
   * is submitted, by its script's next outcome (categories.ts). TikTok publishes no review time; null: only
   * POST /__admin/categories/decide decides.
   */
  categoryReviewMs: number | null;
}

export const DEFAULT_RULES: BusinessRules = {
  remorseWindowMs: HOUR,
  unpaidTimeoutMs: DAY,
  dispatchSlaBusinessDays: 2,
  autoCancelBusinessDays: 7,
  deliverySlaBusinessDays: 6,
  collectionDueBusinessDays: 10,
  deliveryDueBusinessDays: 15,
  dispatchSlaOverrideMs: null,
  autoCancelOverrideMs: null,
  completeAfterDeliveryMs: 14 * DAY,
  // Also the window for confirming receipt of a returned package (SELLER_RESPOND_RECEIVE_PACKAGE): no public source
  // gives that one a different length (the seller pages say only that the platform may approve it), so it reuses this.
  returnResponseWindowMs: 48 * HOUR,
  arbitrationEscalationWindowMs: 10 * DAY,
  cancellationResponseWindowMs: 48 * HOUR,
  reauditOnActivate: true,
  auditDurationMs: 10 * MINUTE,
  allowZeroInventory: true,
  maxInventoryQuantity: 99_999,
  lowStockThreshold: 5,
  restockOnCancel: true,
  webhookCancelledStatus: 'CANCEL',
  accessTokenTtlMs: 7 * DAY,
  refreshTokenTtlMs: 365 * DAY,
  authCodeTtlMs: 30 * MINUTE,
  categoryReviewMs: null,
};
