import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  isCancellation,
  ParentClosePolicy,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { taxReportWorkflowId } from '../ids';
import { innermost } from '../shared/failureMessage';
import { checkDecidedBy, deadlinePassed, humanStepBook, invalidDecision } from '../shared/humanSteps';
import { CaseId, CaseKind, ShopId, TemporalScheduledStartTime, upsertCaseAttributes } from '../shared/searchAttributes';
import {
  APPROVE_STEP_KEY,
  APPROVE_TAX_REPORT_SCHEMA,
  APPROVE_TAX_REPORT_UPDATE,
  approveTaxReportUpdate,
  getTaxReportQuery,
  REJECT_STEP_KEY,
  REJECT_TAX_REPORT_SCHEMA,
  REJECT_TAX_REPORT_UPDATE,
  rejectTaxReportUpdate,
  TAX_REPORT_CASE,
  type ApproveTaxReportInput,
  type MonthlyTaxReportInput,
  type RejectTaxReportInput,
  type TaxCommitView,
  type TaxReportDecisionResult,
  type TaxReportResult,
  type TaxReportStage,
  type TaxReportSummary,
  type TaxReportView,
} from './messages';
import { parseTaxPeriod, taxPeriodBounds, taxPeriodEnded, taxPeriodOfFiring } from './period';
import { commitActivities, reportActivities as acts, syncActivities } from './proxies';

const DONE_STAGES: readonly TaxReportStage[] = ['approved', 'committed', 'rejected', 'expired', 'commit_failed'];

/**
 * A shop's monthly sales-tax report (`tax-report:<shopId>:<YYYY-MM>`, issue 20): sync the month's TikTok Finance
 * lines and FBT stock → compute the report by paging through the month's lines in PostgreSQL (classification, nexus,
 * per-state return lines, TikTok's charged tax against ours, CSV and PDF; activities/taxReport/) → a person approves or rejects it before the shop's approval
 * window ends (two human steps, one decision) → when the shop names a tax engine, the month's seller-owed
 * transactions (never TikTok-facilitated lines) are staged and committed to AvaTax or TaxJar, idempotently, and the
 * report is `committed`. A Schedule's firing (no period in its input) starts the report of the month before its
 * scheduled time, in the shop's tax time zone, and ends.
 */
export async function monthlyTaxReport(input: MonthlyTaxReportInput): Promise<TaxReportResult> {
  const { shopId } = input;
  const view: TaxReportView = { shopId, stage: 'scheduled', progress: { lines: 0, steps: 0 } };
  setHandler(getTaxReportQuery, () => view);
  const settings = await acts.readTaxReportSettings({ shopId });
  view.timeZone = settings.timeZone;
  view.engine = settings.engine;
  if (input.period === undefined) return startReportOfFiring(view, settings.timeZone);

  const parsed = parseTaxPeriod(input.period);
  if ('error' in parsed) throw invalidPeriod(parsed.error);
  const period = parsed.period;
  if (!taxPeriodEnded(period, new Date(), settings.timeZone))
    throw invalidPeriod(`${period} has not ended in ${settings.timeZone}: its sales are not final`);
  view.period = period;
  const { workflowId } = workflowInfo();
  const steps = humanStepBook({ shopId, caseId: period, workflowId });
  let dueMs = Infinity;
  const publish = (stage: TaxReportStage) => {
    view.stage = stage;
    const done = DONE_STAGES.includes(stage);
    upsertCaseAttributes({
      shopId,
      kind: TAX_REPORT_CASE,
      caseId: period,
      stage,
      risk: done ? 'done' : 'on_track',
      nextDeadline: !done && Number.isFinite(dueMs) ? new Date(dueMs).toISOString() : null,
    });
  };

  // The decision: registered now, so an early one is refused with a reason rather than left waiting.
  let summary: TaxReportSummary | undefined;
  const decide = (decision: 'approved' | 'rejected', decidedBy: string, note: string | undefined) => {
    view.decision = { decision, decidedBy, decidedAt: new Date().toISOString(), ...(note ? { note } : {}) };
    return view.decision;
  };
  const validate = (input: { decidedBy: string }) => {
    checkDecidedBy(input);
    if (view.decision) throw invalidDecision(`the report of ${period} was already ${view.decision.decision}`);
    if (view.stage !== 'awaiting_approval') throw invalidDecision(`the report of ${period} is ${view.stage}`);
    if (Date.now() >= dueMs)
      throw deadlinePassed(`the report of ${period} was due for approval at ${new Date(dueMs).toISOString()}`);
  };
  const closeSteps = async (chosen: string, other: string, decision: Record<string, unknown>) => {
    const { decidedBy, decidedAt } = view.decision!;
    await steps.close(chosen, 'decided', { decidedBy, decidedAt, decision });
    await steps.close(other, 'superseded');
  };
  setHandler(
    approveTaxReportUpdate,
    async ({ decidedBy, note }): Promise<TaxReportDecisionResult> => {
      decide('approved', decidedBy, note);
      await closeSteps(APPROVE_STEP_KEY, REJECT_STEP_KEY, { decision: 'approved', hash: summary!.hash, note });
      return { period, decision: 'approved', reportId: summary!.reportId };
    },
    {
      validator: (input: ApproveTaxReportInput) => {
        validate(input);
        if (input.hash !== undefined && input.hash !== summary!.hash)
          throw invalidDecision(`the report of ${period} is now ${summary!.hash}, not ${input.hash}: read it again`);
      },
    },
  );
  setHandler(
    rejectTaxReportUpdate,
    async ({ decidedBy, reason }): Promise<TaxReportDecisionResult> => {
      decide('rejected', decidedBy, reason);
      await closeSteps(REJECT_STEP_KEY, APPROVE_STEP_KEY, { decision: 'rejected', reason });
      return { period, decision: 'rejected', reportId: summary!.reportId };
    },
    {
      validator: (input: RejectTaxReportInput) => {
        validate(input);
        if (typeof input.reason !== 'string' || input.reason.trim() === '' || input.reason.length > 500)
          throw invalidDecision('reason says why the report is rejected (1-500 characters)');
      },
    },
  );

  // 1. The month's sales from TikTok's Finance API and the FBT stock, stored in PostgreSQL (counts back); the other
  // channels' sales are imported through the API beforehand.
  publish('syncing');
  const bounds = taxPeriodBounds(period, settings.timeZone);
  await syncActivities.syncTaxFinance({ shopId, from: bounds.from, to: bounds.to });
  await syncActivities.syncFbtInventory({ shopId });

  // 2. The report, computed page by page in PostgreSQL: only counts and the summary come back.
  publish('computing');
  let cursor: string | undefined;
  for (;;) {
    const step = await acts.computeTaxReportStep({ shopId, period, timeZone: settings.timeZone, cursor });
    // `lines` counts the month's lines read so far (the build's own count, kept across calls and retries).
    view.progress = { lines: step.progress.lines, steps: view.progress.steps + 1 };
    if (step.done) {
      summary = step.summary;
      break;
    }
    cursor = step.cursor;
  }
  if (!summary)
    throw ApplicationFailure.create({
      type: 'TaxReportIncomplete',
      message: `the report of ${period} finished without a summary`,
      nonRetryable: true,
    });
  view.summary = summary;
  const reportId = summary.reportId;

  // 3. A person approves or rejects it before the shop's approval window ends.
  dueMs = Date.now() + settings.approvalWindowMs;
  view.approvalDueAt = new Date(dueMs).toISOString();
  const context = approvalContext(summary, settings.engine);
  const severity = summary.rebuild === 'differs' || summary.mustRegister.length > 0 ? 'warning' : 'info';
  await steps.open({
    caseKind: TAX_REPORT_CASE,
    stepKey: APPROVE_STEP_KEY,
    updateName: APPROVE_TAX_REPORT_UPDATE,
    title: `Approve the sales-tax report of ${period}`,
    inputSchema: APPROVE_TAX_REPORT_SCHEMA,
    context,
    dueAt: view.approvalDueAt,
    severity,
  });
  await steps.open({
    caseKind: TAX_REPORT_CASE,
    stepKey: REJECT_STEP_KEY,
    updateName: REJECT_TAX_REPORT_UPDATE,
    title: `Reject the sales-tax report of ${period}`,
    inputSchema: REJECT_TAX_REPORT_SCHEMA,
    context,
    dueAt: view.approvalDueAt,
    severity,
  });
  // Published once both steps are listed: a reader who sees this stage finds them on /v1/human-steps.
  publish('awaiting_approval');
  const decided = await condition(() => view.decision !== undefined, Math.max(1, dueMs - Date.now()));
  dueMs = Infinity;
  if (!decided) {
    await steps.closeAll('expired');
    await acts.setTaxReportStatus({ reportId, status: 'expired' });
    publish('expired');
    return finish(view);
  }
  const decision = view.decision!;
  if (decision.decision === 'rejected') {
    await acts.setTaxReportStatus({ reportId, status: 'rejected', by: decision.decidedBy });
    publish('rejected');
    return finish(view);
  }
  await acts.setTaxReportStatus({ reportId, status: 'approved', by: decision.decidedBy });

  // 4. Committed to the shop's tax engine, when it names one now (it may have been chosen while the report waited).
  const { engine } = await acts.readTaxReportSettings({ shopId });
  view.engine = engine;
  if (engine === 'none') {
    publish('approved');
    return finish(view);
  }
  publish('committing');
  const commit: TaxCommitView = {
    engine,
    staged: 0,
    seen: 0,
    created: 0,
    replaced: 0,
    skipped: 0,
    rejected: 0,
    refunds: 0,
    activityCalls: 0,
  };
  view.commit = commit;
  try {
    commit.staged = (await acts.stageTaxReportCommit({ shopId, reportId, engine })).staged;
    let at = 0;
    for (;;) {
      const r = await commitActivities.commitSellerOwedTransactions({ shopId, engine, period, cursor: at });
      commit.activityCalls++;
      for (const k of ['seen', 'created', 'replaced', 'skipped', 'rejected', 'refunds'] as const) commit[k] += r[k];
      at = r.cursor;
      if (r.done) break;
    }
  } catch (err) {
    if (isCancellation(err)) throw err;
    // Refused for good (no engine configured for this deployment): the report stays approved, the reason is shown,
    // and starting the month again commits it once the engine is configured.
    commit.error = innermost(err);
    publish('commit_failed');
    return finish(view);
  }
  await acts.setTaxReportStatus({ reportId, status: 'committed', by: decision.decidedBy });
  publish('committed');
  return finish(view);
}

/**
 * A Schedule's firing: the report of the month before its scheduled time (in the shop's tax time zone), started as a
 * workflow of its own (its id from the shop and month, so a firing taken twice, or a month already reported by hand,
 * starts nothing new) and left running when this firing ends (the approval can take days).
 */
async function startReportOfFiring(view: TaxReportView, timeZone: string): Promise<TaxReportResult> {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(TemporalScheduledStartTime) ?? info.startTime;
  const period = taxPeriodOfFiring(scheduled, timeZone);
  const workflowId = taxReportWorkflowId(view.shopId, period);
  view.period = period;
  let alreadyStarted = false;
  try {
    await startChild(monthlyTaxReport, {
      workflowId,
      args: [{ shopId: view.shopId, period }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      typedSearchAttributes: [
        { key: ShopId, value: view.shopId },
        { key: CaseKind, value: TAX_REPORT_CASE },
        { key: CaseId, value: period },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    alreadyStarted = true;
  }
  view.started = { workflowId, period, alreadyStarted };
  return view;
}

/** What the person deciding needs: the figures, where to read the report, what approving does. */
function approvalContext(summary: TaxReportSummary, engine: string): Record<string, unknown> {
  return {
    reportId: summary.reportId,
    hash: summary.hash,
    rebuild: summary.rebuild,
    states: summary.states,
    sellerOwedTransactions: summary.sellerOwedTransactions,
    sellerOwedTax: summary.sellerOwedTax,
    mustRegister: summary.mustRegister,
    differences: summary.differences,
    historyGaps: summary.historyGaps,
    flags: summary.flags,
    csvFileId: summary.csvFileId,
    pdfFileId: summary.pdfFileId,
    onApproval:
      engine === 'none'
        ? 'recorded as approved (the shop names no tax engine)'
        : `the seller-owed transactions are committed to ${engine}`,
  };
}

async function finish(view: TaxReportView): Promise<TaxReportResult> {
  await condition(allHandlersFinished);
  return view;
}

function invalidPeriod(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'InvalidTaxPeriod', message, nonRetryable: true });
}
