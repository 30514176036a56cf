// TEMPORARY (appeal-workflow helper): the content activities as common17 names them, typed until they land.
import type { AppealEvidenceRef, PlanOfAction, SuspensionNotice } from '../../appeal/model';

export interface AppealContentActivities {
  assessSuspensionNotice(input: {
    shopId: string;
    notice: SuspensionNotice;
  }): Promise<
    | { eligible: true; region: string; windowMs: number; source: string }
    | { eligible: false; refusal: { category: string; explanation: string; whereToGo: string; source?: string } }
  >;
  gatherAppealEvidence(input: { shopId: string; notice: SuspensionNotice }): Promise<AppealEvidenceRef>;
  draftAppealPlan(input: {
    shopId: string;
    notice: SuspensionNotice;
    evidenceRef: AppealEvidenceRef;
    revisionOf?: { plan: PlanOfAction; denialReason: string; deniedAt: string };
  }): Promise<{ plan: PlanOfAction; changesSinceFirst?: string[] }>;
  renderAppealPlan(input: {
    shopId: string;
    appealId: string;
    version: number;
    plan: PlanOfAction;
    evidenceRef: AppealEvidenceRef;
  }): Promise<{ fileId: string; sha256: string; pageCount: number }>;
}
