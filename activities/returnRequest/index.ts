import { createReturnDecisionActivities } from './decide';
import type { ReturnActivityDeps } from './deps';
import { createReturnReadActivities } from './read';
import { createReturnRecordActivities } from './record';

export type { ReturnActivityDeps } from './deps';

/**
 * The returnRequest workflow's activities, one factory per step: read the return and its reject reasons, send the
 * decision to TikTok, record the case and its decisions and page people. Settings, human steps and evidence uploads
 * are the shared case activities (activities/shopSettings, activities/humanSteps, activities/storedFiles).
 */
export function createReturnRequestActivities(deps: ReturnActivityDeps) {
  return {
    ...createReturnReadActivities(deps),
    ...createReturnDecisionActivities(deps),
    ...createReturnRecordActivities(deps),
  };
}

export type ReturnRequestActivities = ReturnType<typeof createReturnRequestActivities>;
