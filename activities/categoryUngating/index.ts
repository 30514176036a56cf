import { createUngatingApplicationActivities, type UngatingActivityDeps } from './application';
import { createAuditReasonActivities, type AuditReasonDeps } from './auditReasons';

export type { UngatingActivityDeps } from './application';

/**
 * The categoryUngating workflow's own activities (vault check, packet, records, notices: ./application.ts). The
 * platform's (Get Category Rules, certifications on products: ./platform.ts) are registered beside them in
 * activities/index.ts; settings and human steps are the shared case activities.
 */
export function createCategoryUngatingActivities(deps: UngatingActivityDeps & AuditReasonDeps) {
  return {
    ...createUngatingApplicationActivities(deps),
    ...createAuditReasonActivities(deps),
  };
}

export type CategoryUngatingActivities = ReturnType<typeof createCategoryUngatingActivities>;
