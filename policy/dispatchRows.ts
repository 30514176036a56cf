/**
 * Dispatch SLA, auto-cancel and fulfilment-metric thresholds as effective-dated rows, plus the deadline
 * calculator that reads them through `policy()`. Every platform number lives in DISPATCH_ROWS; the code only
 * knows how to combine them. Each row names its public source: TikTok's US seller pages (seller-us.tiktok.com, with
 * the page revision where one is printed), the Partner API pages (docs/tiktok-shop-api-sources.md §5), or the
 * vendor (V) or third-party (3p) page a number comes from. Rows whose value rests on a third party, a single source
 * or an unverified reading carry `uncertain: true` and are meant to be overridden by a newer row.
 *
 * Rows from official pages that carry no revision date use effectiveFrom 2023-09-01, the date the region rows
 * use (policy/regions.ts); rows from a dated page revision use that date.
 */
import type { PolicyRow } from './table';

const SLA_PAGE = `seller-us.tiktok.com "What is the fulfillment requirement (SLA) for shipping orders?" (O)`;
const SLA = SLA_PAGE;
const HANDLING = 'Handling-time ranges: polici.net change summary of the seller-us.tiktok.com fulfillment policy';
const LDR_0109 = 'seller-us.tiktok.com "Guide to Late Dispatch Rate (LDR)" rev. 2026-01-09';
const LDR_0302 = 'seller-us.tiktok.com "Guide to Late Dispatch Rate (LDR)" rev. 2026-03-02';
const UNDATED = '2023-09-01';

/** A handling-time option's allowed range as the seller sets it. */
export interface HandlingRange {
  min: number;
  max: number;
  unit: 'businessDays' | 'calendarDays';
}

export const DISPATCH_ROWS: PolicyRow[] = [
  // --- The dispatch clock -------------------------------------------------------------------------------
  {
    region: 'US',
    key: 'dispatch.sla.businessDays',
    value: 2,
    effectiveFrom: UNDATED,
    source: `${SLA}: "within 2 business days from the order date"`,
  },
  {
    region: 'US',
    key: 'dispatch.sla.businessDays',
    value: 2,
    effectiveFrom: '2026-03-02',
    source: `${LDR_0302}: dispatch = carrier scan (In Transit) within 2 business days`,
  },
  {
    // What has to happen by the deadline. Before the 2026-03-02 LDR revision a tracking upload (the move to
    // AWAITING_COLLECTION, `rts_sla_time`) counted; from it, the carrier's first scan (IN_TRANSIT).
    region: 'US',
    key: 'dispatch.sla.event',
    value: 'AWAITING_COLLECTION',
    effectiveFrom: UNDATED,
    source: `Get Order Detail rts_sla_time, https://partner.tiktokshop.com/docv2/page/6894134ba28e5204961601a5 (missing the move to AWAITING_COLLECTION is late dispatch); ${LDR_0109} (tracking upload); start date of this meaning not published`,
    uncertain: true,
  },
  {
    region: 'US',
    key: 'dispatch.sla.event',
    value: 'IN_TRANSIT',
    effectiveFrom: '2026-03-02',
    source: `${LDR_0302}: carrier scan (In Transit), not a tracking upload`,
  },
  {
    region: 'US',
    key: 'dispatch.cutoff.localTime',
    value: '23:59',
    effectiveFrom: UNDATED,
    source: `${SLA}: "Cut-off: 11:59 PM PST" (deadline = the whole minute, 23:59:59.999 local)`,
  },
  {
    // The page says "PST"; we read it as Pacific local time (PDT in summer), as regions.ts does. A literal,
    // year-round UTC−8 reading is one override row away: value 'Etc/GMT+8'.
    region: 'US',
    key: 'dispatch.timezone',
    value: 'America/Los_Angeles',
    effectiveFrom: UNDATED,
    source: `${SLA}: "11:59 PM PST" read as Pacific local time (DST-aware)`,
    uncertain: true,
  },
  {
    region: 'US',
    key: 'dispatch.calendar.weekendDays',
    value: [0, 6],
    effectiveFrom: UNDATED,
    source: `${SLA}: "Business days exclude Saturdays, Sundays, or U.S. federal holidays"`,
  },
  {
    // 'us-federal-observed' (weekend holidays moved to Friday/Monday) or 'us-federal-actual' (legal dates only).
    region: 'US',
    key: 'dispatch.calendar.holidays',
    value: 'us-federal-observed',
    effectiveFrom: UNDATED,
    source: `${SLA}: "U.S. federal holidays"; the page does not say whether observed dates count (observed assumed)`,
    uncertain: true,
  },
  {
    // 'orderDateIsDayZero': Sat order → Tue; 'nextBusinessDayIsDayZero': Sat order → Wed (policy/businessCalendar.ts).
    region: 'US',
    key: 'dispatch.nonBusinessDayOrder',
    value: 'orderDateIsDayZero',
    effectiveFrom: UNDATED,
    source: `${SLA}: "from the order date" (weekend orders not addressed); order date = day 0 as in sellerops.io/tokhq.io worked examples (3p) and emulators/tiktok-shop`,
    uncertain: true,
  },
  {
    region: 'US',
    key: 'dispatch.preOrder.afterClose.businessDays',
    value: 1,
    effectiveFrom: UNDATED,
    source: `${SLA}: pre-order "Within 1 business day after the Pre-Order closure date"`,
  },

  // --- Handling-time options (what the seller may set) ---------------------------------------------------
  {
    region: 'US',
    key: 'handling.standard',
    value: { min: 1, max: 2, unit: 'businessDays' } satisfies HandlingRange,
    effectiveFrom: UNDATED,
    source: `${HANDLING}: shop default 1–2 BD (O via diff service, single source)`,
    uncertain: true,
  },
  {
    region: 'US',
    key: 'handling.backorder',
    value: { min: 3, max: 15, unit: 'businessDays' } satisfies HandlingRange,
    effectiveFrom: UNDATED,
    source: `${HANDLING}: Backorder 3–15 BD (O via diff service, single source)`,
    uncertain: true,
  },
  {
    region: 'US',
    key: 'handling.custom',
    value: { min: 3, max: 7, unit: 'businessDays' } satisfies HandlingRange,
    effectiveFrom: UNDATED,
    source: `${HANDLING}: Custom 3–7 BD (O via diff service, single source)`,
    uncertain: true,
  },
  {
    region: 'US',
    key: 'handling.madeToOrder',
    value: { min: 3, max: 14, unit: 'businessDays' } satisfies HandlingRange,
    effectiveFrom: UNDATED,
    source: `${HANDLING}: Made-to-order 3–14 BD (O via diff service, single source)`,
    uncertain: true,
  },
  {
    region: 'US',
    key: 'handling.preOrder',
    value: { min: 3, max: 60, unit: 'calendarDays' } satisfies HandlingRange,
    effectiveFrom: UNDATED,
    source: `${HANDLING}: Pre-order 3–60 calendar days (O via diff service, single source); Get Order Detail handling_duration{days,type}, https://partner.tiktokshop.com/docv2/page/6894134ba28e5204961601a5`,
    uncertain: true,
  },

  // --- Buyer remorse and auto-cancel ---------------------------------------------------------------------
  {
    region: 'US',
    key: 'order.remorseWindow.minutes',
    value: 60,
    effectiveFrom: UNDATED,
    source:
      'Order API overview, https://partner.tiktokshop.com/docv2/page/650b1b4bbace3e02b76d1011 (ON_HOLD → AWAITING_SHIPMENT 1 hour after payment); buyer cancel window 1 h (V: Pipe17, Rithum, SKU IQ and Shiptheory guides)',
  },
  {
    region: 'US',
    key: 'order.autoCancel.businessDays',
    value: 7,
    effectiveFrom: UNDATED,
    source: `${SLA}: auto-cancel when not "Awaiting collection" 7 business days from the order date (regular orders)`,
  },
  {
    region: 'US',
    key: 'order.autoCancel.afterHandling.businessDays',
    value: 4,
    effectiveFrom: UNDATED,
    source: `${SLA}: made-to-order / backorder / custom handling: auto-cancel 4 business days from the dispatch SLA`,
  },
  {
    region: 'US',
    key: 'order.autoCancel.afterPreOrder.businessDays',
    value: 5,
    effectiveFrom: UNDATED,
    source: `${SLA}: pre-order: auto-cancel 5 business days from the dispatch SLA`,
  },

  // --- Deliver-by (data for delivery tracking; not used by dispatchDeadline) -----------------------------
  {
    region: 'US',
    key: 'delivery.sla.businessDays',
    value: 6,
    effectiveFrom: UNDATED,
    source: `${SLA}: regular orders delivered within 6 business days from the order date`,
  },
  {
    region: 'US',
    key: 'delivery.afterHandling.businessDays',
    value: 5,
    effectiveFrom: UNDATED,
    source: `${SLA}: handling-time orders delivered within handling time + 5 business days from the order date`,
  },
  {
    region: 'US',
    key: 'delivery.afterPreOrderClose.businessDays',
    value: 6,
    effectiveFrom: UNDATED,
    source: `${SLA}: pre-orders delivered within 6 business days from the pre-order closure date`,
  },

  // --- Fulfilment metrics (seller-us.tiktok.com LDR, VTR and SFCR guides) ---------------------------------
  {
    region: 'US',
    key: 'ldr.recommendedMax',
    value: 0.04,
    effectiveFrom: '2026-01-09',
    source: `${LDR_0109}: "≤4% required" (earliest revision consulted)`,
  },
  {
    region: 'US',
    key: 'ldr.recommendedMax',
    value: 0.04,
    effectiveFrom: '2026-03-02',
    source: `${LDR_0302}: ≤4% "recommended"`,
  },
  {
    region: 'US',
    key: 'ldr.enforcementAbove',
    value: 0.04,
    effectiveFrom: '2026-01-09',
    source: `${LDR_0109}: "≤4% required", so enforcement above 4% (earliest revision consulted)`,
  },
  {
    region: 'US',
    key: 'ldr.enforcementAbove',
    value: 0.1,
    effectiveFrom: '2026-03-02',
    source: `${LDR_0302}: enforcement starts when LDR > 10%`,
  },
  {
    region: 'US',
    key: 'ldr.window.days',
    value: 7,
    effectiveFrom: '2026-01-09',
    source: 'the LDR guide (seller-us.tiktok.com) states no window; 7-day rolling per tiktok.devcloudsoftware.com (3p)',
    uncertain: true,
  },
  {
    region: 'US',
    key: 'vtr.min',
    value: 0.95,
    effectiveFrom: '2025-10-31',
    source: 'seller-us.tiktok.com "Guide to Valid Tracking Rate" (2025-10-31): ≥95%',
  },
  {
    region: 'US',
    key: 'vtr.minCarrierScans',
    value: 2,
    effectiveFrom: '2025-10-31',
    source: 'at least 2 carrier scans (sellerops.io, 3p)',
    uncertain: true,
  },
  {
    region: 'US',
    key: 'vtr.window.days',
    value: { min: 14, max: 21 },
    effectiveFrom: '2025-10-31',
    source: 'window of roughly 14–21 days (sellerops.io, 3p)',
    uncertain: true,
  },
  {
    region: 'US',
    key: 'sfcr.max',
    value: 0.025,
    effectiveFrom: UNDATED,
    source: 'seller-us.tiktok.com "Guide to SFCR": ≤2.5% (auto-cancellation for a missed SLA counts)',
  },
  {
    region: 'US',
    key: 'sfcr.window.days',
    value: 30,
    effectiveFrom: UNDATED,
    source: 'rolling 30 days (3p, not confirmed by the SFCR guide)',
    uncertain: true,
  },

  // --- Our own product defaults ---------------------------------------------------------------------------
  {
    region: 'US',
    key: 'escalation.offsets',
    value: ['24h', '12h', '4h'],
    effectiveFrom: UNDATED,
    source:
      'product decision: escalate 24 h, 12 h and 4 h before the dispatch deadline (SellerOps T-24/12/4 h precedent, sellerops.io)',
  },
];
