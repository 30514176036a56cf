// Workflow ids derived from business keys, so duplicate starts collapse onto one execution.
// No imports: the API, activities and workflows all share these.
export const shopWorkflowId = (shopId: string): string => `shop:${shopId}`;
export const orderWorkflowId = (shopId: string, orderId: string): string => `order:${shopId}:${orderId}`;
export const inventoryFeedWorkflowId = (shopId: string, productId: string): string =>
  `inventory:${shopId}:${productId}`;
export const catalogImportWorkflowId = (shopId: string, importId: string): string =>
  `catalog-import:${shopId}:${importId}`;
/** One return (or refund) request of a shop: its returnRequest workflow. */
export const returnWorkflowId = (shopId: string, returnId: string): string => `return:${shopId}:${returnId}`;
/** The per-shop Schedule of orderReconciliation; each firing's workflow id is this plus the firing time. */
export const orderReconciliationScheduleId = (shopId: string): string => `reconcile-orders:${shopId}`;
/** The per-shop Schedule of returnReconciliation (interval: the shop's `reconciliation.returnsEvery` setting). */
export const returnReconciliationScheduleId = (shopId: string): string => `reconcile-returns:${shopId}`;
/**
 * The outward delivery of one stored notification. Its row id is a serial of this installation's database, so the
 * deployment's task queue is part of the id: installations (and test stacks) sharing a Temporal namespace each have a
 * notification 1, and one must not find the other's delivery already started (REJECT_DUPLICATE) and skip its own.
 */
export const notificationDeliveryWorkflowId = (taskQueue: string, notificationId: string): string =>
  `notification:${taskQueue}:${notificationId}`;
/**
 * The Schedule of the retention workflow (deletes old dead letters, inbox rows and warehouse payloads): one per task
 * queue, i.e. per deployment, so installations sharing a Temporal namespace (and their payload keys) never update or
 * decode each other's Schedule.
 */
export const retentionScheduleId = (taskQueue: string): string => `retention:${taskQueue}`;
/** The connection of the shops a seller authorized: one per consent link (its single-use `state`). */
export const shopConnectionWorkflowId = (state: string): string => `shop-connection:${state}`;
/** An evidence bundle built on request; one at a time per case (a second request while one runs joins it). */
export const evidenceBundleWorkflowId = (shopId: string, caseKind: string, caseId: string): string =>
  `evidence-bundle:${shopId}:${caseKind}:${caseId}`;
/** One chargeback of a shop (the id its notice gives it): its chargeback workflow. */
export const chargebackWorkflowId = (shopId: string, chargebackId: string): string =>
  `chargeback:${shopId}:${chargebackId}`;
/** The appeal of one decided after-sale dispute (the dispute's id): its disputeAppeal workflow. */
export const disputeAppealWorkflowId = (shopId: string, disputeId: string): string =>
  `dispute-appeal:${shopId}:${disputeId}`;
/** The affiliate commission audit of one shop and period (`2026-11`, `2026-11-23..2026-11-30`). */
export const affiliateAuditWorkflowId = (shopId: string, periodKey: string): string =>
  `affiliate-audit:${shopId}:${periodKey}`;
/** A shop's affiliate audit Schedule of one cadence; each firing starts the audit of the period it covers. */
export const affiliateAuditScheduleId = (shopId: string, cadence: 'weekly' | 'monthly'): string =>
  `affiliate-audit-${cadence}:${shopId}`;
/** A shop's account health (issue 17): one long-lived accountHealth workflow per shop. */
export const accountHealthWorkflowId = (shopId: string): string => `account-health:${shopId}`;
/**
 * The per-shop daily Schedule of account health: each firing runs a short accountHealth run (mode `daily`) whose
 * workflow id is this plus the firing time; it asks the shop's account-health workflow for the day's snapshot.
 */
export const accountHealthDailyScheduleId = (shopId: string): string => `account-health-daily:${shopId}`;
/**
 * The per-shop daily Schedule of the certificate vault's expiry check (issue 19): each firing runs a short
 * certificateExpiry workflow whose id is this plus the firing time.
 */
export const certificateExpiryScheduleId = (shopId: string): string => `certificate-expiry:${shopId}`;
/** A shop's application for one gated category (issue 19): its categoryUngating workflow, re-qualifying in place. */
export const categoryUngatingWorkflowId = (shopId: string, categoryId: string): string =>
  `ungating:${shopId}:${categoryId}`;
/** The appeal of one suspension (or restriction) notice of a shop (issue 18): its suspensionAppeal workflow. */
export const suspensionAppealWorkflowId = (shopId: string, noticeId: string): string => `appeal:${shopId}:${noticeId}`;
/** A shop's tax-history backfill (issue 20): the Finance API walked back month by month at the lowest priority. */
export const taxBackfillWorkflowId = (shopId: string): string => `tax-backfill:${shopId}`;
/** A shop's monthly sales-tax report of one month (`YYYY-MM`, in the shop's tax time zone): monthlyTaxReport. */
export const taxReportWorkflowId = (shopId: string, period: string): string => `tax-report:${shopId}:${period}`;
/**
 * A shop's monthly tax report Schedule (the 1st of each month in the shop's tax time zone); each firing runs a short
 * monthlyTaxReport run (no period) that starts `tax-report:<shopId>:<month before>` and ends.
 */
export const taxReportScheduleId = (shopId: string): string => `tax-report-monthly:${shopId}`;
