// Carrier tracking behind one interface (issue 16): the evidence bundle and the dispute workflows read a package's
// carrier history without knowing which tracking service produced it. The only implementation is EasyPost's Tracker
// API (integrations/easypost/tracking.ts); the field meanings follow EasyPost's Tracker object,
// https://docs.easypost.com/docs/trackers (see docs/easypost-tracking.md).

/** One carrier scan (an EasyPost `tracking_details[]` entry). */
export interface CarrierScan {
  /** When the carrier recorded the scan (ISO). */
  at: string;
  /** EasyPost `tracking_details[].status`: pre_transit, in_transit, out_for_delivery, delivered, return_to_sender… */
  status: string;
  /** EasyPost `tracking_details[].status_detail` (label_created, arrived_at_facility, …), where given. */
  statusDetail?: string;
  /** The carrier's own words. */
  message: string;
  /** EasyPost `tracking_details[].tracking_location`; data availability varies by carrier. */
  location?: { city?: string; state?: string; zip?: string; country?: string };
}

/** A package's carrier history as the tracking service last returned it. */
export interface CarrierTrackingHistory {
  source: 'easypost';
  trackerId: string;
  /** The carrier code the service uses (EasyPost: USPS, UPS, FedEx, …). */
  carrier: string;
  trackingCode: string;
  /** The tracker's current status (EasyPost `status`). */
  status: string;
  /** EasyPost `signed_by`: who signed for the package, where the carrier reports it. */
  signedBy?: string;
  /** EasyPost `public_url`: the public tracking page. */
  publicUrl?: string;
  /** Oldest first. */
  scans: CarrierScan[];
  /** The first pre-transit entry (the label was created / the carrier was told of the package). */
  labelCreatedAt?: string;
  /** The first entry past pre-transit: the carrier had the package in hand. */
  firstScanAt?: string;
  /** The last `delivered` entry. */
  deliveredAt?: string;
  /** Where the delivery scan says the package was delivered. */
  deliveryLocation?: CarrierScan['location'];
  /**
   * Extra facts some carriers give (EasyPost `carrier_detail`), where present. An addition to the agreed interface:
   * optional, so code written against the interface is unaffected.
   */
  carrierDetail?: {
    service?: string;
    originLocation?: string;
    destinationLocation?: string;
    /** The first delivery attempt, when it differs from the delivery (EasyPost `initial_delivery_attempt`). */
    initialDeliveryAttempt?: string;
    estDeliveryDate?: string;
  };
  /** When this history was read (ours for a tracker we created; EasyPost's `updated_at` for a webhook's). */
  fetchedAt: string;
}

export interface CarrierTracking {
  /** Creates (or finds) the tracker of this package and returns its full history. */
  track(input: { carrier: string; trackingCode: string }): Promise<CarrierTrackingHistory>;
}
