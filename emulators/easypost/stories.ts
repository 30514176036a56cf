// The tracking histories the EasyPost emulator tells (issue 16 item 1): each story is a list of carrier events at
// offsets from the shipment time, shaped like the TrackingDetail entries of EasyPost's Tracker object
// (https://docs.easypost.com/docs/trackers; a recorded response of the official SDK's test suite,
// https://github.com/EasyPost/easypost-node test/cassettes/Tracker-Service, shows the field layout). Only the events
// whose time has come are visible, so a tracker created right after shipment grows as time passes, and a shipment
// time set in the past (admin API) shows the whole story at once. Messages follow USPS's wording.
import zipcodes from 'zipcodes';

export type StoryName =
  | 'delivered'
  | 'label_only'
  | 'late_first_scan'
  | 'delivered_other_zip'
  | 'return_to_sender'
  | 'in_transit'
  | 'out_for_delivery'
  | 'failure'
  | 'unknown';

export const STORY_NAMES: readonly StoryName[] = [
  'delivered',
  'label_only',
  'late_first_scan',
  'delivered_other_zip',
  'return_to_sender',
  'in_transit',
  'out_for_delivery',
  'failure',
  'unknown',
];

export interface Place {
  city: string;
  state: string;
  zip: string;
  country?: string;
}

/** Where the events of a story happen: the parcel's origin, destination, and (delivered_other_zip) the wrong door. */
export interface StoryPlaces {
  origin: Place;
  destination: Place;
  /** Where delivered_other_zip's delivery scan is; default: a real ZIP 15-40 miles from the destination. */
  deliveredAt?: Place;
}

type Where = 'none' | 'origin' | 'originHub' | 'destinationHub' | 'destination' | 'deliveredAt';

interface Step {
  hours: number;
  status: string;
  statusDetail: string;
  message: string;
  where: Where;
}

const H = (hours: number, status: string, statusDetail: string, message: string, where: Where): Step => ({
  hours,
  status,
  statusDetail,
  message,
  where,
});

const LABEL = H(0, 'pre_transit', 'label_created', 'Shipping Label Created, USPS Awaiting Item', 'origin');
const ACCEPTED = (h: number) =>
  H(h, 'in_transit', 'received_at_origin_facility', 'Accepted at USPS Origin Facility', 'origin');
const DEPARTED = (h: number) => H(h, 'in_transit', 'departed_facility', 'Departed USPS Regional Facility', 'originHub');
const ARRIVED = (h: number) =>
  H(h, 'in_transit', 'arrived_at_facility', 'Arrived at USPS Regional Destination Facility', 'destinationHub');
const OUT = (h: number, where: Where = 'destination') =>
  H(h, 'out_for_delivery', 'out_for_delivery', 'Out for Delivery, Expected Delivery by 9:00pm', where);
const DELIVERED = (h: number, where: Where = 'destination') =>
  H(h, 'delivered', 'arrived_at_destination', 'Delivered, Front Door/Porch', where);

const NORMAL = [LABEL, ACCEPTED(5), DEPARTED(9), ARRIVED(38), OUT(54), DELIVERED(61)];

const STEPS: Record<StoryName, Step[]> = {
  delivered: NORMAL,
  label_only: [LABEL],
  // Handed to the carrier four days after the label: TikTok counts the shipment from the label, the carrier from
  // its first scan.
  late_first_scan: [LABEL, ACCEPTED(100), DEPARTED(104), ARRIVED(130), OUT(146), DELIVERED(152)],
  delivered_other_zip: [
    LABEL,
    ACCEPTED(5),
    DEPARTED(9),
    ARRIVED(38),
    OUT(54, 'deliveredAt'),
    DELIVERED(61, 'deliveredAt'),
  ],
  return_to_sender: [
    LABEL,
    ACCEPTED(5),
    DEPARTED(9),
    ARRIVED(38),
    OUT(54),
    H(60, 'in_transit', 'delivery_exception', 'Delivery Attempted - No Access to Delivery Location', 'destination'),
    H(108, 'return_to_sender', 'return', 'Return to Sender Processed', 'destination'),
    H(130, 'return_to_sender', 'in_transit', 'In Transit to Sender', 'destinationHub'),
    H(170, 'return_to_sender', 'arrived_at_destination', 'Delivered to Sender, Front Desk', 'origin'),
  ],
  // EasyPost's test codes EZ2000000002 and EZ3000000003 stop in transit / out for delivery.
  in_transit: [LABEL, ACCEPTED(5), DEPARTED(9), ARRIVED(38)],
  out_for_delivery: [LABEL, ACCEPTED(5), DEPARTED(9), ARRIVED(38), OUT(54)],
  failure: [LABEL, ACCEPTED(5), H(20, 'failure', 'damaged', 'Package Damaged, Unable to Deliver', 'originHub')],
  unknown: [H(0, 'unknown', 'unknown', 'Status Not Available', 'none')],
};

/** EasyPost's own test tracking codes and the statuses they end in (https://docs.easypost.com/docs/trackers). */
export const EASYPOST_TEST_CODES: Record<string, StoryName> = {
  EZ1000000001: 'label_only',
  EZ2000000002: 'in_transit',
  EZ3000000003: 'out_for_delivery',
  EZ4000000004: 'delivered',
  EZ5000000005: 'return_to_sender',
  EZ6000000006: 'failure',
  EZ7000000007: 'unknown',
};

const PREFIXES: [string, StoryName][] = [
  ['EMU-NOSCAN', 'label_only'],
  ['EMU-LATE', 'late_first_scan'],
  ['EMU-OTHERZIP', 'delivered_other_zip'],
  ['EMU-RTS', 'return_to_sender'],
  ['EMU-DELIVERED', 'delivered'],
];

/**
 * The story of an unscripted tracking code: EasyPost's test codes as documented; `EMU-NOSCAN…`, `EMU-LATE…`,
 * `EMU-OTHERZIP…`, `EMU-RTS…` our four problem stories; anything else a normal delivery.
 */
export function storyForCode(code: string): StoryName {
  const upper = code.toUpperCase();
  return EASYPOST_TEST_CODES[upper] ?? PREFIXES.find(([p]) => upper.startsWith(p))?.[1] ?? 'delivered';
}

/** How long a story runs (its last event's offset). */
export function storyLengthMs(story: StoryName): number {
  return Math.max(...STEPS[story].map((s) => s.hours)) * 3_600_000;
}

export const DEFAULT_PLACES: StoryPlaces = {
  origin: { city: 'CARSON', state: 'CA', zip: '90745' },
  destination: { city: 'HOBOKEN', state: 'NJ', zip: '07030' },
};

const nearby = new Map<string, Place | undefined>();

/** A real ZIP 15-40 miles from `zip` (zipcodes' centroids), the same one every time; undefined if none is known. */
export function nearbyOtherZip(zip: string): Place | undefined {
  // A radius search walks every ZIP: once per destination is enough.
  if (nearby.has(zip)) return nearby.get(zip);
  const candidates = (zipcodes.radius(zip, 40) as string[])
    .map((z) => ({ z, miles: zipcodes.distance(zip, z) ?? 0 }))
    .filter((c) => c.miles >= 15)
    .sort((a, b) => a.miles - b.miles || a.z.localeCompare(b.z));
  const found = candidates[0] && zipcodes.lookup(candidates[0].z);
  const place = found ? { city: found.city.toUpperCase(), state: found.state, zip: found.zip } : undefined;
  nearby.set(zip, place);
  return place;
}

/** The regional facility that serves a place (USPS names them after the area: "… DISTRIBUTION CENTER"). */
const hub = (p: Place): Place => ({ ...p, city: `${p.city} DISTRIBUTION CENTER` });

export interface StoryEvent {
  at: number;
  status: string;
  statusDetail: string;
  message: string;
  location: Place | null;
}

/**
 * The story's events from `shippedAt` (epoch ms), stretched by `timeScale` (1: real hours; 1/3600: an hour a
 * second, for a compressed demo).
 */
export function storyEvents(story: StoryName, shippedAt: number, places: StoryPlaces, timeScale = 1): StoryEvent[] {
  const at = (where: Where): Place | null => {
    switch (where) {
      case 'none':
        return null;
      case 'origin':
        return places.origin;
      case 'originHub':
        return hub(places.origin);
      case 'destinationHub':
        return hub(places.destination);
      case 'destination':
        return places.destination;
      case 'deliveredAt':
        return places.deliveredAt ?? nearbyOtherZip(places.destination.zip) ?? places.destination;
    }
  };
  return STEPS[story].map((s) => ({
    at: shippedAt + Math.round(s.hours * 3_600_000 * timeScale),
    status: s.status,
    statusDetail: s.statusDetail,
    message: s.message,
    location: at(s.where),
  }));
}
