import { withLivenessHeartbeat } from '../../temporal/activityLiveness';
import { createAuditActionActivities } from './act';
import type { AffiliateAuditDeps } from './deps';
import { createAuditFindingActivities } from './findings';
import { createAuditProposalActivities } from './propose';

export type { AffiliateAuditDeps } from './deps';

/**
 * The affiliateAudit workflow's activities, one factory per step: the findings (SQL over the period's rows, page by
 * page), the proposed actions, and each approved action on TikTok. The sync of the period is the affiliate data's
 * (activities/affiliateSync/); settings and human steps are the shared case activities.
 */
export function createAffiliateAuditActivities(deps: AffiliateAuditDeps) {
  return {
    ...createAuditFindingActivities(deps),
    ...createAuditProposalActivities(deps),
    // Its TikTok calls heartbeat: a worker killed between the call and the record is noticed within seconds.
    ...withLivenessHeartbeat(createAuditActionActivities(deps)),
  };
}

export type AffiliateAuditActivities = ReturnType<typeof createAffiliateAuditActivities>;
