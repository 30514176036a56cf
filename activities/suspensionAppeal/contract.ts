// TEMPORARY (appeal-workflow helper): the content activities as common17 names them, typed until they land.
import type {
  AppealEligibility,
  AppealEvidenceRef,
  PlanOfAction,
  RenderAppealPlanInput,
  RenderedAppealPlan,
  SuspensionNotice,
} from '../../appeal/model';

export interface AppealContentActivities {
  assessSuspensionNotice(input: { shopId: string; notice: SuspensionNotice }): Promise<AppealEligibility>;
  gatherAppealEvidence(input: { shopId: string; notice: SuspensionNotice }): Promise<AppealEvidenceRef>;
  draftAppealPlan(input: {
    shopId: string;
    notice: SuspensionNotice;
    evidenceRef: AppealEvidenceRef;
    revisionOf?: { plan: PlanOfAction; denialReason: string; deniedAt: string };
  }): Promise<{ plan: PlanOfAction; changesSinceFirst?: string[] }>;
  renderAppealPlan(input: RenderAppealPlanInput): Promise<RenderedAppealPlan>;
}
