// Carrier tracking through EasyPost's Tracker API with the official SDK (@easypost/api). Every field read here is
// documented on EasyPost's Tracker page, https://docs.easypost.com/docs/trackers (Tracker: id, tracking_code, carrier,
// status, signed_by, public_url, updated_at, tracking_details[], carrier_detail; TrackingDetail: datetime, status,
// status_detail, message, tracking_location city/state/zip/country; CarrierDetail: service, origin_location,
// destination_location, initial_delivery_attempt, est_delivery_date_local). Creating a tracker returns its whole
// history at once (https://docs.easypost.com/guides/tracking-guide), so one call serves a case opened late.
import EasyPostClient from '@easypost/api';
import type { CarrierScan, CarrierTracking, CarrierTrackingHistory } from '../carrierTracking/types';

/** EasyPost's production API; the SDK appends the resource path (`trackers`) to it. */
export const EASYPOST_DEFAULT_BASE_URL = 'https://api.easypost.com/v2/';

// The slice of EasyPost's Tracker JSON this module reads; every field may be null or missing (data availability
// varies by carrier, https://docs.easypost.com/docs/trackers).
type Maybe<T> = T | null | undefined;
export interface EasyPostTrackingLocation {
  city?: Maybe<string>;
  state?: Maybe<string>;
  zip?: Maybe<string>;
  country?: Maybe<string>;
}
export interface EasyPostTrackingDetail {
  datetime?: Maybe<string>;
  status?: Maybe<string>;
  status_detail?: Maybe<string>;
  message?: Maybe<string>;
  tracking_location?: Maybe<EasyPostTrackingLocation>;
}
export interface EasyPostTrackerJson {
  id: string;
  tracking_code: string;
  carrier?: Maybe<string>;
  status?: Maybe<string>;
  signed_by?: Maybe<string>;
  public_url?: Maybe<string>;
  updated_at?: Maybe<string>;
  est_delivery_date?: Maybe<string>;
  tracking_details?: Maybe<EasyPostTrackingDetail[]>;
  carrier_detail?: Maybe<{
    service?: Maybe<string>;
    origin_location?: Maybe<string>;
    destination_location?: Maybe<string>;
    initial_delivery_attempt?: Maybe<string>;
    est_delivery_date_local?: Maybe<string>;
  }>;
}

const text = (v: Maybe<string>): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const iso = (v: Maybe<string>): string | undefined => {
  const t = text(v) ? Date.parse(v!) : NaN;
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};

function location(l: Maybe<EasyPostTrackingLocation>): CarrierScan['location'] {
  if (!l) return undefined;
  const out = { city: text(l.city), state: text(l.state), zip: text(l.zip), country: text(l.country) };
  const kept = Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

// pre_transit: EasyPost has the label but the carrier has not scanned the package; unknown: no usable status. Any
// other status is a carrier event with the package in hand.
const NOT_SCANNED = new Set(['pre_transit', 'unknown']);

/**
 * EasyPost's Tracker JSON as a CarrierTrackingHistory: scans oldest first (EasyPost lists them so, but a carrier's
 * late correction can be out of order), label created = the first pre-transit entry, first scan = the first entry
 * past pre-transit, delivered = the last delivered entry and its location.
 */
export function historyFromTracker(t: EasyPostTrackerJson, fetchedAt: string): CarrierTrackingHistory {
  const scans: CarrierScan[] = [];
  for (const d of t.tracking_details ?? []) {
    const at = iso(d.datetime);
    if (!at) continue;
    const statusDetail = text(d.status_detail);
    const loc = location(d.tracking_location);
    scans.push({
      at,
      status: text(d.status) ?? 'unknown',
      ...(statusDetail ? { statusDetail } : {}),
      message: text(d.message) ?? '',
      ...(loc ? { location: loc } : {}),
    });
  }
  scans.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const labelCreated = scans.find((s) => s.status === 'pre_transit');
  const firstScan = scans.find((s) => !NOT_SCANNED.has(s.status));
  const delivered = scans.filter((s) => s.status === 'delivered').at(-1);
  const cd = t.carrier_detail;
  const detail = {
    service: text(cd?.service),
    originLocation: text(cd?.origin_location),
    destinationLocation: text(cd?.destination_location),
    initialDeliveryAttempt: iso(cd?.initial_delivery_attempt),
    estDeliveryDate: iso(cd?.est_delivery_date_local) ?? iso(t.est_delivery_date),
  };
  const carrierDetail = Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined));
  const signedBy = text(t.signed_by);
  const publicUrl = text(t.public_url);
  return {
    source: 'easypost',
    trackerId: t.id,
    carrier: text(t.carrier) ?? '',
    trackingCode: t.tracking_code,
    status: text(t.status) ?? 'unknown',
    ...(signedBy ? { signedBy } : {}),
    ...(publicUrl ? { publicUrl } : {}),
    scans,
    ...(labelCreated ? { labelCreatedAt: labelCreated.at } : {}),
    ...(firstScan ? { firstScanAt: firstScan.at } : {}),
    ...(delivered ? { deliveredAt: delivered.at } : {}),
    ...(delivered?.location ? { deliveryLocation: delivered.location } : {}),
    ...(Object.keys(carrierDetail).length > 0 ? { carrierDetail } : {}),
    fetchedAt,
  };
}

/**
 * The EasyPost implementation of CarrierTracking. `baseUrl` points the SDK at our emulator (emulators/easypost/);
 * it must end in `/v2/` as the SDK's default does. Creating a tracker for a code EasyPost already tracks returns
 * that tracker (https://docs.easypost.com/docs/trackers#create-a-tracker), so a retried activity creates no second.
 */
export function createEasyPostTracking(opts: {
  apiKey: string;
  baseUrl?: string;
  timeoutMs?: number;
  now?: () => Date;
}): CarrierTracking {
  const client = new EasyPostClient(opts.apiKey, {
    baseUrl: opts.baseUrl ?? EASYPOST_DEFAULT_BASE_URL,
    timeout: opts.timeoutMs ?? 20_000,
  });
  const now = opts.now ?? (() => new Date());
  return {
    async track({ carrier, trackingCode }) {
      // Without a carrier EasyPost detects it from the code (https://docs.easypost.com/guides/tracking-guide).
      const tracker = await client.Tracker.create({ tracking_code: trackingCode, ...(carrier ? { carrier } : {}) });
      return historyFromTracker(tracker, now().toISOString());
    },
  };
}
