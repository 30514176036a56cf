import { createReturnCaseRepository, type ReturnCaseRecord, type ReturnDecisionRow } from '../../db/returnCases';
import { pageCase } from '../../notifications/casePage';
import type { Severity } from '../../notifications/notifier';
import type { ReturnActivityDeps } from './deps';

/** Step: record the return and its decisions (return_cases, return_decisions) and page people before the deadline. */
export function createReturnRecordActivities(deps: Pick<ReturnActivityDeps, 'db' | 'notifier'>) {
  const cases = createReturnCaseRepository(deps.db);
  return {
    async recordReturnCase(input: ReturnCaseRecord): Promise<void> {
      await cases.upsertCase(input);
    },

    async recordReturnDecision(input: ReturnDecisionRow): Promise<void> {
      await cases.recordDecision(input);
    },

    /**
     * A notification (deduplicated per return and kind: a retried activity pages once) naming who is paged: the
     * shop's paging recipients for the severity (shop settings `paging`).
     */
    async notifyReturn(input: {
      shopId: string;
      returnId: string;
      kind: string;
      severity: Severity;
      title: string;
      body: string;
      recipients: string[];
    }): Promise<void> {
      await pageCase(deps.notifier, {
        ...input,
        dedupKey: `return:${input.shopId}:${input.returnId}:${input.kind}`,
        kind: `return_${input.kind.split(':')[0]}`,
      });
    },
  };
}
