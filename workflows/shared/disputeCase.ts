// The steps a chargeback and an appeal of a decided dispute share (workflows/chargeback, workflows/disputeAppeal): the
// case recorded and published, its evidence gathered at once (the carrier's history, then the bundle), a person asked
// to submit the bundle in Seller Center before the deadline (TikTok has no API for either: docs/case-contract.md) with
// the shop's reminders, the deadline recorded as `expired` when nobody did, then the outcome a person reports.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ChargebackActivities } from '../../activities/chargeback';
import type { ShopSettingsActivities } from '../../activities/shopSettings';
import { parseDuration } from '../../shopSettings/duration';
import type { ShopSettings } from '../../shopSettings/schema';
import {
  getDisputeCaseQuery,
  OUTCOME_INPUT_SCHEMA,
  RECORD_OUTCOME_UPDATE,
  RECORD_SUBMISSION_UPDATE,
  recordOutcomeUpdate,
  recordSubmissionUpdate,
  SUBMISSION_INPUT_SCHEMA,
  type DisputeCaseView,
  type DisputeOutcome,
  type DisputeStage,
  type OutcomeInput,
  type SubmissionInput,
} from './disputeMessages';
import {
  recoveredAmount,
  refuseOutcome,
  refuseSubmission,
  reminderPlan,
  type Refusal,
  type Reminder,
} from './disputeRules';
import { evidenceActivities, trackingSummary } from './evidence';
import { DEADLINE_PASSED, INVALID_DECISION } from './failureTypes';
import { checkDecidedBy, deadlinePassed, humanStepBook, invalidDecision } from './humanSteps';
import { upsertCaseAttributes } from './searchAttributes';

const acts = proxyActivities<ChargebackActivities & ShopSettingsActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** What a case is opened with: the fields of its view that come from the notice or the decision. */
export type DisputeCaseSpec = Pick<
  DisputeCaseView,
  | 'shopId'
  | 'caseKind'
  | 'caseId'
  | 'orderId'
  | 'returnId'
  | 'reason'
  | 'amount'
  | 'openedFrom'
  | 'deadline'
  | 'deadlineSource'
  | 'openedBy'
  | 'details'
> & {
  region?: string;
  /** How titles and notifications name the case: 'Chargeback cb-1 (order 5771…)'. */
  label: string;
  /** Where in Seller Center the person submits the evidence. */
  submitIn: string;
};

/** How a case ended: its last stage, the outcome and what was recovered. */
export interface DisputeCaseResult {
  stage: DisputeStage;
  outcome?: DisputeOutcome | 'expired';
  amountRecovered?: string;
  bundleId?: string;
  submittedAt?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The innermost message of a failure (the activity's reason, not "Activity task failed"). */
function innermost(err: unknown): string {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

/** A validator's refusal as the failure the API maps: InvalidDecision 422, DeadlinePassed 409, another 409. */
export function refuse(r: Refusal | undefined): void {
  if (!r) return;
  if (r.type === INVALID_DECISION) throw invalidDecision(r.message);
  if (r.type === DEADLINE_PASSED) throw deadlinePassed(r.message);
  throw ApplicationFailure.create({ type: r.type, message: r.message, nonRetryable: true });
}

/** One dispute case in a workflow: its handlers set, its steps ready to run in order. */
export function disputeCase(spec: DisputeCaseSpec) {
  const { shopId, caseKind, caseId, orderId, label } = spec;
  const { workflowId } = workflowInfo();
  const deadlineMs = Date.parse(spec.deadline);
  const view: DisputeCaseView = {
    shopId,
    caseKind,
    caseId,
    orderId,
    ...(spec.returnId ? { returnId: spec.returnId } : {}),
    ...(spec.reason ? { reason: spec.reason } : {}),
    ...(spec.amount ? { amount: spec.amount } : {}),
    openedFrom: spec.openedFrom,
    deadline: spec.deadline,
    deadlineSource: spec.deadlineSource,
    openedBy: spec.openedBy,
    stage: 'gathering_evidence',
    risk: 'on_track',
    bundles: [],
    steps: {},
    reminded: [],
    details: spec.details,
  };
  const steps = humanStepBook({ shopId, caseId, workflowId });
  let settings: ShopSettings | undefined;
  /** A submission or outcome accepted by its validator, recorded by the step that waits for it. */
  let submission: SubmissionInput | undefined;
  let outcome: OutcomeInput | undefined;
  let nextDeadline: string | null = spec.deadline;
  let published = '';

  setHandler(getDisputeCaseQuery, () => view);
  setHandler(
    recordSubmissionUpdate,
    async (input) => {
      submission = input;
      await condition(() => view.stage !== 'awaiting_submission');
      return view;
    },
    {
      validator: (input: SubmissionInput) => {
        checkDecidedBy(input);
        refuse(refuseSubmission(input, { ...caseClock(), stage: view.stage }, Date.now()));
        if (submission) refuse({ type: 'Refused', message: 'a submission is already being recorded' });
      },
    },
  );
  setHandler(
    recordOutcomeUpdate,
    async (input) => {
      outcome = input;
      await condition(() => view.outcome !== undefined);
      return view;
    },
    {
      validator: (input: OutcomeInput) => {
        checkDecidedBy(input);
        refuse(refuseOutcome(input, view));
        if (outcome) refuse({ type: 'Refused', message: 'an outcome is already being recorded' });
      },
    },
  );

  function caseClock() {
    return { deadlineMs, openedFromMs: Date.parse(spec.openedFrom) };
  }

  /** Search attributes (README "Search attributes"), upserted only when they change. */
  function publish(): void {
    const current = [view.stage, view.risk, nextDeadline].join('|');
    if (current === published) return;
    published = current;
    upsertCaseAttributes({
      shopId,
      ...(spec.region ? { region: spec.region } : {}),
      kind: caseKind,
      caseId,
      stage: view.stage,
      risk: view.risk,
      nextDeadline,
      hardDeadline: spec.deadline,
    });
  }

  function record(closed = false): Promise<void> {
    return acts.recordDisputeCase({
      shopId,
      caseKind,
      caseId,
      orderId,
      returnId: spec.returnId,
      workflowId,
      reason: spec.reason,
      amount: spec.amount,
      openedFrom: spec.openedFrom,
      deadline: spec.deadline,
      stage: view.stage,
      details: spec.details,
      bundleId: view.bundles.at(-1)?.bundleId,
      submittedAt: view.submission?.submittedAt,
      submittedBy: view.submission?.decidedBy,
      submissionReference: view.submission?.reference,
      outcome: view.outcome?.outcome,
      amountRecovered: view.outcome?.amountRecovered,
      outcomeBy: view.outcome?.decidedBy,
      openedBy: spec.openedBy,
      closed,
    });
  }

  async function notify(kind: string, severity: 'info' | 'warning' | 'critical', title: string, body: string) {
    settings ??= await acts.readShopSettings({ shopId });
    await acts.notifyDispute({
      shopId,
      caseKind,
      caseId,
      kind,
      severity,
      title: `${label}: ${title}`,
      body,
      recipients: severity === 'info' ? [] : settings.paging[severity],
    });
  }

  /** The reminders due now; a case found late sends one, at the level it has reached. */
  async function remind(plan: Reminder[]): Promise<void> {
    const due = plan.filter((r) => r.fireAt <= Date.now() && !view.reminded.includes(`submit:${r.beforeDeadline}`));
    const last = due.at(-1);
    if (!last) return;
    for (const r of due) view.reminded.push(`submit:${r.beforeDeadline}`);
    view.risk = 'at_risk';
    publish();
    if (last.severity === 'critical') await openSubmitStep('critical');
    await notify(
      `reminder:${last.beforeDeadline}`,
      last.severity,
      `${last.beforeDeadline} left to submit the evidence`,
      `Submit the evidence bundle in ${spec.submitIn} before ${spec.deadline}, then record it: human step ` +
        `${view.steps.submit} (npm run cli -- steps decide ${view.steps.submit} --input '{}').`,
    );
  }

  async function openSubmitStep(severity: 'warning' | 'critical'): Promise<void> {
    const bundle = view.bundles.at(-1);
    view.steps.submit = await steps.open({
      caseKind,
      stepKey: 'submit',
      updateName: RECORD_SUBMISSION_UPDATE,
      title: `${label}: submit ${bundle ? `evidence bundle ${bundle.bundleId}` : 'the evidence'} in Seller Center`,
      inputSchema: SUBMISSION_INPUT_SCHEMA,
      context: {
        orderId,
        ...(spec.returnId ? { returnId: spec.returnId } : {}),
        reason: spec.reason,
        amount: spec.amount,
        deadline: spec.deadline,
        deadlineSource: spec.deadlineSource,
        submitIn: spec.submitIn,
        bundle: bundle
          ? {
              ...bundle,
              download: `/v1/shops/${shopId}/evidence-bundles/${bundle.bundleId}/content`,
            }
          : null,
        ...(view.bundleError ? { bundleError: view.bundleError } : {}),
        ...(view.trackingNote ? { trackingNote: view.trackingNote } : {}),
      },
      dueAt: spec.deadline,
      severity,
    });
  }

  return {
    view,

    /** 1. The case recorded and on the lists of open cases. */
    async open(): Promise<void> {
      publish();
      await record();
    },

    /** 2. Evidence at once: the parcel's carrier history (stored for the bundle), then the bundle itself. */
    async gatherEvidence(): Promise<void> {
      try {
        const tracked = await evidenceActivities.trackOrderShipment({ shopId, orderId });
        if (tracked) view.tracking = trackingSummary(tracked);
        else view.trackingNote = 'the order has no tracking number yet: the bundle shows TikTok tracking only';
      } catch (err) {
        view.trackingNote = `carrier tracking failed: ${innermost(err)}`;
      }
      try {
        view.bundles.push(
          await evidenceActivities.buildEvidenceBundle({
            shopId,
            caseKind,
            caseId,
            orderId,
            requestedBy: spec.openedBy,
          }),
        );
      } catch (err) {
        view.bundleError = innermost(err);
        await notify('bundle_failed', 'warning', 'the evidence bundle could not be built', view.bundleError);
      }
    },

    /**
     * 3. A person submits the bundle in Seller Center and records it (update recordSubmission), reminded at the shop's
     * offsets; true once recorded, false when the deadline passed first (recorded `expired`, paged as critical).
     */
    async awaitSubmission(): Promise<boolean> {
      settings ??= await acts.readShopSettings({ shopId });
      const plan = reminderPlan(deadlineMs, settings.disputes.reminders);
      await openSubmitStep('warning');
      // Open for submissions once the step is there to close (the bundle, or why there is none, recorded with it).
      view.stage = 'awaiting_submission';
      publish();
      await record();
      for (;;) {
        if (submission) break;
        if (Date.now() >= deadlineMs) return expire();
        await remind(plan);
        const pending = plan.filter((r) => !view.reminded.includes(`submit:${r.beforeDeadline}`));
        const wakeAt = Math.min(deadlineMs, ...pending.map((r) => r.fireAt));
        await condition(() => submission !== undefined, Math.max(1, wakeAt - Date.now()));
      }
      const s = submission;
      const now = iso(Date.now());
      view.submission = {
        submittedAt: s.submittedAt ?? now,
        decidedBy: s.decidedBy,
        ...(s.reference !== undefined ? { reference: s.reference } : {}),
        ...(s.note !== undefined ? { note: s.note } : {}),
        recordedAt: now,
      };
      const { decidedBy: _by, ...decision } = view.submission;
      await steps.close('submit', 'decided', { decidedBy: s.decidedBy, decidedAt: now, decision });
      view.stage = 'submitted';
      view.risk = 'on_track';
      return true;
    },

    /**
     * 4. The outcome a person reports (update recordOutcome); no deadline of the platform's: once the shop's
     * `outcomeExpectedWithin` has passed without one, one warning, and the case keeps waiting.
     */
    async awaitOutcome(): Promise<void> {
      settings ??= await acts.readShopSettings({ shopId });
      const within = parseDuration(settings.disputes.outcomeExpectedWithin);
      const dueMs = Date.now() + ('ms' in within ? within.ms : 0);
      nextDeadline = iso(dueMs);
      publish();
      await record();
      view.steps.outcome = await steps.open({
        caseKind,
        stepKey: 'outcome',
        updateName: RECORD_OUTCOME_UPDATE,
        title: `${label}: record the outcome`,
        inputSchema: OUTCOME_INPUT_SCHEMA,
        context: {
          orderId,
          amount: spec.amount,
          allowedOutcomes: ['won', 'lost', 'partially_won'],
          submission: view.submission,
          bundleId: view.bundles.at(-1)?.bundleId ?? null,
        },
        dueAt: nextDeadline,
        severity: 'info',
      });
      if (!(await condition(() => outcome !== undefined, Math.max(1, dueMs - Date.now())))) {
        view.reminded.push('outcome');
        view.risk = 'at_risk';
        publish();
        await notify(
          'outcome_overdue',
          'warning',
          'no outcome recorded yet',
          `The evidence was submitted at ${view.submission?.submittedAt}; record the outcome: human step ${view.steps.outcome}.`,
        );
        await condition(() => outcome !== undefined);
      }
      const o = outcome!;
      const now = iso(Date.now());
      const amountRecovered = recoveredAmount(o, spec.amount);
      const decided = {
        outcome: o.outcome,
        ...(amountRecovered !== undefined ? { amountRecovered } : {}),
        ...(o.note !== undefined ? { note: o.note } : {}),
      };
      view.outcome = { ...decided, decidedBy: o.decidedBy, at: now };
      view.stage = o.outcome;
      view.risk = 'done';
      nextDeadline = null;
      publish();
      await steps.close('outcome', 'decided', { decidedBy: o.decidedBy, decidedAt: now, decision: decided });
      await record(true);
    },

    /** 5. The result, once every update handler has answered. */
    async result(): Promise<DisputeCaseResult> {
      await condition(allHandlersFinished);
      return {
        stage: view.stage,
        ...(view.outcome ? { outcome: view.outcome.outcome } : {}),
        ...(view.outcome?.amountRecovered !== undefined ? { amountRecovered: view.outcome.amountRecovered } : {}),
        ...(view.bundles.length ? { bundleId: view.bundles.at(-1)!.bundleId } : {}),
        ...(view.submission ? { submittedAt: view.submission.submittedAt } : {}),
      };
    },
  };

  /** Nobody recorded a submission by the deadline: `expired`, the step closed so, paged as critical. */
  async function expire(): Promise<false> {
    view.stage = 'expired';
    view.risk = 'late';
    nextDeadline = null;
    view.outcome = { outcome: 'expired', decidedBy: 'deadline', at: spec.deadline };
    publish();
    await steps.close('submit', 'expired', { decidedBy: 'deadline', decidedAt: spec.deadline });
    await record(true);
    await notify(
      'expired',
      'critical',
      'the deadline passed without a submission',
      `Nothing was recorded as submitted in ${spec.submitIn} before ${spec.deadline} (${spec.deadlineSource}).`,
    );
    return false;
  }
}
