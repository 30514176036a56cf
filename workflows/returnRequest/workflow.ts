import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { evidenceActivities } from '../shared/evidence';
import { DEADLINE_PASSED } from '../shared/failureTypes';
import { innermost } from '../shared/failureMessage';
import { deadlinePassed, humanStepBook, invalidDecision } from '../shared/humanSteps';
import { upsertCaseAttributes } from '../shared/searchAttributes';
import {
  DECIDE_RETURN_INPUT_SCHEMA,
  DECIDE_RETURN_UPDATE,
  decideReturnUpdate,
  getReturnQuery,
  returnStatusChangedSignal,
  type DecisionChannel,
  type ReturnDecisionInput,
  type ReturnDecisionRecord,
  type ReturnDecisionResult,
  type ReturnOutcome,
  type ReturnRequestInput,
  type ReturnSnapshot,
  type ReturnView,
} from './messages';
import { returnActivities as acts, type ReturnSettings } from './proxies';
import {
  allowedDecisions,
  autoApproval,
  escalationPlan,
  isSellerAction,
  refuseDecision,
  tiktokDecision,
  type Escalation,
  type PendingAction,
  type SellerAction,
} from './returnDecision';
import { returnPhase } from './returnStatus';

/** How often a return nobody tells us about is read back anyway (webhooks and the reconciliation Schedule come first). */
const SAFETY_POLL_MS = 24 * 3_600_000;
/** After TikTok's deadline, how soon a return still shown pending is read again (doubling up to the safety poll). */
const AFTER_DEADLINE_RECHECK_MS = 60_000;
const NOT_SENT = 'DecisionNotSent';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One workflow per return (`return:<shopId>:<returnId>`), inside TikTok's response deadline:
 * read the return → while TikTok waits for the seller: approve it by the shop's rule (a low-value refund-only request
 * for a listed reason), or ask a person (a human step due at TikTok's deadline, escalations before it) and send the
 * person's decision (evidence images uploaded for a rejection; once a rejection is sent, its evidence bundle PDF
 * built); undecided at the deadline, TikTok approves it itself: record that and page → follow the return to its end (the buyer ships back: receive the package; refund; the
 * buyer cancels; arbitration) → record the outcome and how long each decision took.
 */
export async function returnRequest(input: ReturnRequestInput): Promise<ReturnOutcome> {
  const { shopId, returnId } = input;
  const { workflowId } = workflowInfo();
  let news = 0;
  let ret!: ReturnSnapshot;
  const view: ReturnView = { shopId, returnId, status: 'UNKNOWN', risk: 'on_track', escalated: [], decisions: [] };
  /** The seller action a person may decide now: what the decision validator checks against. */
  let pending: PendingAction | undefined;
  /** A person's decision accepted and waiting to be sent, with the number its answer is filed under. */
  let queued: { id: number; input: ReturnDecisionInput } | undefined;
  let decisionsSeen = 0;
  const answers = new Map<number, ReturnDecisionResult | ApplicationFailure>();
  let closed = false;
  let published = '';
  let hardDeadline: string | undefined;
  const steps = humanStepBook({ shopId, caseId: returnId, workflowId });

  setHandler(returnStatusChangedSignal, () => void news++);
  setHandler(getReturnQuery, () => view);
  setHandler(
    decideReturnUpdate,
    async (decision): Promise<ReturnDecisionResult> => {
      const { action } = pending!;
      const id = ++decisionsSeen;
      queued = { id, input: decision };
      // Answered once sent, refused by TikTok, or found no longer pending; the case closing answers it too.
      await condition(() => answers.has(id) || closed);
      const answer = answers.get(id);
      if (answer instanceof ApplicationFailure) throw answer;
      return (
        answer ?? {
          outcome: 'superseded',
          action,
          reason: 'the case closed before the decision was sent',
          status: view.status,
        }
      );
    },
    {
      validator: (decision: ReturnDecisionInput) => {
        const refused = refuseDecision(decision, pending, Date.now());
        if (refused)
          throw refused.type === DEADLINE_PASSED ? deadlinePassed(refused.message) : invalidDecision(refused.message);
        if (queued) throw invalidDecision(`a decision on ${pending!.action} is already being sent`);
      },
    },
  );

  /** Reads the return back from TikTok (the source of truth); records it when its status moved. */
  async function refresh(): Promise<void> {
    news = 0;
    ret = await acts.readReturn({ shopId, returnId });
    const moved = ret.status !== view.status || ret.arbitrationStatus !== view.arbitrationStatus;
    view.orderId = ret.orderId;
    view.type = ret.type;
    view.status = ret.status;
    view.reason = ret.reason;
    view.refund = ret.refund;
    view.arbitrationStatus = ret.arbitrationStatus;
    if (moved) await recordCase(false);
    publish();
  }

  function recordCase(finished: boolean): Promise<void> {
    return acts.recordReturnCase({
      shopId,
      returnId,
      workflowId,
      orderId: ret.orderId,
      type: ret.type,
      reason: ret.reason,
      refund: ret.refund,
      status: ret.status,
      arbitrationStatus: ret.arbitrationStatus,
      closed: finished,
    });
  }

  function recordDecision(record: ReturnDecisionRecord): Promise<void> {
    return acts.recordReturnDecision({ shopId, returnId, ...record });
  }

  /** Search attributes (README "Search attributes"), upserted only when they change. */
  function publish(): void {
    const stage = view.pending?.awaitingPerson ? 'awaiting_decision' : view.status;
    const next = view.risk === 'done' ? null : (view.pending?.deadline ?? null);
    const current = [stage, view.risk, next, hardDeadline, ret.region].join('|');
    if (current === published) return;
    published = current;
    upsertCaseAttributes({
      shopId,
      region: ret.region,
      kind: 'return',
      caseId: returnId,
      stage,
      risk: view.risk,
      nextDeadline: next,
      ...(hardDeadline ? { hardDeadline } : {}),
    });
  }

  // 1. The return as TikTok states it.
  await refresh();
  await recordCase(false);

  // 2. Each seller action TikTok waits for is decided once; between them the return is followed to its end.
  const handled = new Set<string>();
  let rejectedSince: number | undefined;
  let staleChecks = 0;
  for (;;) {
    const next = ret.nextAction;
    if (next && isSellerAction(next.action) && !handled.has(next.action)) {
      handled.add(next.action);
      staleChecks = 0;
      await decide(next.action, next.deadline);
      continue;
    }
    const phase = returnPhase(ret.status, ret.arbitrationStatus);
    if (phase === 'closed') break;
    let waitMs = SAFETY_POLL_MS;
    if (phase === 'rejected') {
      // A rejection ends the case unless the buyer escalates it to arbitration in time.
      rejectedSince ??= Date.now();
      const left = rejectedSince + ret.buyerEscalationWindowMs - Date.now();
      if (left <= 0) break;
      waitMs = left;
    } else {
      rejectedSince = undefined;
      // Past its deadline TikTok decides the action itself: read again soon until the return shows it.
      if (next && Date.parse(next.deadline) <= Date.now())
        waitMs = Math.min(SAFETY_POLL_MS, AFTER_DEADLINE_RECHECK_MS * 2 ** staleChecks++);
    }
    const woken = await condition(() => news > 0, waitMs);
    if (woken || phase !== 'rejected') await refresh();
  }

  // 3. Done: the outcome recorded, the case off every list of open cases.
  closed = true;
  pending = undefined;
  view.pending = undefined;
  view.risk = 'done';
  publish();
  await steps.closeAll('superseded');
  await recordCase(true);
  await condition(allHandlersFinished);
  return { status: ret.status, arbitrationStatus: ret.arbitrationStatus, decisions: view.decisions };

  /** One seller action: the shop's rule, else a person before TikTok's deadline, else TikTok's own approval. */
  async function decide(action: SellerAction, deadline: string): Promise<void> {
    const deadlineMs = Date.parse(deadline);
    const record: ReturnDecisionRecord = { action, deadline, openedAt: iso(Date.now()), outcome: 'pending' };
    view.decisions.push(record);
    view.risk = 'on_track';
    hardDeadline = deadline;
    const settings = await acts.readShopSettings({ shopId });
    const rule = autoApproval(settings.returns.autoApprove, {
      action,
      type: ret.type,
      reason: ret.reason,
      refund: ret.refund,
    });
    if (rule.applies) {
      try {
        await send(record, { decidedBy: 'auto', decision: 'approve' }, 'auto');
        return;
      } catch (err) {
        // The rule could not be applied (TikTok refused the call for good): a person decides instead.
        log.warn('auto-approval not sent; asking a person', { returnId, error: innermost(err) });
      }
    }

    const rejectReasons = await acts.readRejectReasons({ shopId, returnId });
    pending = { action, deadlineMs, rejectReasons };
    view.pending = {
      action,
      deadline,
      allowedDecisions: allowedDecisions(action),
      rejectReasons,
      awaitingPerson: true,
    };
    publish();
    await recordDecision(record);
    const stepKey = `decide:${action}`;
    await steps.open({
      caseKind: 'return',
      stepKey,
      updateName: DECIDE_RETURN_UPDATE,
      title: `Return ${returnId} (${ret.type ?? 'request'}, ${ret.reason ?? 'no reason'}): ${action}`,
      inputSchema: DECIDE_RETURN_INPUT_SCHEMA,
      context: {
        orderId: ret.orderId,
        action,
        returnType: ret.type,
        status: ret.status,
        reason: ret.reason,
        refund: ret.refund,
        allowedDecisions: allowedDecisions(action),
        rejectReasons,
        evidenceRequiredForRejection: true,
        autoApprove: rule.why,
        deadline,
      },
      dueAt: deadline,
      severity: 'warning',
    });

    const plan = escalationPlan(deadlineMs, settings.returns);
    for (;;) {
      if (queued) {
        const { id, input: decision } = queued;
        const answer = await sendPersonsDecision(record, decision);
        if (!(answer instanceof ApplicationFailure))
          await steps.close(stepKey, answer.outcome === 'superseded' ? 'superseded' : 'decided', {
            decidedBy: decision.decidedBy,
            decidedAt: record.decidedAt,
            decision: { ...decision, tiktokDecision: answer.tiktokDecision, outcome: answer.outcome },
          });
        // Answered once the step is closed too, so whoever decided sees it closed; a decision not sent leaves the
        // step open for another one.
        answers.set(id, answer);
        queued = undefined;
        if (answer instanceof ApplicationFailure) continue;
        // A person's rejection may come back as a dispute or an arbitration: its evidence bundle is built now.
        if (answer.outcome === 'rejected') await bundleRejection(decision.decidedBy);
        return;
      }
      if (Date.now() >= deadlineMs) return platformApproved(record, stepKey, settings);
      await escalate(plan, record, settings);
      const wakeAt = Math.min(deadlineMs, ...plan.filter((e) => !fired(record, e)).map((e) => e.fireAt));
      await condition(() => queued !== undefined || news > 0, Math.max(1, wakeAt - Date.now()));
      if (queued || news === 0) continue;
      await refresh();
      const now = ret.nextAction;
      if (now?.action === action) continue;
      // The request moved on without us: the buyer cancelled it, or TikTok now waits for something else.
      const outcome = now ? 'superseded' : 'withdrawn';
      pending = undefined;
      view.pending = undefined;
      record.outcome = outcome;
      record.decidedAt = iso(Date.now());
      publish();
      await recordDecision(record);
      await steps.close(stepKey, outcome);
      return;
    }
  }

  /** The evidence bundle of a rejected return (a bundle that cannot be built is logged; the case goes on). */
  async function bundleRejection(decidedBy: string): Promise<void> {
    try {
      const ref = await evidenceActivities.buildEvidenceBundle({
        shopId,
        caseKind: 'return',
        caseId: returnId,
        orderId: ret.orderId,
        requestedBy: decidedBy,
      });
      view.bundles = [...(view.bundles ?? []), ref];
    } catch (err) {
      log.warn('evidence bundle not built', { returnId, error: innermost(err) });
    }
  }

  /** Uploads the evidence, then sends; a failure other than TikTok's refusal leaves the action open. */
  async function sendPersonsDecision(
    record: ReturnDecisionRecord,
    decision: ReturnDecisionInput,
  ): Promise<ReturnDecisionResult | ApplicationFailure> {
    view.pending!.awaitingPerson = false;
    publish();
    try {
      const images = [];
      for (const fileId of decision.evidenceFileIds ?? []) {
        const up = await acts.uploadEvidenceToTikTok({ shopId, fileId });
        images.push({ image_id: up.uri, mime_type: up.mimeType, width: up.width, height: up.height });
      }
      return await send(record, decision, 'person', images);
    } catch (err) {
      if (view.pending) view.pending.awaitingPerson = true;
      publish();
      return ApplicationFailure.create({
        type: NOT_SENT,
        message: `the decision was not sent: ${innermost(err)}`,
        nonRetryable: true,
      });
    }
  }

  /**
   * Approve or reject on TikTok (idempotent per workflow and action), record who decided and how long it took, read
   * the return back. A refusal by TikTok (the request already decided, cancelled, approved by TikTok) is not an
   * error: the decision is `superseded` and the read shows what happened instead.
   */
  async function send(
    record: ReturnDecisionRecord,
    decision: ReturnDecisionInput,
    channel: DecisionChannel,
    images?: { image_id: string; mime_type?: string; width?: number; height?: number }[],
  ): Promise<ReturnDecisionResult> {
    const action = record.action as SellerAction;
    const tiktok = tiktokDecision(action, decision.decision);
    let outcome: ReturnDecisionResult['outcome'] = decision.decision === 'approve' ? 'approved' : 'rejected';
    let reason: string | undefined;
    try {
      await acts.sendReturnDecision({
        shopId,
        returnId,
        workflowId,
        action,
        decision: tiktok,
        deadline: record.deadline,
        rejectReason: decision.rejectReason,
        comment: decision.comment,
        images,
        buyerKeepItem: decision.buyerKeepItem,
      });
    } catch (err) {
      if (!refusedByTikTok(err)) throw err;
      outcome = 'superseded';
      reason = `TikTok refused ${tiktok}: ${innermost(err)}`;
    }
    pending = undefined;
    view.pending = undefined;
    Object.assign(record, {
      decidedAt: iso(Date.now()),
      channel,
      decidedBy: decision.decidedBy,
      decision: tiktok,
      outcome,
    });
    await recordDecision(record);
    await refresh();
    return { outcome, action, tiktokDecision: tiktok, ...(reason ? { reason } : {}), status: view.status };
  }

  /** Escalations due now; a case found late pages once, at the level it has reached. */
  async function escalate(plan: Escalation[], record: ReturnDecisionRecord, settings: ReturnSettings): Promise<void> {
    const due = plan.filter((e) => e.fireAt <= Date.now() && !fired(record, e));
    const e = due.at(-1);
    if (!e) return;
    for (const d of due) view.escalated.push(`${record.action}:${d.beforeDeadline}`);
    view.risk = 'at_risk';
    publish();
    await acts.notifyReturn({
      shopId,
      returnId,
      kind: `escalation:${record.action}:${e.beforeDeadline}`,
      severity: e.severity,
      title: `Return ${returnId}: ${e.beforeDeadline} left to answer ${record.action}`,
      body:
        `TikTok approves the request itself at ${record.deadline} unless the seller answers. ` +
        `Decide: POST /v1/shops/${shopId}/returns/${returnId}/decision (or the human step).`,
      recipients: settings.paging[e.severity],
    });
  }

  /** Nobody decided in time: TikTok approves the request itself. Recorded, the step expired, paged as critical. */
  async function platformApproved(
    record: ReturnDecisionRecord,
    stepKey: string,
    settings: ReturnSettings,
  ): Promise<void> {
    // `pending` stays: a decision arriving now is refused with DeadlinePassed, not "nothing to decide".
    view.pending = undefined;
    view.risk = 'late';
    Object.assign(record, {
      decidedAt: record.deadline,
      channel: 'platform',
      decidedBy: 'TikTok',
      decision: tiktokDecision(record.action as SellerAction, 'approve'),
      outcome: 'auto_approved_by_platform',
    });
    publish();
    await recordDecision(record);
    await steps.close(stepKey, 'expired', { decidedBy: 'TikTok', decidedAt: record.deadline });
    await acts.notifyReturn({
      shopId,
      returnId,
      kind: `expired:${record.action}`,
      severity: 'critical',
      title: `Return ${returnId}: TikTok approved ${record.action} itself`,
      body: `Nobody answered before ${record.deadline}; TikTok approves undecided requests automatically.`,
      recipients: settings.paging.critical,
    });
    await refresh();
  }

  function fired(record: ReturnDecisionRecord, e: Escalation): boolean {
    return view.escalated.includes(`${record.action}:${e.beforeDeadline}`);
  }
}

/** TikTok refused the decision for good (25001044, an invalid status …: integrations/tiktok/errors.ts). */
function refusedByTikTok(err: unknown): boolean {
  return (
    err instanceof ActivityFailure &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === 'TikTokStateConflict'
  );
}
