// The evidence activities case workflows call (chargebacks, appeals, rejected returns), as the shared interface of
// issue 16 states them: `trackOrderShipment` (activities/carrierTracking: an EasyPost tracker for the order's parcel,
// its history stored) and `buildEvidenceBundle` (activities/evidenceBundle: the PDF rendered, stored in the file store,
// recorded). Declared here by name and shape only (the sandbox proxies them), so a workflow needs nothing of their code.
import { proxyActivities } from '@temporalio/workflow';

/** One built evidence bundle (a PDF in the file store, purpose 'evidence-bundle'). */
export interface EvidenceBundleRef {
  bundleId: string;
  /** The file store id. */
  fileId: string;
  sha256: string;
  pageCount: number;
  sizeBytes: number;
  /** The newest data the bundle shows (its fixed creation date: a rebuild from the same data is byte-identical). */
  dataAsOf: string;
  builtAt: string;
}

export type EvidenceCaseKind = 'return' | 'chargeback' | 'dispute_appeal';

/** What a case needs of the carrier history (the stored history itself is the bundle's). */
export interface CarrierTrackingSummary {
  carrier: string;
  trackingCode: string;
  status: string;
  deliveredAt?: string;
}

export interface EvidenceActivities {
  /** The order's parcel tracked through EasyPost and its history stored; undefined while it has no tracking number. */
  trackOrderShipment(input: { shopId: string; orderId: string }): Promise<CarrierTrackingSummary | undefined>;
  buildEvidenceBundle(input: {
    shopId: string;
    caseKind: EvidenceCaseKind;
    caseId: string;
    orderId: string;
    requestedBy: string;
  }): Promise<EvidenceBundleRef>;
}

/**
 * A few attempts, then the case goes on without it: a case whose tracker or bundle cannot be had still opens its
 * human step (its deadline runs regardless), saying what is missing.
 */
export const evidenceActivities = proxyActivities<EvidenceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});
