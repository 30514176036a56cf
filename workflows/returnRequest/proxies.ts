import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { ReturnRequestActivities } from '../../activities/returnRequest';
import { NON_RETRYABLE_TIKTOK_FAILURES, RETURN_NOT_FOUND, SHOP_NOT_CONNECTED } from '../shared/failureTypes';
import type { AutoApproveSetting, EscalationSetting } from './returnDecision';

/**
 * What the return workflow reads of the shop's settings (shopSettings/schema.ts `ShopSettings`: this is the part it
 * uses, so any settings object with these fields serves).
 */
export interface ReturnSettings {
  returns: EscalationSetting & { autoApprove: AutoApproveSetting };
  paging: { warning: string[]; critical: string[] };
}

/**
 * The shared activities of the case contract the return workflow calls (docs/case-contract.md): the shop's settings,
 * the human-step record and the file store's upload to TikTok. Their shapes as agreed for issue 15.
 */
export interface CaseContractActivities {
  readShopSettings(input: { shopId: string }): Promise<ReturnSettings>;
  openHumanStep(input: {
    shopId: string;
    caseKind: string;
    caseId: string;
    workflowId: string;
    stepKey: string;
    updateName: string;
    title: string;
    inputSchema: object;
    context?: object;
    dueAt: string;
    severity?: 'info' | 'warning' | 'critical';
  }): Promise<{ stepId: string }>;
  closeHumanStep(input: {
    workflowId: string;
    stepKey: string;
    outcome: 'decided' | 'auto' | 'expired' | 'withdrawn' | 'superseded';
    decidedBy?: string;
    decidedAt?: string;
    decision?: object;
  }): Promise<void>;
  uploadEvidenceToTikTok(input: {
    shopId: string;
    fileId: string;
  }): Promise<{ uri: string; width?: number; height?: number; mimeType?: string }>;
}

/**
 * The return's activities. TikTok's permanent failures (a refused decision: 25001044, invalid status) stop retrying
 * and reach the workflow, which reads the return back; transient ones retry.
 */
const RETURN_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [...NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED, RETURN_NOT_FOUND, 'FileNotFound'],
  },
};

export const returnActivities = proxyActivities<ReturnRequestActivities & CaseContractActivities>(
  RETURN_ACTIVITY_OPTIONS,
);
