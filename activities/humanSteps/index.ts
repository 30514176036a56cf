import type { Db } from '../../db/knex';
import { createHumanStepRepository, type CloseHumanStepRecord, type OpenHumanStepRecord } from '../../db/humanSteps';

export type { HumanStepOutcome, HumanStepSeverity } from '../../db/humanSteps';

/** A decision a person takes inside a workflow, answered by the update `updateName` (docs/case-contract.md). */
export type OpenHumanStepInput = OpenHumanStepRecord;
export type CloseHumanStepInput = CloseHumanStepRecord;

/**
 * The human-step record of every process (table human_steps): opened when a workflow starts waiting for a person,
 * closed when it stops. Both are idempotent (a retried activity changes nothing more), PostgreSQL only, so workflows
 * may run them as local activities.
 */
export function createHumanStepActivities(deps: { db: Db }) {
  const steps = createHumanStepRepository(deps.db);
  return {
    /** Opens the step (once per workflow id + step key); an open step opened again takes the new due time etc. */
    async openHumanStep(input: OpenHumanStepInput): Promise<{ stepId: string }> {
      return { stepId: await steps.open(input) };
    },

    /** Closes the step if it is still open. */
    async closeHumanStep(input: CloseHumanStepInput): Promise<void> {
      await steps.close(input);
    },
  };
}

export type HumanStepActivities = ReturnType<typeof createHumanStepActivities>;
