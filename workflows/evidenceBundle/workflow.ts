import { proxyActivities } from '@temporalio/workflow';
import type {
  BuildEvidenceBundleInput,
  EvidenceBundleActivities,
  EvidenceBundleRef,
} from '../../activities/evidenceBundle';
import { NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED } from '../shared/failureTypes';

const { buildEvidenceBundle } = proxyActivities<EvidenceBundleActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED],
  },
});

/**
 * An evidence bundle built on request (POST /v1/shops/:shopId/evidence-bundles): the same activity the case workflows
 * call (chargeback, disputeAppeal, returns), run here so the API never calls TikTok itself. One business step.
 */
export async function evidenceBundle(input: BuildEvidenceBundleInput): Promise<EvidenceBundleRef> {
  return buildEvidenceBundle(input);
}
