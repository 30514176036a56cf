// The evidence activities case workflows call (chargebacks, appeals, rejected returns), as the shared interface of
// issue 16 states them: `trackOrderShipment` (activities/carrierTracking: an EasyPost tracker for the order's parcel,
// its history stored) and `buildEvidenceBundle` (activities/evidenceBundle: the PDF rendered, stored in the file store,
// recorded). Proxied here with type-only imports (the sandbox gets nothing of their code).
import { proxyActivities } from '@temporalio/workflow';
import type { BuildEvidenceBundleInput, EvidenceBundleRef } from '../../activities/evidenceBundle';
import type { CarrierTrackingHistory } from '../../integrations/carrierTracking/types';

export type { EvidenceBundleRef } from '../../activities/evidenceBundle';

/** What a case keeps of the carrier history in its view (the whole history is the bundle's). */
export interface CarrierTrackingSummary {
  carrier: string;
  trackingCode: string;
  status: string;
  scans: number;
  labelCreatedAt?: string;
  firstScanAt?: string;
  deliveredAt?: string;
  /** The delivery scan's ZIP. */
  deliveryZip?: string;
}

/** The summary a case keeps of a carrier history. */
export function trackingSummary(h: CarrierTrackingHistory): CarrierTrackingSummary {
  return {
    carrier: h.carrier,
    trackingCode: h.trackingCode,
    status: h.status,
    scans: h.scans.length,
    ...(h.labelCreatedAt ? { labelCreatedAt: h.labelCreatedAt } : {}),
    ...(h.firstScanAt ? { firstScanAt: h.firstScanAt } : {}),
    ...(h.deliveredAt ? { deliveredAt: h.deliveredAt } : {}),
    ...(h.deliveryLocation?.zip ? { deliveryZip: h.deliveryLocation.zip } : {}),
  };
}

export interface EvidenceActivities {
  /** The order's parcel tracked through EasyPost and its history stored; undefined while it has no tracking number. */
  trackOrderShipment(input: { shopId: string; orderId: string }): Promise<CarrierTrackingHistory | undefined>;
  buildEvidenceBundle(input: BuildEvidenceBundleInput): Promise<EvidenceBundleRef>;
}

/**
 * A few attempts, then the case goes on without it: a case whose tracker or bundle cannot be had still opens its
 * human step (its deadline runs regardless), saying what is missing.
 */
export const evidenceActivities = proxyActivities<EvidenceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});
