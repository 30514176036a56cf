import type { AppConfig } from '../../config';
import type { Db } from '../../db/knex';
import type { Notifier } from '../../notifications/notifier';
import type { Keyring } from '../../secrets/keyring';
import { createAppealContentActivities } from './content';
import { createSuspensionAppealRecordActivities } from './record';

/**
 * The suspension appeal's activities, by step: whether we appeal the notice, its evidence, the drafted Plan of Action
 * and its PDF (content.ts, evidence.ts); the appeal's record, its versions and its notifications (record.ts).
 */
export function createSuspensionAppealActivities(deps: {
  cfg: Pick<AppConfig, 'FILE_MAX_BYTES' | 'FILE_RETENTION_DAYS'>;
  db: Db;
  notifier: Pick<Notifier, 'notify'>;
  secretsKeyring?: Keyring;
}) {
  return {
    ...createAppealContentActivities(deps),
    ...createSuspensionAppealRecordActivities(deps),
  };
}

export type SuspensionAppealActivities = ReturnType<typeof createSuspensionAppealActivities>;
