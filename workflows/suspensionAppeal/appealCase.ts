// The steps of one suspension appeal (workflows/suspensionAppeal/workflow.ts runs them in order): its handlers, its
// view, its record (migration 035), its search attributes and its human steps. TikTok has no appeal API: a person
// reviews the drafted Plan of Action, submits it in Seller Center and reports TikTok's decision (docs/case-contract.md).
import { allHandlersFinished, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ShopSettingsActivities } from '../../activities/shopSettings';
import type { SuspensionAppealActivities } from '../../activities/suspensionAppeal';
import { parseDuration } from '../../shopSettings/duration';
import type { ShopSettings } from '../../shopSettings/schema';
import { refuse } from '../shared/disputeCase';
import { reminderPlan } from '../shared/disputeRules';
import { checkDecidedBy, humanStepBook } from '../shared/humanSteps';
import { upsertCaseAttributes } from '../shared/searchAttributes';
import { refuseAppealDecision, refuseAppealSubmission, refuseReview } from './appealRules';
import {
  APPEAL_DECISION_INPUT_SCHEMA,
  APPEAL_SUBMISSION_INPUT_SCHEMA,
  getSuspensionAppealQuery,
  RECORD_APPEAL_DECISION_UPDATE,
  RECORD_APPEAL_SUBMISSION_UPDATE,
  recordAppealDecisionUpdate,
  recordAppealSubmissionUpdate,
  REVIEW_APPEAL_PLAN_UPDATE,
  REVIEW_INPUT_SCHEMA,
  reviewAppealPlanUpdate,
  type AppealDecisionInput,
  type AppealRefusal,
  type AppealStage,
  type AppealSubmissionInput,
  type AppealVersionRef,
  type AppealWindow,
  type PlanOfAction,
  type ReviewInput,
  type SuspensionAppealInput,
  type SuspensionAppealResult,
  type SuspensionAppealView,
} from './messages';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const acts = proxyActivities<SuspensionAppealActivities & ShopSettingsActivities>({
  startToCloseTimeout: '1 minute',
  retry,
});
/** Evidence, drafting and the PDF read and write files: more time per attempt. */
const documents = proxyActivities<SuspensionAppealActivities>({ startToCloseTimeout: '5 minutes', retry });

const SYSTEM = 'suspensionAppeal (draft)';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const msOf = (text: string) => {
  const parsed = parseDuration(text);
  return 'ms' in parsed ? parsed.ms : 0;
};

/** One suspension appeal in a workflow: its handlers set, its steps ready to run in order. */
export function appealCase(input: SuspensionAppealInput) {
  const { shopId, notice } = input;
  const noticeId = notice.noticeId;
  const { workflowId } = workflowInfo();
  const view: SuspensionAppealView = {
    shopId,
    noticeId,
    notice,
    openedBy: input.openedBy,
    stage: 'assessing',
    risk: 'on_track',
    round: 1,
    versions: [],
    steps: {},
    reminded: [],
    submissions: [],
    decisions: [],
  };
  const steps = humanStepBook({ shopId, caseId: noticeId, workflowId });
  let settings: ShopSettings | undefined;
  const region = notice.region;
  /** Days after a denial of the first appeal for the one revised appeal (appeal/model.ts AppealWindow). */
  let secondAppealDays = 0;
  let closesMs = 0;
  let reviewDueMs = 0;
  /** The current version's plan (the template an edit is checked against), and the first round's approved plan. */
  let plan: PlanOfAction | undefined;
  let firstApproved: PlanOfAction | undefined;
  /** This round's drafted version: an edit keeps its numbers. */
  let drafted: PlanOfAction | undefined;
  /** Inputs accepted by their validators, taken by the step that waits for them (then cleared). */
  let review: ReviewInput | undefined;
  let submission: AppealSubmissionInput | undefined;
  let decision: AppealDecisionInput | undefined;
  let nextDeadline: string | null = null;
  let published = '';

  setHandler(getSuspensionAppealQuery, () => view);
  setHandler(
    reviewAppealPlanUpdate,
    async (r) => {
      review = r;
      await condition(() => review === undefined);
      return view;
    },
    {
      validator: (r: ReviewInput) => {
        checkDecidedBy(r);
        const template = plan as unknown as Record<string, unknown> | undefined;
        const c = {
          stage: view.stage,
          dueMs: reviewDueMs,
          currentVersion: view.currentVersion,
          template,
          draft: drafted,
        };
        refuse(refuseReview(r, c, Date.now()));
        if (review) refuse({ type: 'Refused', message: 'another review is being taken: try again' });
      },
    },
  );
  setHandler(
    recordAppealSubmissionUpdate,
    async (s) => {
      submission = s;
      await condition(() => submission === undefined);
      return view;
    },
    {
      validator: (s: AppealSubmissionInput) => {
        checkDecidedBy(s);
        const c = { stage: view.stage, windowClosesMs: closesMs, noticeMs: Date.parse(notice.noticeDate) };
        refuse(refuseAppealSubmission(s, c, Date.now()));
        if (submission) refuse({ type: 'Refused', message: 'a submission is already being recorded' });
      },
    },
  );
  setHandler(
    recordAppealDecisionUpdate,
    async (d) => {
      decision = d;
      await condition(() => decision === undefined);
      return view;
    },
    {
      validator: (d: AppealDecisionInput) => {
        checkDecidedBy(d);
        refuse(refuseAppealDecision(d, { stage: view.stage }));
        if (decision) refuse({ type: 'Refused', message: 'a decision is already being recorded' });
      },
    },
  );

  /** Search attributes (README "Search attributes"), upserted only when they change. */
  function publish(): void {
    const hardDeadline = view.window?.closesAt ?? null;
    const current = [view.stage, view.risk, nextDeadline, hardDeadline].join('|');
    if (current === published) return;
    published = current;
    upsertCaseAttributes({
      shopId,
      region,
      kind: 'suspension_appeal',
      caseId: noticeId,
      stage: view.stage,
      risk: view.risk,
      nextDeadline,
      hardDeadline,
    });
  }

  function record(closed = false): Promise<void> {
    const last = view.decisions.filter((d) => d.round === view.round).at(-1);
    const submitted = view.submissions.filter((s) => s.round === view.round).at(-1);
    return acts.recordSuspensionAppeal({
      shopId,
      noticeId,
      workflowId,
      notice: { ...notice },
      stage: view.stage,
      round: view.round,
      ...(view.refusal ? { refusal: { ...view.refusal } } : {}),
      ...(view.window ? { windowClosesAt: view.window.closesAt, windowSource: view.window.source } : {}),
      ...(view.approvedVersion !== undefined ? { approvedVersion: view.approvedVersion } : {}),
      ...(submitted
        ? {
            submittedAt: submitted.submittedAt,
            submittedBy: submitted.decidedBy,
            ...(submitted.reference ? { submissionReference: submitted.reference } : {}),
          }
        : {}),
      ...(last
        ? {
            decision: last.decision,
            decidedBy: last.decidedBy,
            ...(last.reason ? { decisionReason: last.reason } : {}),
          }
        : {}),
      rounds: view.decisions.filter((d) => d.round < view.round).map((d) => ({ ...d })),
      openedBy: input.openedBy,
      closed,
    });
  }

  async function readSettings(): Promise<ShopSettings> {
    settings ??= await acts.readShopSettings({ shopId });
    return settings;
  }

  async function notify(kind: string, severity: 'info' | 'warning' | 'critical', title: string, body: string) {
    const s = await readSettings();
    await acts.notifySuspensionAppeal({
      shopId,
      noticeId,
      kind,
      severity,
      title: `Appeal of suspension notice ${noticeId}: ${title}`,
      body,
      recipients: severity === 'info' ? [] : s.paging[severity],
    });
  }

  /** Renders `next` and stores it as the next version (the PDF in the file store, the plan in migration 035's table). */
  async function storeVersion(
    next: PlanOfAction,
    v: Pick<AppealVersionRef, 'kind' | 'createdBy' | 'note'> & { changesSinceFirst?: string[] },
  ): Promise<void> {
    const version = view.versions.length + 1;
    const evidenceRef = view.evidence!;
    const file = await documents.renderAppealPlan({ shopId, appealId: noticeId, version, plan: next, evidenceRef });
    const createdAt = iso(Date.now());
    await acts.recordAppealVersion({
      shopId,
      noticeId,
      version,
      round: view.round,
      kind: v.kind,
      plan: next,
      ...(v.changesSinceFirst ? { changesSinceFirst: v.changesSinceFirst } : {}),
      ...(v.note !== undefined ? { note: v.note } : {}),
      createdBy: v.createdBy,
      createdAt,
      file,
      evidenceFileId: evidenceRef.fileId,
    });
    view.versions.push({
      version,
      round: view.round,
      kind: v.kind,
      createdBy: v.createdBy,
      createdAt,
      ...file,
      ...(v.note !== undefined ? { note: v.note } : {}),
    });
    view.currentVersion = version;
    plan = next;
  }

  function openReviewStep(): Promise<string> {
    const current = view.versions.at(-1)!;
    return steps.open({
      caseKind: 'suspension_appeal',
      stepKey: `review:${view.round}`,
      updateName: REVIEW_APPEAL_PLAN_UPDATE,
      title: `Suspension appeal ${noticeId}: approve or edit the Plan of Action (version ${current.version})`,
      inputSchema: REVIEW_INPUT_SCHEMA,
      context: {
        notice,
        round: view.round,
        version: current.version,
        pdf: `/v1/shops/${shopId}/suspension-appeals/${noticeId}/versions/${current.version}/pdf`,
        versions: `/v1/shops/${shopId}/suspension-appeals/${noticeId}/versions`,
        allowedActions: ['approve', 'edit'],
        windowClosesAt: view.window?.closesAt,
        ...(view.changedSinceFirst ? { changedSinceFirst: view.changedSinceFirst } : {}),
      },
      dueAt: iso(reviewDueMs),
      severity: 'warning',
    });
  }

  function openSubmitStep(severity: 'warning' | 'critical'): Promise<string> {
    return steps.open({
      caseKind: 'suspension_appeal',
      stepKey: `submit:${view.round}`,
      updateName: RECORD_APPEAL_SUBMISSION_UPDATE,
      title: `Suspension appeal ${noticeId}: submit version ${String(view.approvedVersion)} in Seller Center`,
      inputSchema: APPEAL_SUBMISSION_INPUT_SCHEMA,
      context: {
        round: view.round,
        version: view.approvedVersion,
        pdf: `/v1/shops/${shopId}/suspension-appeals/${noticeId}/versions/${String(view.approvedVersion)}/pdf`,
        submitIn: 'Seller Center > Account Health > Violation records > Appeal',
        windowClosesAt: view.window?.closesAt,
        windowSource: view.window?.source,
      },
      dueAt: view.window!.closesAt,
      severity,
    });
  }

  /** A deadline passed with nothing done: `expired`, the step closed so, paged as critical. */
  async function expire(step: 'review' | 'submit', atMs: number, why: string): Promise<false> {
    view.expired = { step, at: iso(atMs) };
    await steps.close(`${step}:${view.round}`, 'expired', { decidedBy: 'deadline', decidedAt: iso(atMs) });
    await end('expired');
    await notify('expired', 'critical', `the ${step} deadline passed`, why);
    return false;
  }

  async function end(stage: AppealStage): Promise<void> {
    view.stage = stage;
    view.risk = stage === 'expired' ? 'late' : 'done';
    nextDeadline = null;
    publish();
    await steps.closeAll('superseded');
    await record(true);
  }

  function setWindow(window: AppealWindow): void {
    closesMs = Date.parse(window.closesAt);
    view.window = window;
  }

  return {
    view,

    /** 1. The appeal recorded and on the lists of open cases. */
    async open(): Promise<void> {
      publish();
      await record();
    },

    /**
     * 2. Whether the product can help (appeal/eligibility.ts): counterfeit, intellectual-property and prohibited-product
     * notices are refused with the explanation and where to go instead, recorded, and the appeal ends. Otherwise the
     * appeal window runs from the notice's date (policy/appealRows.ts); false when it is closed already.
     */
    async assess(): Promise<{ refused: AppealRefusal } | { windowOpen: boolean }> {
      const a = await acts.assessSuspensionNotice({ shopId, notice });
      if (!a.eligible) {
        view.refusal = { category: a.category, explanation: a.explanation, whereToGo: a.whereToGo, rule: a.rule };
        await end('refused');
        await notify(
          'refused',
          'info',
          `not appealed (${a.category})`,
          `${a.explanation}\nWhere to go instead: ${a.whereToGo.map((w) => `${w.name} (${w.url})`).join('; ')}`,
        );
        return { refused: view.refusal };
      }
      secondAppealDays = a.window.secondAppealDays;
      const { appealBy, from, source, uncertain } = a.window;
      setWindow({ closesAt: appealBy, from, source, uncertain });
      if (Date.now() < closesMs) return { windowOpen: true };
      await end('expired');
      return { windowOpen: false };
    },

    /**
     * 3. Evidence from our own records, then the drafted Plan of Action, rendered and stored as a version. In round 2
     * the draft is the revision: fresh evidence, and what changed since the first appeal TikTok denied.
     */
    async draft(): Promise<void> {
      view.stage = 'drafting';
      nextDeadline = view.window!.closesAt;
      publish();
      await record();
      view.evidence = await documents.gatherAppealEvidence({ shopId, notice });
      const denial = view.decisions.find((d) => d.decision === 'denied');
      const made = await documents.draftAppealPlan({
        shopId,
        notice,
        evidenceRef: view.evidence,
        ...(denial && firstApproved
          ? { revisionOf: { plan: firstApproved, denialReason: denial.reason ?? '', deniedAt: denial.at } }
          : {}),
      });
      if (made.plan.changedSinceFirst) view.changedSinceFirst = made.plan.changedSinceFirst;
      if (made.changesSinceFirst) view.changesSinceFirst = made.changesSinceFirst;
      await storeVersion(made.plan, {
        kind: denial ? 'revision' : 'draft',
        createdBy: SYSTEM,
        ...(made.changesSinceFirst ? { changesSinceFirst: made.changesSinceFirst } : {}),
      });
      drafted = made.plan;
    },

    /**
     * 4. A person approves the current version or edits it (update reviewAppealPlan: an edit is validated, stored as
     * the next version and put back for approval) within the shop's `suspensionAppeals.reviewWithin`, never past the
     * window's close; false when nothing was approved by then (`expired`).
     */
    async awaitReview(): Promise<boolean> {
      const s = await readSettings();
      reviewDueMs = Math.min(Date.now() + msOf(s.suspensionAppeals.reviewWithin), closesMs);
      view.reviewDueAt = iso(reviewDueMs);
      view.approvedVersion = undefined;
      nextDeadline = view.reviewDueAt;
      view.steps[`review:${view.round}`] = await openReviewStep();
      // Open for reviews once the step is there to close.
      view.stage = 'awaiting_review';
      publish();
      await record();
      for (;;) {
        if (!(await condition(() => review !== undefined, Math.max(1, reviewDueMs - Date.now()))))
          return expire(
            'review',
            reviewDueMs,
            `Version ${String(view.currentVersion)} was not approved by ${view.reviewDueAt}.`,
          );
        const r = review!;
        if (r.action === 'edit') {
          await storeVersion(r.plan!, { kind: 'edit', createdBy: r.decidedBy, ...(r.note ? { note: r.note } : {}) });
          view.steps[`review:${view.round}`] = await openReviewStep();
          await record();
          review = undefined;
          continue;
        }
        const now = iso(Date.now());
        view.approvedVersion = view.currentVersion;
        await steps.close(`review:${view.round}`, 'decided', {
          decidedBy: r.decidedBy,
          decidedAt: now,
          decision: { action: 'approve', version: view.approvedVersion, ...(r.note ? { note: r.note } : {}) },
        });
        if (view.round === 1) firstApproved = plan;
        review = undefined;
        return true;
      }
    },

    /**
     * 5. A person submits the approved version in Seller Center and records it (update recordAppealSubmission),
     * reminded at the shop's `suspensionAppeals.reminders` before the window closes (a critical one raises the step);
     * false when the window closed first (`expired`).
     */
    async awaitSubmission(): Promise<boolean> {
      const s = await readSettings();
      const plan = reminderPlan(closesMs, s.suspensionAppeals.reminders);
      const sent = (r: { beforeDeadline: string }) =>
        view.reminded.includes(`submit:${view.round}:${r.beforeDeadline}`);
      nextDeadline = view.window!.closesAt;
      view.steps[`submit:${view.round}`] = await openSubmitStep('warning');
      view.stage = 'awaiting_submission';
      publish();
      await record();
      for (;;) {
        // Reminders due now; an appeal found late sends one, at the level it has reached.
        const due = plan.filter((r) => r.fireAt <= Date.now() && !sent(r));
        const last = due.at(-1);
        if (last) {
          for (const r of due) view.reminded.push(`submit:${view.round}:${r.beforeDeadline}`);
          view.risk = 'at_risk';
          publish();
          if (last.severity === 'critical') await openSubmitStep('critical');
          await notify(
            `reminder:${view.round}:${last.beforeDeadline}`,
            last.severity,
            `${last.beforeDeadline} left to submit the appeal`,
            `Submit version ${String(view.approvedVersion)} in Seller Center before ${view.window!.closesAt}, then ` +
              `record it: human step ${view.steps[`submit:${view.round}`]}.`,
          );
        }
        const wakeAt = Math.min(closesMs, ...plan.filter((r) => !sent(r)).map((r) => r.fireAt));
        if (await condition(() => submission !== undefined, Math.max(1, wakeAt - Date.now()))) break;
        if (Date.now() >= closesMs)
          return expire('submit', closesMs, `Nothing was recorded as submitted before ${view.window!.closesAt}.`);
      }
      const sub = submission!;
      const now = iso(Date.now());
      const entry = {
        round: view.round,
        version: view.approvedVersion!,
        submittedAt: sub.submittedAt ?? now,
        decidedBy: sub.decidedBy,
        ...(sub.reference !== undefined ? { reference: sub.reference } : {}),
      };
      view.submissions.push(entry);
      const { decidedBy: _by, ...decided } = entry;
      await steps.close(`submit:${view.round}`, 'decided', {
        decidedBy: sub.decidedBy,
        decidedAt: now,
        decision: decided,
      });
      view.stage = 'submitted';
      view.risk = 'on_track';
      submission = undefined;
      return true;
    },

    /**
     * 6. TikTok's decision as a person reports it (update recordAppealDecision); no platform deadline: once the shop's
     * `suspensionAppeals.decisionExpectedWithin` has passed, one warning, and the appeal keeps waiting.
     */
    async awaitDecision(): Promise<'approved' | 'denied'> {
      const s = await readSettings();
      const dueMs = Date.now() + msOf(s.suspensionAppeals.decisionExpectedWithin);
      nextDeadline = iso(dueMs);
      publish();
      await record();
      view.steps[`decision:${view.round}`] = await steps.open({
        caseKind: 'suspension_appeal',
        stepKey: `decision:${view.round}`,
        updateName: RECORD_APPEAL_DECISION_UPDATE,
        title: `Suspension appeal ${noticeId}: record TikTok's decision (round ${view.round})`,
        inputSchema: APPEAL_DECISION_INPUT_SCHEMA,
        context: {
          round: view.round,
          allowedDecisions: ['approved', 'denied'],
          submission: view.submissions.at(-1),
          ...(view.round === 1 ? { afterDenial: 'one revised appeal is drafted' } : { afterDenial: 'the appeal ends' }),
        },
        dueAt: nextDeadline,
        severity: 'info',
      });
      if (!(await condition(() => decision !== undefined, Math.max(1, dueMs - Date.now())))) {
        view.reminded.push(`decision:${view.round}`);
        view.risk = 'at_risk';
        publish();
        await notify(
          `decision_overdue:${view.round}`,
          'warning',
          "no decision of TikTok's recorded yet",
          `Record TikTok's decision: human step ${view.steps[`decision:${view.round}`]}.`,
        );
        await condition(() => decision !== undefined);
      }
      const d = decision!;
      const now = iso(Date.now());
      const decided = {
        round: view.round,
        decision: d.decision,
        ...(d.reason ? { reason: d.reason.trim() } : {}),
        decidedBy: d.decidedBy,
        at: now,
      };
      view.decisions.push(decided);
      await steps.close(`decision:${view.round}`, 'decided', {
        decidedBy: d.decidedBy,
        decidedAt: now,
        decision: {
          decision: d.decision,
          ...(d.reason ? { reason: d.reason } : {}),
          ...(d.note ? { note: d.note } : {}),
        },
      });
      decision = undefined;
      return d.decision;
    },

    /** After a denial: round 2, its window the row's days after the denial (policy/appealRows.ts). */
    async beginRevision(): Promise<void> {
      const denial = view.decisions.at(-1)!;
      view.round = 2;
      view.risk = 'on_track';
      setWindow({
        closesAt: iso(Date.parse(denial.at) + secondAppealDays * DAY),
        from: 'denial',
        source: `${secondAppealDays} days after the denial of the first appeal: ${view.window!.source}`,
        uncertain: view.window!.uncertain,
      });
      await notify(
        'revision',
        'warning',
        'denied: one revised appeal is being drafted',
        `TikTok denied the appeal (${denial.reason ?? 'no reason given'}); a revised Plan of Action stating what changed ` +
          `since the first is drafted for review, due before ${view.window!.closesAt}.`,
      );
    },

    end,

    /** The result, once every update handler has answered. */
    async result(): Promise<SuspensionAppealResult> {
      await condition(allHandlersFinished);
      const last = view.decisions.at(-1);
      return {
        stage: view.stage,
        round: view.round,
        ...(view.refusal ? { refusal: view.refusal } : {}),
        ...(view.approvedVersion !== undefined ? { approvedVersion: view.approvedVersion } : {}),
        ...(last ? { decision: last.decision } : {}),
        versions: view.versions.length,
      };
    },
  };
}
