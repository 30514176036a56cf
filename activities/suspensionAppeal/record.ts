import type { Db } from '../../db/knex';
import {
  createSuspensionAppealRepository,
  type AppealVersionRecord,
  type SuspensionAppealRecord,
} from '../../db/suspensionAppeals';
import { pageCase } from '../../notifications/casePage';
import type { Notifier, Severity } from '../../notifications/notifier';

/**
 * The appeal's record (migration 035): the appeal's row as the workflow last saw it, each Plan of Action version once,
 * and its notifications (deduplicated per appeal and kind, naming who is paged).
 */
export function createSuspensionAppealRecordActivities(deps: { db: Db; notifier: Pick<Notifier, 'notify'> }) {
  const appeals = createSuspensionAppealRepository(deps.db);
  return {
    async recordSuspensionAppeal(input: SuspensionAppealRecord): Promise<void> {
      await appeals.upsertAppeal(input);
    },

    /** Stores a version of the plan; a retry stores nothing new (a version is never rewritten). */
    async recordAppealVersion(input: AppealVersionRecord): Promise<void> {
      await appeals.addVersion(input);
    },

    async notifySuspensionAppeal(input: {
      shopId: string;
      noticeId: string;
      kind: string;
      severity: Severity;
      title: string;
      body: string;
      recipients: string[];
    }): Promise<void> {
      await pageCase(deps.notifier, {
        ...input,
        dedupKey: `suspension_appeal:${input.shopId}:${input.noticeId}:${input.kind}`,
        kind: `suspension_appeal_${input.kind.split(':')[0]}`,
      });
    },
  };
}
