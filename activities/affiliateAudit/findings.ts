import {
  createAffiliateFindingsRepository,
  type AuditScope,
  type CreatorTargets,
  type OrderCursor,
} from '../../db/affiliateFindings';
import type { AuditSummary } from '../../workflows/affiliateAudit/messages';
import type { AffiliateAuditDeps } from './deps';

/**
 * Steps: open the audit's record, compute the findings page by page in PostgreSQL (the lines never come back here:
 * counts and cursors do), close the record.
 */
export function createAuditFindingActivities(deps: Pick<AffiliateAuditDeps, 'db'>) {
  const repo = createAffiliateFindingsRepository(deps.db);
  return {
    /** The audit's row (re)opened and the period's earlier findings cleared: a re-run computes them again whole. */
    async beginAffiliateAudit(input: AuditScope & { workflowId: string }): Promise<void> {
      await repo.beginAudit(input, input.workflowId);
    },

    /** Line findings of the next page of orders after `after`; `next` is undefined when no order is left. */
    async findAffiliateLineFindings(
      input: AuditScope & { after?: OrderCursor; pageOrders: number },
    ): Promise<{ next?: OrderCursor; lines: number }> {
      return repo.findLinePage(input, input.after, input.pageOrders);
    },

    /** Creator vetting and findings of the next page of creators after `after`; `next` undefined when none is left. */
    async findAffiliateCreatorFindings(
      input: AuditScope & { targets: CreatorTargets; after: string; pageCreators: number },
    ): Promise<{ next?: string; creators: number }> {
      return repo.findCreatorPage(input, input.targets, input.after, input.pageCreators);
    },

    async finishAffiliateAudit(
      input: AuditScope & {
        status: 'awaiting_decisions' | 'completed';
        summary?: Omit<AuditSummary, 'actions'>;
        linesSeen: number;
      },
    ): Promise<void> {
      await repo.finishAudit(input.shopId, input.periodKey, input.status, input.summary ?? {}, input.linesSeen);
    },

    /** Nobody decided the action within the shop's decision window. */
    async expireAffiliateAction(input: { actionId: string }): Promise<void> {
      const row = await repo.getAction(input.actionId);
      if (row?.status === 'proposed') await repo.markAction(input.actionId, 'expired');
    },
  };
}
