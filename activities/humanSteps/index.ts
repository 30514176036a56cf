import type { Db } from '../../db/knex';
import { createHumanStepRepository, type HumanStepOutcome, type HumanStepSeverity } from '../../db/humanSteps';

export type { HumanStepOutcome, HumanStepSeverity } from '../../db/humanSteps';

/** A decision a person takes inside a workflow, answered through the Temporal update `updateName` (docs/case-contract.md). */
export interface OpenHumanStepInput {
  shopId: string;
  /** The case the step belongs to: `order_cancellation`, `order_dispatch`, `return`, … */
  caseKind: string;
  caseId: string;
  workflowId: string;
  /** Unique within the workflow, e.g. `cancellation:<cancelId>`, `decide:SELLER_RESPOND_REFUND`. */
  stepKey: string;
  updateName: string;
  title: string;
  /** JSON Schema of the body a person sends (the API adds `decidedBy`); the workflow's validator is what checks it. */
  inputSchema: object;
  /** What the person needs to decide: allowed decisions, reject reasons, amounts, deadlines. */
  context?: object;
  /** ISO time the decision is due; null: none (a step waiting for a party that sets no deadline). */
  dueAt: string | null;
  severity?: HumanStepSeverity;
}

export interface CloseHumanStepInput {
  workflowId: string;
  stepKey: string;
  outcome: HumanStepOutcome;
  /** Who decided (the update's `decidedBy`); absent for the process's own outcomes. */
  decidedBy?: string;
  /** ISO; default: now when `decidedBy` is given. */
  decidedAt?: string;
  /** What was decided (the update's input without `decidedBy`, or the rule's choice). */
  decision?: unknown;
}

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
