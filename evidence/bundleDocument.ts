// The evidence bundle's content (issue 16): the data gathered for a case (activities/evidenceBundle/) turned into the
// document the shared renderer prints (pdf/render.ts). Pure: the same data gives the same document, and the document's
// date is the newest timestamp in the data, so an unchanged case rebuilds byte-identical.
import { createRequire } from 'node:module';
import type * as Zipcodes from 'zipcodes';
import type { EvidenceCaseKind, OrderLogEntry } from '../db/evidenceBundles';
import type { CarrierScan, CarrierTrackingHistory } from '../integrations/carrierTracking/types';
import type { TikTokOrder } from '../integrations/tiktok/orders';
import type { TrackingEvent } from '../integrations/tiktok/fulfillment';
import type { PdfBlock, PdfDoc, PdfSection } from '../pdf/render';

export type { EvidenceCaseKind };

/** A carrier scan's place (EasyPost `tracking_details[].tracking_location`). */
type ScanLocation = CarrierScan['location'];

export interface EvidenceData {
  shopId: string;
  caseKind: EvidenceCaseKind;
  caseId: string;
  orderId: string;
  /** Get Order Detail's order, as TikTok returned it; undefined when TikTok returned none. */
  order?: TikTokOrder;
  /** Get Tracking: TikTok's own tracking events of the order. */
  tiktokTracking: TrackingEvent[];
  /** The stored carrier history (db/carrierTrackers.ts `latest`); undefined when the order has no tracker. */
  carrier?: CarrierTrackingHistory;
  /** Our own records of the order (db/evidenceBundles.ts `orderEventLog`). */
  eventLog: OrderLogEntry[];
}

const CASE_LABEL: Record<EvidenceCaseKind, string> = {
  return: 'Return',
  chargeback: 'Chargeback',
  dispute_appeal: 'Dispute appeal',
};

/**
 * "2026-03-01 14:05:09 UTC": to the second, always UTC, so a reader and a test see the same figure. The spaces are
 * no-break spaces: a time never wraps inside a table cell.
 */
export function formatTime(at: Date | string | number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10)}\u00a0${iso.slice(11, 19)}\u00a0UTC`;
}

const unixTime = (seconds: number | undefined) => (seconds === undefined ? undefined : new Date(seconds * 1000));

/** "2 d 3 h 15 min (51.3 hours)"; under a day "3 h 15 min (3.3 hours)". */
export function formatGap(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d ? `${d} d` : '', d || h ? `${h} h` : '', `${m} min`].filter(Boolean);
  return `${sign}${parts.join(' ')} (${sign}${(Math.abs(ms) / 3_600_000).toFixed(1)} hours)`;
}

/** The five-digit ZIP of a US postal code ("62701-1234" → "62701"); undefined when there is none. */
export function zip5(postal: string | undefined): string | undefined {
  const m = /^\s*(\d{5})(?:-?\d{4})?\s*$/.exec(postal ?? '');
  return m?.[1];
}

// Mean Earth radius (IUGG), https://en.wikipedia.org/wiki/Earth_radius#Mean_radius.
const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_MILE = 1.609344;

/** Great-circle (haversine) distance in km, https://en.wikipedia.org/wiki/Haversine_formula. */
export function greatCircleKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface ZipDistance {
  fromZip: string;
  toZip: string;
  km: number;
  miles: number;
}

// The ZIP table (about 40,000 centroids, ~90 MB in memory) loads on the first lookup, not with this module.
let zipTable: typeof Zipcodes | undefined;
const zipcodes = () => (zipTable ??= createRequire(__filename)('zipcodes') as typeof Zipcodes);

/** Distance between two ZIP codes' centroids (the `zipcodes` package's table); undefined when either is unknown. */
export function zipDistance(fromZip: string | undefined, toZip: string | undefined): ZipDistance | undefined {
  const a = fromZip && zipcodes().lookup(fromZip);
  const b = toZip && zipcodes().lookup(toZip);
  if (!a || !b) return undefined;
  const km = greatCircleKm(a, b);
  return { fromZip: a.zip, toZip: b.zip, km, miles: km / KM_PER_MILE };
}

export const formatDistance = (d: ZipDistance) => `${d.km.toFixed(1)} km (${d.miles.toFixed(1)} miles)`;

export const DISTANCE_METHOD =
  'Method: great-circle distance between ZIP code centroids (the zipcodes package, 8.0.0), not between geocoded ' +
  'street addresses; a delivery inside the same ZIP code reads 0.0 km.';

function place(loc: ScanLocation | undefined): string {
  if (!loc) return '—';
  const cityState = [loc.city, loc.state].filter(Boolean).join(', ');
  return [cityState, loc.zip, loc.country && loc.country !== 'US' ? loc.country : ''].filter(Boolean).join(' ') || '—';
}

const orNone = (v: string | number | boolean | undefined | null) =>
  v === undefined || v === null || v === '' ? '—' : String(v);

/** The newest timestamp in the data (to the second): the document's date (never the clock). */
export function dataAsOf(data: EvidenceData): Date {
  const times: number[] = [];
  const add = (t: Date | string | number | undefined) => {
    if (t === undefined) return;
    const ms = new Date(t).getTime();
    if (Number.isFinite(ms)) times.push(ms);
  };
  const o = data.order;
  if (o) {
    for (const s of [o.create_time, o.update_time, o.paid_time, o.rts_time, o.collection_time, o.delivery_time]) {
      add(unixTime(s));
    }
  }
  for (const e of data.tiktokTracking) add(e.update_time_millis);
  for (const s of data.carrier?.scans ?? []) add(s.at);
  add(data.carrier?.deliveredAt);
  for (const e of data.eventLog) add(e.at);
  // Whole seconds, rounded up: a PDF date has no milliseconds, and the row's dataAsOf is the PDF's own date.
  return new Date(times.length ? Math.ceil(Math.max(...times) / 1000) * 1000 : 0);
}

function caseSection(data: EvidenceData, asOf: Date): PdfSection {
  return {
    heading: 'Case',
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Case', `${CASE_LABEL[data.caseKind]} ${data.caseId}`],
          ['Shop', data.shopId],
          ['Order', data.orderId],
          ['Data as of', formatTime(asOf)],
        ],
      },
    ],
  };
}

function money(amount: string | undefined, currency: string | undefined): string {
  return amount === undefined ? '—' : `${amount}${currency ? `\u00a0${currency}` : ''}`;
}

function orderSection(data: EvidenceData): PdfSection {
  const o = data.order;
  if (!o) {
    return {
      heading: 'Order',
      blocks: [{ kind: 'paragraph', text: `TikTok returned no order ${data.orderId} for this shop.` }],
    };
  }
  const time = (s: number | undefined) => (s === undefined ? '—' : formatTime(s * 1000));
  const currency = o.payment?.currency;
  const lines = o.line_items ?? [];
  return {
    heading: 'Order',
    note: 'As Get Order Detail returned it. TikTok lists one line per unit.',
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Order id', o.id],
          ['Status', o.status],
          ['Created', time(o.create_time)],
          ['Paid', time(o.paid_time)],
          ['Collected by carrier', time(o.collection_time)],
          ['Delivered (TikTok)', time(o.delivery_time)],
          ['Shipping provider', orNone(o.shipping_provider)],
          ['Tracking number', orNone(o.tracking_number)],
          ['Fulfillment', orNone(o.fulfillment_type)],
          ['Total', money(o.payment?.total_amount, currency)],
          ['Buyer note at checkout', orNone(o.buyer_message)],
        ],
      },
      lines.length
        ? {
            kind: 'table',
            columns: ['Line', 'Product', 'SKU', 'Seller SKU', 'Price', 'Status', 'Tracking'],
            rows: lines.map((l) => [
              l.id,
              orNone(l.product_name),
              orNone(l.sku_name ?? l.sku_id),
              orNone(l.seller_sku),
              money(l.sale_price, l.currency ?? currency),
              orNone(l.display_status),
              orNone(l.tracking_number),
            ]),
          }
        : { kind: 'paragraph', text: 'The order has no line items.' },
    ],
  };
}

function addressSection(data: EvidenceData): PdfSection {
  const a = data.order?.recipient_address;
  const note =
    'The delivery address exactly as TikTok returned it (Get Order Detail recipient_address). Buyer data: held for ' +
    'this dispute only.';
  if (!a) {
    return {
      heading: 'Delivery address',
      note,
      blocks: [{ kind: 'paragraph', text: 'TikTok returned no delivery address for this order.' }],
    };
  }
  const rows: [string, string][] = [
    ['Name', orNone(a.name ?? [a.first_name, a.last_name].filter(Boolean).join(' '))],
    ['Phone', orNone(a.phone_number)],
    ['Full address', orNone(a.full_address)],
  ];
  const more: [string, string | undefined][] = [
    ['Address line 1', a.address_line1],
    ['Address line 2', a.address_line2],
    ['Address line 3', a.address_line3],
    ['Address line 4', a.address_line4],
    ['Address detail', a.address_detail],
    ['Post town', a.post_town],
  ];
  for (const [k, v] of more) if (v) rows.push([k, v]);
  for (const d of a.district_info ?? []) {
    if (d.address_name) rows.push([d.address_level_name ?? d.address_level ?? 'District', d.address_name]);
  }
  rows.push(['Postal code', orNone(a.postal_code)], ['Region code', orNone(a.region_code)]);
  return { heading: 'Delivery address', note, blocks: [{ kind: 'fields', rows }] };
}

/**
 * TikTok's tracking (what the buyer and TikTok see) and the carrier's scans on one time line, each in its own column:
 * a dispute turns on where they disagree (TikTok's status lagging the scans, a delivery TikTok never showed).
 */
function sideBySideSection(data: EvidenceData): PdfSection {
  const rows = new Map<number, { tiktok: string[]; carrier: string[] }>();
  const at = (ms: number) => rows.get(ms) ?? rows.set(ms, { tiktok: [], carrier: [] }).get(ms)!;
  for (const e of data.tiktokTracking) at(e.update_time_millis).tiktok.push(orNone(e.description));
  for (const s of data.carrier?.scans ?? []) {
    at(Date.parse(s.at)).carrier.push(`${s.statusDetail ?? s.status}, ${place(s.location)}`);
  }
  const times = [...rows.keys()].sort((a, b) => a - b);
  const note =
    'Get Tracking (TikTok Shop Fulfillment API: the status TikTok shows the buyer) beside the carrier scans (next ' +
    'section), on one time line.';
  if (data.tiktokTracking.length === 0) {
    return {
      heading: 'TikTok tracking and carrier scans',
      note,
      blocks: [{ kind: 'paragraph', text: 'TikTok reports no tracking events for this order.' }],
    };
  }
  return {
    heading: 'TikTok tracking and carrier scans',
    note,
    blocks: [
      {
        kind: 'table',
        columns: ['Time', 'TikTok', 'Carrier'],
        rows: times.map((t) => {
          const r = rows.get(t)!;
          return [formatTime(t), r.tiktok.join('; ') || '—', r.carrier.join('; ') || '—'];
        }),
      },
    ],
  };
}

function carrierSections(data: EvidenceData, asOf: Date): PdfSection[] {
  const c = data.carrier;
  if (!c) {
    const none: PdfBlock[] = [
      { kind: 'paragraph', text: 'No carrier tracker: no carrier history is held for this order.' },
    ];
    return [
      { heading: 'Carrier timeline', blocks: none },
      { heading: 'Label created vs first scan', blocks: none },
      { heading: 'Delivery location', note: DISTANCE_METHOD, blocks: none },
      { heading: 'Proof of delivery', blocks: none },
    ];
  }
  const scans = [...c.scans].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const timeline: PdfSection = {
    heading: 'Carrier timeline',
    note: `The carrier's own scans through ${c.source === 'easypost' ? 'EasyPost' : c.source} (tracker ${c.trackerId}), oldest first.`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Carrier', c.carrier],
          ['Tracking code', c.trackingCode],
          ['Current status', c.status],
          ['Public tracking page', orNone(c.publicUrl)],
        ],
      },
      scans.length
        ? {
            kind: 'table',
            columns: ['Time', 'Status', 'Detail', 'Place', 'Carrier message'],
            rows: scans.map((s) => [formatTime(s.at), s.status, orNone(s.statusDetail), place(s.location), s.message]),
          }
        : { kind: 'paragraph', text: 'The carrier has recorded no scans.' },
    ],
  };

  const label = c.labelCreatedAt;
  const first = c.firstScanAt;
  const gapRows: [string, string][] = [
    ['Label created', label ? formatTime(label) : '—'],
    ['First carrier scan', first ? formatTime(first) : 'none yet'],
  ];
  if (label && first) gapRows.push(['Gap', formatGap(Date.parse(first) - Date.parse(label))]);
  else if (label) gapRows.push(['Gap', `no scan ${formatGap(asOf.getTime() - Date.parse(label))} after the label`]);
  const gap: PdfSection = {
    heading: 'Label created vs first scan',
    note: 'Label created: the first pre-transit entry. First scan: the first entry after it (the carrier had the package).',
    blocks: [{ kind: 'fields', rows: gapRows }],
  };

  const deliveryScan = [...scans].reverse().find((s) => s.status === 'delivered');
  const deliveryPlace = c.deliveryLocation ?? deliveryScan?.location;
  const addressZip = zip5(data.order?.recipient_address?.postal_code);
  const scanZip = zip5(deliveryPlace?.zip);
  const distance = zipDistance(scanZip, addressZip);
  const centroid = (zip: string | undefined) => {
    const z = zip ? zipcodes().lookup(zip) : undefined;
    return z ? `${z.zip}: ${z.city}, ${z.state} (${z.latitude.toFixed(4)}, ${z.longitude.toFixed(4)})` : '—';
  };
  let distanceText: string;
  if (distance) distanceText = formatDistance(distance);
  else if (!deliveryPlace) distanceText = 'no delivery scan';
  else distanceText = 'unknown: a ZIP code is missing or not in the table';
  const location: PdfSection = {
    heading: 'Delivery location',
    note: DISTANCE_METHOD,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Delivery scan place', place(deliveryPlace)],
          ['Delivery scan ZIP centroid', centroid(scanZip)],
          ['Delivery address ZIP centroid', centroid(addressZip)],
          ['Distance', distanceText],
        ],
      },
    ],
  };

  const proof: PdfSection = {
    heading: 'Proof of delivery',
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Signed by', orNone(c.signedBy)],
          ['Delivered at', c.deliveredAt ? formatTime(c.deliveredAt) : 'not delivered'],
          ['Status', c.status],
          ['Status detail', orNone(deliveryScan?.statusDetail)],
          ['Delivery scan message', orNone(deliveryScan?.message)],
        ],
      },
    ],
  };
  return [timeline, gap, location, proof];
}

function eventLogSection(data: EvidenceData): PdfSection {
  return {
    heading: 'Our records of the order',
    note: 'What our own system recorded: order workflow events, human steps, notifications, returns; oldest first.',
    blocks: data.eventLog.length
      ? [
          {
            kind: 'table',
            columns: ['Time', 'Record', 'What'],
            rows: data.eventLog.map((e) => [formatTime(e.at), e.source, e.what]),
          },
        ]
      : [{ kind: 'paragraph', text: 'No events are recorded for this order.' }],
  };
}

/** The bundle as a document: what it holds and in which order. */
export function bundleDocument(data: EvidenceData): PdfDoc {
  const asOf = dataAsOf(data);
  return {
    title: `Evidence bundle: order ${data.orderId}`,
    subtitle: `${CASE_LABEL[data.caseKind]} ${data.caseId} · shop ${data.shopId}`,
    createdAt: asOf,
    author: 'tiktok-shop-ops',
    sections: [
      caseSection(data, asOf),
      orderSection(data),
      addressSection(data),
      sideBySideSection(data),
      ...carrierSections(data, asOf),
      {
        heading: 'Buyer messages',
        blocks: [
          { kind: 'paragraph', text: 'None held: this system does not receive buyer messages (no messaging yet).' },
        ],
      },
      eventLogSection(data),
    ],
  };
}
