import { allHandlersFinished, condition, continueAsNew, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { parseDuration } from '../../shopSettings/duration';
import type { ShopSettings } from '../../shopSettings/schema';
import { checkDecidedBy, deadlinePassed, humanStepBook, invalidDecision } from '../shared/humanSteps';
import { upsertCaseAttributes, type CaseRiskLevel } from '../shared/searchAttributes';
import { decisionFromAudits, earliestExpiry, requalifyAtMs } from './audit';
import {
  getCategoryUngatingQuery,
  PROVIDE_DOCUMENTS_INPUT_SCHEMA,
  PROVIDE_DOCUMENTS_UPDATE,
  productAuditSignal,
  provideDocumentsUpdate,
  RECORD_DECISION_INPUT_SCHEMA,
  RECORD_DECISION_UPDATE,
  RECORD_SUBMISSION_INPUT_SCHEMA,
  RECORD_SUBMISSION_UPDATE,
  recordDecisionUpdate,
  recordSubmissionUpdate,
  type CategoryUngatingInput,
  type CategoryUngatingResult,
  type CategoryUngatingView,
  type ProductAuditEvent,
  type ProvideDocumentsInput,
  type RecordSubmissionInput,
  type RecordDecisionInput,
  type UngatingAttempt,
  type UngatingOutcome,
  type UngatingStage,
} from './messages';
import { ungatingActivities as acts } from './proxies';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const msOf = (text: string) => {
  const parsed = parseDuration(text);
  return 'ms' in parsed ? parsed.ms : DAY_MS;
};
const CASE_KIND = 'category_ungating';

/**
 * One workflow per shop and gated category (`ungating:<shopId>:<categoryId>`), each round an application:
 * Get Category Rules (is it gated) → check the vault against the category's requirements and ask a person for what is
 * missing (update provideDocuments, re-validated) → build the packet PDF (checklist + documents) → a person submits it
 * in Seller Center's Qualification Center (no API) and records it (recordSubmission) → TikTok's decision, recorded by a
 * person (recordDecision) or read from the product audit webhooks (productAudit) → on rejection: the reasons recorded,
 * a fix step, and the loop again, at most `ungating.maxAttempts` submissions → on approval: the certifications
 * attached to the category's products (Partial Edit Product) and their audits followed → asleep until
 * `ungating.requalifyBefore` the earliest document expires → re-qualification: the next round (continue-as-new).
 * Every step waits until its deadline (shop settings); a step nobody answers ends the round as `expired`.
 */
export async function categoryUngating(input: CategoryUngatingInput): Promise<CategoryUngatingResult> {
  const { shopId, categoryId } = input;
  const { workflowId } = workflowInfo();
  const round = input.requalification?.round ?? 1;
  const applicationId = `${workflowId}:${round}`;
  const requirementKey = input.requirementKey ?? categoryId;
  const steps = humanStepBook({ shopId, caseId: categoryId, workflowId });
  const view: CategoryUngatingView = {
    shopId,
    categoryId,
    applicationId,
    round,
    stage: 'checking',
    requiredDocumentTypes: [],
    attempts: [],
    products: [],
  };
  let notApplicable = input.notApplicable ?? [];
  let pinned: string[] = [];
  let risk: CaseRiskLevel = 'on_track';
  /** The step a person may answer now, with its deadline: what the validators check. */
  let waiting: { stepKey: string; updateName: string; dueMs: number } | undefined;
  /** Documents a person named, until the main loop takes them. */
  let provided = 0;
  let submission: { decidedBy: string; reference?: string; note?: string; at: string } | undefined;
  let decision: (RecordDecisionInput & { at: string }) | undefined;
  const audits: ProductAuditEvent[] = [];

  // A re-qualification checks the documents as of the day after the expiry it replaces.
  const checkAsOf = () =>
    input.requalification
      ? iso(Date.parse(`${input.requalification.earliestExpiry}T00:00:00.000Z`) + DAY_MS)
      : iso(Date.now());
  const requirementInput = () => ({
    requirementKey,
    ...(input.extraDocumentTypes ? { extraDocumentTypes: input.extraDocumentTypes } : {}),
    notApplicable,
  });

  setHandler(getCategoryUngatingQuery, () => view);
  setHandler(productAuditSignal, (event) => {
    // Bounded: the latest status per product.
    const at = audits.findIndex((a) => a.productId === event.productId);
    if (at >= 0) audits.splice(at, 1);
    audits.push(event);
  });
  const refuseUnlessWaitingFor = (updateName: string, body: { decidedBy?: unknown }) => {
    checkDecidedBy(body);
    if (!waiting || waiting.updateName !== updateName)
      throw new Error(`the application is ${view.stage}: nothing waits for ${updateName}`);
    if (Date.now() > waiting.dueMs) throw deadlinePassed(`the step ${waiting.stepKey} was due ${iso(waiting.dueMs)}`);
  };
  setHandler(
    provideDocumentsUpdate,
    async (body) => {
      const result = await acts.checkUngatingDocuments({
        shopId,
        ...requirementInput(),
        ...(body.notApplicable ? { notApplicable: body.notApplicable } : {}),
        pinned: [...pinned, ...body.certificateIds],
        asOf: checkAsOf(),
      });
      const mine = result.refused.filter((r) => body.certificateIds.includes(r.certificateId));
      if (mine.length) throw invalidDecision(mine.map((r) => `${r.certificateId}: ${r.reason}`).join('; '));
      pinned = [...new Set([...pinned, ...body.certificateIds])];
      if (body.notApplicable) notApplicable = body.notApplicable;
      view.check = result.check;
      view.requiredDocumentTypes = result.requirements.map((r) => r.documentType);
      provided++;
      return result.check;
    },
    {
      validator: (body: ProvideDocumentsInput) => {
        refuseUnlessWaitingFor(PROVIDE_DOCUMENTS_UPDATE, body);
        const ids: unknown = body.certificateIds;
        if (!Array.isArray(ids) || ids.length === 0 || ids.length > 50 || !ids.every((i) => typeof i === 'string'))
          throw invalidDecision('certificateIds: 1-50 vault certificate ids');
      },
    },
  );
  setHandler(
    recordSubmissionUpdate,
    (body) => {
      submission = { decidedBy: body.decidedBy, reference: body.reference, note: body.note, at: iso(Date.now()) };
      return current();
    },
    { validator: (body: RecordSubmissionInput) => refuseUnlessWaitingFor(RECORD_SUBMISSION_UPDATE, body) },
  );
  setHandler(
    recordDecisionUpdate,
    (body) => {
      decision = { ...body, at: iso(Date.now()) };
      return current();
    },
    {
      validator: (body: RecordDecisionInput) => {
        refuseUnlessWaitingFor(RECORD_DECISION_UPDATE, body);
        if (body.decision !== 'approved' && body.decision !== 'rejected')
          throw invalidDecision("decision: 'approved' or 'rejected'");
        if (body.decision === 'rejected' && !(body.reasons ?? []).some((r) => typeof r === 'string' && r.trim()))
          throw invalidDecision('a rejection names at least one of TikTok’s reasons');
      },
    },
  );

  const settings: ShopSettings['ungating'] = (await acts.readShopSettings({ shopId })).ungating;
  const platform = await acts.readCategoryRequirements({ shopId, categoryId });
  view.gated = platform.gated;
  view.permission = platform.permission;
  const found = await acts.checkUngatingDocuments({ shopId, ...requirementInput(), asOf: checkAsOf() });
  view.check = found.check;
  view.requiredDocumentTypes = found.requirements.map((r) => r.documentType);
  await record();

  // The application loop: documents → packet → submission → decision, again after each rejection.
  let outcome: UngatingOutcome | undefined;
  for (let attempt = 1; ; attempt++) {
    const rejected = view.attempts.at(-1)?.decision === 'rejected';
    if (rejected || view.check.missing.length > 0) {
      const ok = await documentsStep(attempt, rejected);
      if (!ok) {
        outcome = 'expired';
        break;
      }
    }
    const entry: UngatingAttempt = { attempt };
    view.attempts.push(entry);
    await stage('building_packet');
    const packet = await acts.buildUngatingPacket({
      shopId,
      categoryId,
      ...requirementInput(),
      round,
      attempt,
      asOf: iso(Date.now()),
      check: view.check,
      rejections: view.attempts.filter((a) => a.decision === 'rejected'),
      createdBy: workflowId,
    });
    entry.packetFileId = packet.fileId;
    await acts.recordUngatingAttempt({ applicationId, ...entry });

    if (!(await submitStep(entry))) {
      outcome = 'expired';
      break;
    }
    if (!(await decisionStep(entry))) {
      outcome = 'expired';
      break;
    }
    if (entry.decision === 'approved') break;
    if (attempt >= settings.maxAttempts) {
      outcome = 'rejected';
      await acts.notifyUngating({
        shopId,
        categoryId,
        key: `${round}:rejected-final`,
        severity: 'critical',
        title: `Category ${categoryId}: rejected ${attempt} times`,
        body: `The application stops after ${attempt} submissions (ungating.maxAttempts). Last reasons: ${(entry.reasons ?? []).join('; ')}.`,
      });
      break;
    }
  }

  if (outcome) return finish(outcome);

  // Approved: the documents the category's certifications take go onto its products; their audits are followed.
  await stage('attaching_certifications');
  audits.length = 0;
  const approvedRules = await acts.readCategoryRequirements({ shopId, categoryId });
  view.gated = approvedRules.gated;
  view.permission = approvedRules.permission;
  const chosen = await acts.selectCertificationDocuments({
    documents: view.check.satisfied,
    certifications: approvedRules.certifications,
  });
  if (chosen.attach.length) {
    const attached = await acts.attachCertifications({ shopId, categoryId, certificateIds: chosen.attach });
    view.products = attached.products.map((p) => ({ productId: p.productId, auditStatus: p.auditStatus }));
  }
  await stage('following_audit');
  const auditDue = Date.now() + msOf(settings.auditWithin);
  const settled = () => {
    for (const p of view.products) {
      const latest = audits.find((a) => a.productId === p.productId);
      if (latest)
        Object.assign(p, { auditStatus: latest.status, ...(latest.reasons ? { reasons: latest.reasons } : {}) });
    }
    return view.products.every((p) => ['APPROVED', 'FAILED'].includes(p.auditStatus.toUpperCase()));
  };
  publish(iso(auditDue));
  await condition(settled, Math.max(1, auditDue - Date.now()));
  const failed = view.products.filter((p) => p.auditStatus.toUpperCase() !== 'APPROVED');
  if (failed.length)
    await acts.notifyUngating({
      shopId,
      categoryId,
      key: `${round}:audit`,
      severity: 'warning',
      title: `Category ${categoryId}: ${failed.length} product(s) not approved after the certifications`,
      body: failed.map((p) => `${p.productId}: ${p.auditStatus} ${(p.reasons ?? []).join('; ')}`).join('\n'),
    });

  // Qualified: asleep until re-qualification is due, then the next round in a fresh history.
  const expiry = earliestExpiry(view.check.satisfied);
  if (!expiry) return finish('qualified');
  view.earliestExpiry = expiry;
  const wakeMs = requalifyAtMs(expiry, msOf(settings.requalifyBefore), Date.now());
  view.requalifyAt = iso(wakeMs);
  view.outcome = 'qualified';
  risk = 'on_track';
  await stage('qualified', iso(wakeMs));
  await sleep(Math.max(1, wakeMs - Date.now()));
  await condition(allHandlersFinished);
  return continueAsNew<typeof categoryUngating>({
    ...input,
    notApplicable,
    requalification: { round: round + 1, previousApplicationId: applicationId, earliestExpiry: expiry },
  });

  /** The attempt's current record (what the updates answer). */
  function current(): UngatingAttempt {
    return { ...(view.attempts.at(-1) ?? { attempt: 0 }) };
  }

  /** Asks for documents until nothing is missing (after a rejection: a fix, even if the vault looks complete). */
  async function documentsStep(attempt: number, fix: boolean): Promise<boolean> {
    const stepKey = fix ? `fix:${attempt}` : `documents:${attempt}`;
    const dueMs = Date.now() + msOf(settings.documentsWithin);
    const reasons = view.attempts.at(-1)?.reasons ?? [];
    await stage(fix ? 'fixing' : 'awaiting_documents');
    await steps.open({
      caseKind: CASE_KIND,
      stepKey,
      updateName: PROVIDE_DOCUMENTS_UPDATE,
      title: fix
        ? `Category ${categoryId}: fix the application (${reasons.join('; ')})`
        : `Category ${categoryId}: ${view.check!.missing.length} document(s) missing`,
      inputSchema: PROVIDE_DOCUMENTS_INPUT_SCHEMA,
      context: { categoryId, requiredDocumentTypes: view.requiredDocumentTypes, missing: view.check!.missing, reasons },
      dueAt: iso(dueMs),
      severity: fix ? 'warning' : 'info',
    });
    waiting = { stepKey, updateName: PROVIDE_DOCUMENTS_UPDATE, dueMs };
    publish(iso(dueMs));
    const before = provided;
    const ok = await condition(
      () => provided > before && view.check!.missing.length === 0,
      Math.max(1, dueMs - Date.now()),
    );
    waiting = undefined;
    if (!ok) {
      await expire(stepKey, 'documents');
      return false;
    }
    await steps.close(stepKey, 'decided', {
      decidedAt: iso(Date.now()),
      decision: { satisfied: view.check!.satisfied },
    });
    return true;
  }

  async function submitStep(entry: UngatingAttempt): Promise<boolean> {
    const stepKey = `submit:${entry.attempt}`;
    const dueMs = Date.now() + msOf(settings.submitWithin);
    submission = undefined;
    await stage('awaiting_submission');
    await steps.open({
      caseKind: CASE_KIND,
      stepKey,
      updateName: RECORD_SUBMISSION_UPDATE,
      title: `Category ${categoryId}: submit the packet in Seller Center (Qualification Center)`,
      inputSchema: RECORD_SUBMISSION_INPUT_SCHEMA,
      context: { categoryId, attempt: entry.attempt, packetFileId: entry.packetFileId },
      dueAt: iso(dueMs),
      severity: 'info',
    });
    waiting = { stepKey, updateName: RECORD_SUBMISSION_UPDATE, dueMs };
    publish(iso(dueMs));
    const ok = await condition(() => submission !== undefined, Math.max(1, dueMs - Date.now()));
    waiting = undefined;
    if (!ok) {
      await expire(stepKey, 'submission');
      return false;
    }
    const s = submission!;
    Object.assign(entry, {
      submittedAt: s.at,
      submittedBy: s.decidedBy,
      ...(s.reference ? { reference: s.reference } : {}),
    });
    await acts.recordUngatingAttempt({ applicationId, ...entry });
    await steps.close(stepKey, 'decided', {
      decidedBy: s.decidedBy,
      decidedAt: s.at,
      decision: { reference: s.reference },
    });
    return true;
  }

  /** TikTok's decision: a person records it, or the product audits after the submission show it. */
  async function decisionStep(entry: UngatingAttempt): Promise<boolean> {
    const stepKey = `decision:${entry.attempt}`;
    const dueMs = Date.now() + msOf(settings.decisionWithin);
    decision = undefined;
    audits.length = 0;
    // The audit webhooks carry only a product id: the product → category mapping routes them here once synced
    // (products listed since the last sync included; events recorded while unmapped are replayed).
    await acts.syncProductCategories({ shopId });
    await stage('awaiting_decision');
    await steps.open({
      caseKind: CASE_KIND,
      stepKey,
      updateName: RECORD_DECISION_UPDATE,
      title: `Category ${categoryId}: record TikTok's decision on submission ${entry.attempt}`,
      inputSchema: RECORD_DECISION_INPUT_SCHEMA,
      context: { categoryId, attempt: entry.attempt, submittedAt: entry.submittedAt, reference: entry.reference },
      dueAt: iso(dueMs),
      severity: 'info',
    });
    waiting = { stepKey, updateName: RECORD_DECISION_UPDATE, dueMs };
    publish(iso(dueMs));
    const ok = await condition(
      () => decision !== undefined || decisionFromAudits(audits) !== undefined,
      Math.max(1, dueMs - Date.now()),
    );
    waiting = undefined;
    if (!ok) {
      await expire(stepKey, 'decision');
      return false;
    }
    const person = decision as (RecordDecisionInput & { at: string }) | undefined;
    const fromAudit = person ? undefined : decisionFromAudits(audits)!;
    if (fromAudit?.decision === 'rejected') {
      // Webhook 37 says FAILED without the why: Get Product's audit_failed_reasons has it.
      const read = await acts.readProductAuditReasons({ shopId, productId: fromAudit.productId });
      if (read.reasons.length) fromAudit.reasons = read.reasons;
    }
    const decidedBy = person?.decidedBy ?? 'TikTok audit';
    Object.assign(entry, {
      decision: person?.decision ?? fromAudit!.decision,
      decidedAt: person?.at ?? iso(Date.now()),
      decidedBy,
      reasons: person ? (person.reasons ?? []) : fromAudit!.reasons,
    });
    await acts.recordUngatingAttempt({ applicationId, ...entry });
    await steps.close(stepKey, person ? 'decided' : 'auto', {
      decidedBy,
      decidedAt: entry.decidedAt,
      decision: {
        decision: entry.decision,
        reasons: entry.reasons,
        ...(fromAudit ? { productId: fromAudit.productId } : {}),
      },
    });
    return true;
  }

  /** Nobody answered the step in time: the round ends, a critical notice says which step. */
  async function expire(stepKey: string, what: string): Promise<void> {
    risk = 'late';
    await steps.close(stepKey, 'expired');
    await acts.notifyUngating({
      shopId,
      categoryId,
      key: `${round}:${stepKey}:expired`,
      severity: 'critical',
      title: `Category ${categoryId}: the ${what} step expired`,
      body: `Nothing was recorded for ${stepKey} before its deadline; the application is closed. Start it again: POST /v1/shops/${shopId}/ungating.`,
    });
  }

  async function finish(result: UngatingOutcome): Promise<CategoryUngatingResult> {
    view.outcome = result;
    if (result !== 'expired') risk = 'done';
    await steps.closeAll('superseded');
    await stage('closed', null, true);
    await condition(allHandlersFinished);
    return { outcome: result, applicationId, attempts: view.attempts.length };
  }

  async function stage(next: UngatingStage, deadline?: string | null, closed = false): Promise<void> {
    view.stage = next;
    view.waitingFor = undefined;
    publish(deadline === undefined ? null : deadline);
    await record(closed);
  }

  function publish(nextDeadline: string | null): void {
    if (waiting)
      view.waitingFor = { stepKey: waiting.stepKey, updateName: waiting.updateName, dueAt: iso(waiting.dueMs) };
    upsertCaseAttributes({
      shopId,
      kind: CASE_KIND,
      caseId: categoryId,
      stage: view.stage,
      risk: view.stage === 'closed' ? (view.outcome === 'expired' ? 'late' : 'done') : risk,
      nextDeadline: view.stage === 'closed' ? null : nextDeadline,
    });
  }

  async function record(closed = false): Promise<void> {
    await acts.recordUngatingApplication({
      applicationId,
      shopId,
      categoryId,
      round,
      workflowId,
      requirementKey,
      stage: view.stage,
      outcome: view.outcome ?? null,
      requiredTypes: view.requiredDocumentTypes,
      documents: view.check?.satisfied ?? [],
      earliestExpiry: view.earliestExpiry ?? null,
      requalifyAt: view.requalifyAt ?? null,
      requestedBy: input.requestedBy ?? null,
      closed,
    });
  }
}
