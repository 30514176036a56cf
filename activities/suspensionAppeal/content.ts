import { ApplicationFailure } from '@temporalio/common';
import { assessEligibility, noticeTime } from '../../appeal/eligibility';
import {
  APPEAL_PLAN_PURPOSE,
  type AppealEligibility,
  type AppealEvidence,
  type AppealEvidenceRef,
  type PlanOfAction,
  type RenderAppealPlanInput,
  type RenderedAppealPlan,
  type SuspensionNotice,
} from '../../appeal/model';
import { appealPlanDocument } from '../../appeal/planDocument';
import { changesSinceFirst, draftPlanOfAction } from '../../appeal/planOfAction';
import type { AppConfig } from '../../config';
import type { Db } from '../../db/knex';
import { createFileStore, type FileStore } from '../../files/fileStore';
import { renderPdfDocument } from '../../pdf/render';
import type { Keyring } from '../../secrets/keyring';
import { createAppealEvidenceActivities } from './evidence';

/** What the appeal's content activities need: the database and the file store (evidence JSON, plan PDFs). */
export interface AppealContentDeps {
  db: Db;
  files: FileStore;
}

/** The failure type when an appeal's evidence file is gone (expired or another shop's): retrying cannot help. */
export const APPEAL_EVIDENCE_MISSING = 'AppealEvidenceMissing';

/** The eligibility activity's answer: the full assessment, plus the shape the workflow branches on. */
export type AppealAssessment = AppealEligibility &
  (
    | { eligible: true; region: string; windowMs: number; source: string }
    | { eligible: false; refusal: { category: string; explanation: string; whereToGo: string; source: string } }
  );

/** The notice assessed (appeal/eligibility.ts), with the window in ms (accepted) or the refusal in words. */
export function appealAssessment(notice: SuspensionNotice): AppealAssessment {
  const e = assessEligibility(notice);
  if (e.eligible) {
    const windowMs = Date.parse(e.window.appealBy) - noticeTime(notice).getTime();
    return { ...e, eligible: true, region: notice.region, windowMs, source: e.window.source };
  }
  const whereToGo = e.whereToGo.map((w) => `${w.name}: ${w.what} ${w.url}`).join('\n');
  return {
    ...e,
    eligible: false,
    refusal: { category: e.category, explanation: e.explanation, whereToGo, source: e.rule.source },
  };
}

/**
 * The content of a suspension appeal (issue 18 items 1–3), by step: is it one we appeal (assessSuspensionNotice),
 * the evidence (./evidence.ts), the drafted Plan of Action (draftAppealPlan) and its PDF (renderAppealPlan). The
 * workflow passes refs; the evidence itself stays in the file store.
 */
export function createAppealContentActivities(deps: {
  cfg: Pick<AppConfig, 'FILE_MAX_BYTES' | 'FILE_RETENTION_DAYS'>;
  db: Db;
  /** SECRETS_ENCRYPTION_KEY: the file store seals the evidence and the PDF with it. */
  secretsKeyring?: Keyring;
}) {
  const content: AppealContentDeps = {
    db: deps.db,
    files: createFileStore({
      db: deps.db,
      keyring: deps.secretsKeyring,
      maxBytes: deps.cfg.FILE_MAX_BYTES,
      retainDays: deps.cfg.FILE_RETENTION_DAYS,
    }),
  };

  async function loadEvidence(ref: AppealEvidenceRef): Promise<AppealEvidence> {
    const stored = await content.files.get(ref.shopId, ref.fileId);
    if (!stored)
      throw ApplicationFailure.create({
        type: APPEAL_EVIDENCE_MISSING,
        message: `the evidence ${ref.fileId} of notice ${ref.noticeId} is not in shop ${ref.shopId}'s file store`,
        nonRetryable: true,
      });
    return JSON.parse(stored.bytes.toString('utf8')) as AppealEvidence;
  }

  return {
    ...createAppealEvidenceActivities(content),

    /** Whether the product appeals this notice, by the rows in force at the notice (policy/appealRows.ts). */
    assessSuspensionNotice(input: { shopId: string; notice: SuspensionNotice }): Promise<AppealAssessment> {
      return Promise.resolve(appealAssessment(input.notice));
    },

    /**
     * The Plan of Action drafted from the stored evidence. A revised appeal (`revisionOf`: the plan TikTok denied)
     * states what changed since the first.
     */
    async draftAppealPlan(input: {
      shopId: string;
      notice: SuspensionNotice;
      evidenceRef: AppealEvidenceRef;
      revisionOf?: { plan: PlanOfAction; denialReason: string; deniedAt: string };
    }): Promise<{ plan: PlanOfAction; changesSinceFirst?: string[] }> {
      const evidence = await loadEvidence(input.evidenceRef);
      const plan = draftPlanOfAction(input.notice, evidence);
      if (!input.revisionOf) return { plan };
      const changes = changesSinceFirst(input.revisionOf.plan, plan, evidence);
      const denied = `The first appeal was denied on ${input.revisionOf.deniedAt.slice(0, 10)} (${input.revisionOf.denialReason}).`;
      const changedSinceFirst = [denied, ...changes].join(' ');
      return { plan: { ...plan, changedSinceFirst }, changesSinceFirst: changes };
    },

    /** The plan's PDF with the evidence tables attached, stored in the file store (same inputs, same bytes). */
    async renderAppealPlan(input: RenderAppealPlanInput): Promise<RenderedAppealPlan> {
      const evidence = await loadEvidence(input.evidenceRef);
      const doc = appealPlanDocument({ appealId: input.appealId, version: input.version }, input.plan, evidence);
      const { bytes, pageCount } = await renderPdfDocument(doc);
      const file = await content.files.put(input.shopId, bytes, {
        purpose: APPEAL_PLAN_PURPOSE,
        createdBy: input.appealId,
      });
      return { fileId: file.fileId, sha256: file.fileId, pageCount };
    },
  };
}

export type AppealContentActivities = ReturnType<typeof createAppealContentActivities>;
