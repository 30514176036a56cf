import { createDisputeCaseRepository, type DisputeCaseRecord } from '../../db/disputeCases';
import type { Db } from '../../db/knex';
import { pageCase } from '../../notifications/casePage';
import type { Notifier, Severity } from '../../notifications/notifier';

/** What the dispute cases' activities reach: the database and the notifier. */
export interface DisputeCaseActivityDeps {
  db: Db;
  notifier: Pick<Notifier, 'notify'>;
}

/**
 * The activities of a chargeback (and of an appeal: workflows/shared/disputeCase.ts runs both): record the case
 * (dispute_cases) and page people. The evidence is the shared evidence activities' (workflows/shared/evidence.ts),
 * settings and human steps the shared case activities'.
 */
export function createChargebackActivities(deps: DisputeCaseActivityDeps) {
  const cases = createDisputeCaseRepository(deps.db);
  return {
    async recordDisputeCase(input: DisputeCaseRecord): Promise<void> {
      await cases.upsertCase(input);
    },

    /**
     * A notification, deduplicated per case and kind (a retried activity pages once), naming who is paged (shop
     * settings `paging`).
     */
    async notifyDispute(input: {
      shopId: string;
      caseKind: DisputeCaseRecord['caseKind'];
      caseId: string;
      kind: string;
      severity: Severity;
      title: string;
      body: string;
      recipients: string[];
    }): Promise<void> {
      await pageCase(deps.notifier, {
        ...input,
        dedupKey: `${input.caseKind}:${input.shopId}:${input.caseId}:${input.kind}`,
        kind: `${input.caseKind}_${input.kind.split(':')[0]}`,
      });
    },
  };
}

export type ChargebackActivities = ReturnType<typeof createChargebackActivities>;
