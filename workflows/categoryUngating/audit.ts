// Reading TikTok's product audit (type-37 webhooks, PRODUCT_AUDIT_STATUS_CHANGE) and the re-qualification clock.
// Pure and sandbox-safe.
import type { ProductAuditEvent } from './messages';

export type AuditVerdict = 'pending' | 'approved' | 'failed';

/**
 * What an audit status says: APPROVED passes, FAILED fails; AUDITING and PRE_APPROVED (with
 * `pre_approved_reasons` RESTRICTED_CATEGORY_PENDING: the listing waits for the category's qualification) wait.
 * The statuses of webhook 37 as integrations/tiktok/webhooks.ts parses them (reference §11.4).
 */
export function auditVerdict(status: string): AuditVerdict {
  const s = status.toUpperCase();
  if (s === 'APPROVED') return 'approved';
  if (s === 'FAILED' || s === 'REJECTED') return 'failed';
  return 'pending';
}

/**
 * The category's decision read from the audits of its products after a submission: one approved product means the
 * category is open to the shop; otherwise a failed audit is a rejection (its reasons); else undecided.
 */
export function decisionFromAudits(
  events: readonly ProductAuditEvent[],
): { decision: 'approved' | 'rejected'; reasons: string[]; productId: string } | undefined {
  const approved = events.find((e) => auditVerdict(e.status) === 'approved');
  if (approved) return { decision: 'approved', reasons: [], productId: approved.productId };
  const failed = events.find((e) => auditVerdict(e.status) === 'failed');
  if (failed)
    return {
      decision: 'rejected',
      reasons: failed.reasons?.length ? failed.reasons : [`product ${failed.productId} failed its audit`],
      productId: failed.productId,
    };
  return undefined;
}

/** The earliest expiry day (YYYY-MM-DD) of the documents, or undefined when none expires. */
export function earliestExpiry(documents: readonly { expiresOn?: string }[]): string | undefined {
  return documents
    .map((d) => d.expiresOn)
    .filter((d): d is string => d !== undefined)
    .sort()[0];
}

/** When re-qualification starts: `beforeMs` before the start (UTC) of the earliest expiry day, never before now. */
export function requalifyAtMs(expiry: string, beforeMs: number, nowMs: number): number {
  return Math.max(nowMs, Date.parse(`${expiry}T00:00:00.000Z`) - beforeMs);
}
