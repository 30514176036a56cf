import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  ParentClosePolicy,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { parseDuration } from '../../shopSettings/duration';
import { affiliateAuditWorkflowId } from '../ids';
import { innermost } from '../shared/failureMessage';
import { humanStepBook, invalidDecision, deadlinePassed, checkDecidedBy } from '../shared/humanSteps';
import { CaseId, CaseKind, ShopId, TemporalScheduledStartTime, upsertCaseAttributes } from '../shared/searchAttributes';
import {
  actionDecisionSchema,
  DECIDE_AFFILIATE_ACTION_UPDATE,
  decideAffiliateActionUpdate,
  getAffiliateAuditQuery,
  type ActionDecisionInput,
  type ActionDecisionResult,
  type AffiliateAuditInput,
  type AuditResult,
  type AuditStage,
  type AuditView,
} from './messages';
import { parsePeriod, periodOfFiring, type AuditCadence, type AuditPeriod } from './period';
import { actionActivities, auditActivities as acts, syncActivities } from './proxies';

/** Orders per page of line findings, creators per page of creator findings: one SQL statement each. */
const PAGE_ORDERS = 5_000;
const PAGE_CREATORS = 2_000;
const CASE_KIND = 'affiliate_audit';

/**
 * The affiliate commission audit of one shop and period (`affiliate-audit:<shopId>:<period>`):
 * sync the period's affiliate data → findings by SQL over its rows, page by page (double credits, double attribution
 * with Shop Ads, commission on refunded units, rate cuts applied before their 30 days, creators outside the shop's
 * targets) → one human step per proposed action (remove a creator, change a target rate, build the Targeted Plan,
 * file a claim) → each approved action done on TikTok, idempotently → done when every action is decided or the
 * shop's decision window ends. A Schedule's firing (no period in its input) starts the audit of the period its
 * scheduled time covers and ends.
 */
export async function affiliateAudit(input: AffiliateAuditInput): Promise<AuditResult> {
  const { shopId } = input;
  const view: AuditView = { shopId, stage: 'scheduled', actions: [] };
  setHandler(getAffiliateAuditQuery, () => view);
  if (input.period === undefined) return startAuditOfFiring(input.cadence ?? 'weekly', view);

  const parsed = parsePeriod(input.period);
  if ('error' in parsed)
    throw ApplicationFailure.create({ type: 'InvalidPeriod', message: parsed.error, nonRetryable: true });
  const period: AuditPeriod = parsed;
  const { workflowId } = workflowInfo();
  const scope = { shopId, periodKey: period.key, from: period.from, to: period.to };
  view.period = { key: period.key, from: period.from, to: period.to };
  const steps = humanStepBook({ shopId, caseId: period.key, workflowId });
  let dueMs = Infinity;
  const publish = (stage: AuditStage) => {
    view.stage = stage;
    const done = stage === 'done';
    upsertCaseAttributes({
      shopId,
      kind: CASE_KIND,
      caseId: period.key,
      stage,
      risk: done ? 'done' : 'on_track',
      nextDeadline: !done && Number.isFinite(dueMs) ? new Date(dueMs).toISOString() : null,
    });
  };

  // 1. The period's affiliate data, synced from TikTok (orders, collaborations and their rates, creators). The
  // settings are read when the audit starts: a change while it runs applies to the next audit.
  publish('syncing');
  const settings = await acts.readShopSettings({ shopId });

  setHandler(
    decideAffiliateActionUpdate,
    async (decision): Promise<ActionDecisionResult> => {
      const action = view.actions.find((a) => a.actionId === decision.actionId)!;
      action.status = 'applying';
      action.decidedBy = decision.decidedBy;
      action.decidedAt = new Date().toISOString();
      try {
        const result = await actionActivities.applyAffiliateAction({
          ...scope,
          actionId: action.actionId,
          decidedBy: decision.decidedBy,
          decidedAt: action.decidedAt,
          decision: decision.decision,
          ...(decision.rate !== undefined ? { rate: decision.rate } : {}),
          ...(decision.reference !== undefined ? { reference: decision.reference } : {}),
          ...(decision.note !== undefined ? { note: decision.note } : {}),
          contactEmail: settings.affiliate.plan.contactEmail,
        });
        action.status = result.outcome;
        action.detail = result.detail;
        await steps.close(stepKey(action.actionId), 'decided', {
          decidedBy: decision.decidedBy,
          decidedAt: action.decidedAt,
          decision: { ...withoutDecidedBy(decision), outcome: result.outcome },
        });
        return result;
      } catch (err) {
        // Not done (TikTok refused it for good): the step stays open for another decision.
        action.status = 'open';
        throw ApplicationFailure.create({
          type: 'ActionNotApplied',
          message: `the action was not applied: ${innermost(err)}`,
          nonRetryable: true,
        });
      }
    },
    {
      validator: (decision: ActionDecisionInput) => {
        checkDecidedBy(decision);
        const action = view.actions.find((a) => a.actionId === decision?.actionId);
        if (!action)
          throw invalidDecision(`no action ${String(decision?.actionId)} in this audit (see the step's context)`);
        if (action.status !== 'open') throw invalidDecision(`action ${action.actionId} is ${action.status}`);
        if (decision.decision !== 'approve' && decision.decision !== 'reject')
          throw invalidDecision("decision is 'approve' or 'reject'");
        if (decision.rate !== undefined) {
          if (action.kind !== 'change_target_rate') throw invalidDecision('only a target rate change takes a rate');
          if (!Number.isInteger(decision.rate) || decision.rate < 100 || decision.rate > 8000)
            throw invalidDecision('rate is a whole number of 1/100 % from 100 (1%) to 8000 (80%)');
        }
        if (Date.now() >= dueMs)
          throw deadlinePassed(`the audit's decisions were due at ${new Date(dueMs).toISOString()}`);
      },
    },
  );

  if (input.sync !== false) {
    await syncActivities.syncAffiliateOrders({ shopId, from: period.from, to: period.to });
    await syncActivities.syncAffiliateCollaborations({ shopId });
    await syncActivities.syncAffiliateCreators({ shopId });
  }

  // 2. Findings: SQL over the period's rows, one page per activity; only counts and cursors come back.
  publish('computing');
  await acts.beginAffiliateAudit({ ...scope, workflowId });
  let linesSeen = 0;
  let pages = 0;
  let after: { createTime: string; orderId: string } | undefined;
  for (;;) {
    const page = await acts.findAffiliateLineFindings({ ...scope, after, pageOrders: PAGE_ORDERS });
    if (!page.next) break;
    linesSeen += page.lines;
    pages += 1;
    after = page.next;
  }
  let creatorsSeen = 0;
  let afterCreator = '';
  for (;;) {
    const page = await acts.findAffiliateCreatorFindings({
      ...scope,
      targets: settings.affiliate.targets,
      after: afterCreator,
      pageCreators: PAGE_CREATORS,
    });
    if (page.next === undefined) break;
    creatorsSeen += page.creators;
    afterCreator = page.next;
  }
  const proposed = await acts.proposeAffiliateActions({ ...scope, affiliate: settings.affiliate });
  const { actions, ...totals } = proposed;
  view.summary = { linesSeen, pages, creatorsSeen, ...totals };
  view.actions = actions.map((a) => ({ ...a, status: a.settled ? 'not_needed' : 'open' }));
  const open = view.actions.filter((a) => a.status === 'open');

  // 3. A person decides each action before the shop's decision window ends.
  if (open.length > 0) {
    const windowMs = parseDuration(settings.affiliate.decisionWindow);
    dueMs = Date.now() + ('ms' in windowMs ? windowMs.ms : 7 * 86_400_000);
    view.decisionsDueAt = new Date(dueMs).toISOString();
    await acts.finishAffiliateAudit({ ...scope, status: 'awaiting_decisions', summary: view.summary, linesSeen });
    for (const action of open) {
      await steps.open({
        caseKind: CASE_KIND,
        stepKey: stepKey(action.actionId),
        updateName: DECIDE_AFFILIATE_ACTION_UPDATE,
        title: `Affiliate audit ${period.key}: ${action.title}`,
        inputSchema: actionDecisionSchema(action.actionId, action.kind),
        context: { actionId: action.actionId, kind: action.kind, money: action.money, ...action.context },
        dueAt: view.decisionsDueAt,
        severity: action.kind === 'claim' ? 'warning' : 'info',
      });
    }
    // Published once every step is listed: a reader who sees this stage finds each action on /v1/human-steps.
    publish('awaiting_decisions');
    const settled = () => view.actions.every((a) => a.status !== 'open' && a.status !== 'applying');
    await condition(settled, Math.max(1, dueMs - Date.now()));
    // An action being applied when the window closes finishes; the others expire.
    await condition(() => view.actions.every((a) => a.status !== 'applying'));
    for (const a of view.actions.filter((x) => x.status === 'open')) {
      a.status = 'expired';
      await acts.expireAffiliateAction({ actionId: a.actionId });
      await steps.close(stepKey(a.actionId), 'expired');
    }
  }

  // 4. Done: the audit's record, the case off the lists of open cases.
  dueMs = Infinity;
  publish('done');
  await acts.finishAffiliateAudit({ ...scope, status: 'completed', summary: view.summary, linesSeen });
  await condition(allHandlersFinished);
  return { shopId, periodKey: period.key, summary: view.summary, actions: view.actions };
}

/**
 * A Schedule's firing: the audit of the period its scheduled time covers, started as a workflow of its own (its id
 * from the shop and period, so a firing taken twice, or a period already audited by hand, starts nothing new) and
 * left running when this firing ends (the decisions can take days; the Schedule must not wait for them).
 */
async function startAuditOfFiring(cadence: AuditCadence, view: AuditView): Promise<AuditResult> {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(TemporalScheduledStartTime) ?? info.startTime;
  const settings = await acts.readShopSettings({ shopId: view.shopId });
  const lookback = parseDuration(settings.affiliate.weeklyLookback);
  const period = periodOfFiring(cadence, scheduled, 'ms' in lookback ? lookback.ms / 86_400_000 : 7);
  const workflowId = affiliateAuditWorkflowId(view.shopId, period.key);
  view.period = { key: period.key, from: period.from, to: period.to };
  let alreadyStarted = false;
  try {
    await startChild(affiliateAudit, {
      workflowId,
      args: [{ shopId: view.shopId, period: period.key }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      typedSearchAttributes: [
        { key: ShopId, value: view.shopId },
        { key: CaseKind, value: CASE_KIND },
        { key: CaseId, value: period.key },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    alreadyStarted = true;
  }
  view.started = { workflowId, alreadyStarted };
  view.stage = 'done';
  return { shopId: view.shopId, periodKey: period.key, actions: [], started: view.started };
}

const stepKey = (actionId: string) => `action:${actionId}`;

function withoutDecidedBy(d: ActionDecisionInput): Omit<ActionDecisionInput, 'decidedBy'> {
  const { decidedBy: _decidedBy, ...rest } = d;
  return rest;
}
