// The human-step record as workflows reach it (docs/case-contract.md): open a step when the workflow starts waiting
// for a person, close it when it stops waiting; and the two refusals every human-step update's validator uses.
import { ApplicationFailure, proxyLocalActivities } from '@temporalio/workflow';
import type {
  CloseHumanStepInput,
  HumanStepActivities,
  HumanStepOutcome,
  OpenHumanStepInput,
} from '../../activities/humanSteps';
import { DEADLINE_PASSED, INVALID_DECISION } from './failureTypes';

export type { CloseHumanStepInput, HumanStepOutcome, OpenHumanStepInput } from '../../activities/humanSteps';

/** PostgreSQL-only and idempotent: local activities (one marker each, no activity task on the server). */
export const humanStepActivities = proxyLocalActivities<HumanStepActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** A validator's refusal of input that is not an allowed decision (the API answers 422 with `message`). */
export function invalidDecision(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: INVALID_DECISION, message, nonRetryable: true });
}

/** A validator's refusal of a decision sent after the step's deadline (the API answers 409 with `message`). */
export function deadlinePassed(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: DEADLINE_PASSED, message, nonRetryable: true });
}

/**
 * `decidedBy` of a human-step update: a non-empty string when given (the API always sets it from the caller's key);
 * `required: false` for updates a system also sends without one (the warehouse's answers).
 */
export function checkDecidedBy(input: { decidedBy?: unknown }, required = true): void {
  const by = input.decidedBy;
  if (by === undefined && !required) return;
  if (typeof by !== 'string' || by.trim() === '' || by.length > 200)
    throw invalidDecision('decidedBy must name who decides (1-200 characters)');
}

type StepFields = Omit<OpenHumanStepInput, 'shopId' | 'caseId' | 'workflowId'>;
type Decided = Pick<CloseHumanStepInput, 'decidedBy' | 'decidedAt' | 'decision'>;

/** The human steps one case workflow has open: opened and closed through the record, each close once. */
export interface HumanStepBook {
  /** Opens the step (or updates it while open: due time, severity, title, context); returns its id. */
  open(step: StepFields): Promise<string>;
  /** Closes the step if this workflow opened it and has not closed it yet. */
  close(stepKey: string, outcome: HumanStepOutcome, decided?: Decided): Promise<void>;
  isOpen(stepKey: string): boolean;
  /** Closes every step still open (the case ended). */
  closeAll(outcome: HumanStepOutcome): Promise<void>;
}

export function humanStepBook(
  base: { shopId: string; caseId: string; workflowId: string },
  acts: Pick<HumanStepActivities, 'openHumanStep' | 'closeHumanStep'> = humanStepActivities,
): HumanStepBook {
  const open = new Set<string>();
  const book: HumanStepBook = {
    async open(step) {
      const { stepId } = await acts.openHumanStep({ ...base, ...step });
      open.add(step.stepKey);
      return stepId;
    },
    async close(stepKey, outcome, decided = {}) {
      if (!open.delete(stepKey)) return;
      await acts.closeHumanStep({ workflowId: base.workflowId, stepKey, outcome, ...decided });
    },
    isOpen: (stepKey) => open.has(stepKey),
    async closeAll(outcome) {
      for (const stepKey of [...open]) await book.close(stepKey, outcome);
    },
  };
  return book;
}
