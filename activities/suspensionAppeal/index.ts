import type { Db } from '../../db/knex';
import type { Notifier } from '../../notifications/notifier';
import type { AppealContentActivities } from './contract';
import { createSuspensionAppealRecordActivities } from './record';

/** The suspension appeal's activities, by step: the record (record.ts); eligibility, evidence, draft and PDF (contract.ts). */
export function createSuspensionAppealActivities(deps: { db: Db; notifier: Pick<Notifier, 'notify'> }) {
  return {
    ...createSuspensionAppealRecordActivities(deps),
  };
}

export type SuspensionAppealActivities = ReturnType<typeof createSuspensionAppealActivities> & AppealContentActivities;
