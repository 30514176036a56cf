// The evidence bundle's PDF (evidence/bundleDocument.ts through pdf/render.ts), read back with a PDF parser: the
// seeded values are on the pages (every scan's time and place, label created vs first scan, the distance between the
// ZIP centroids, the address as TikTok returned it, the order lines), the same data rebuilds byte-identical, and page 1
// renders to an image that is not blank (pdftoppm).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import zipcodes from 'zipcodes';
import {
  bundleDocument,
  dataAsOf,
  formatGap,
  greatCircleKm,
  zip5,
  zipDistance,
  type EvidenceData,
} from '../../evidence/bundleDocument';
import { SAMPLE_EVIDENCE } from '../../evidence/sample';
import { renderPdf } from '../../pdf/render';
import { greyPixels, pixelStats, renderPage } from '../helpers/pageImage';
import { flat, pdfText } from '../helpers/pdfText';

/** A deep copy (dates revived): the same data read again, not the same objects. */
const copy = (d: EvidenceData): EvidenceData => {
  const c = JSON.parse(JSON.stringify(d)) as EvidenceData;
  c.eventLog = c.eventLog.map((e) => ({ ...e, at: new Date(e.at) }));
  return c;
};

let cached: { bytes: Buffer; text: string } | undefined;
async function sample() {
  if (!cached) {
    const bytes = await renderPdf(bundleDocument(SAMPLE_EVIDENCE));
    cached = { bytes, text: flat((await pdfText(bytes)).text) };
  }
  return cached;
}

test('the distance is the great-circle distance between the ZIP centroids, in km and miles', () => {
  // 62704 (the delivery scan) to 62703 (the address): the zipcodes table's centroids.
  const d = zipDistance('62704', '62703')!;
  const a = zipcodes.lookup('62704')!;
  const b = zipcodes.lookup('62703')!;
  assert.equal(d.km.toFixed(3), greatCircleKm(a, b).toFixed(3));
  assert.equal(d.km.toFixed(1), '5.4');
  assert.equal(d.miles.toFixed(1), '3.3');
  // The package's own (rounded, miles) figure agrees.
  assert.equal(Math.round(d.miles), zipcodes.distance('62704', '62703'));
  // A known long distance: Springfield IL to New York 10001 is about 1,330 km.
  assert.equal(Math.round(zipDistance('62701', '10001')!.km / 10), 133);
  assert.equal(zipDistance('62704', '00000'), undefined);
  assert.equal(zip5('62703-1234'), '62703');
  assert.equal(zip5('SW1A 1AA'), undefined);
  assert.equal(formatGap(32.5 * 3_600_000 + 5 * 60_000), '1 d 8 h 35 min (32.6 hours)');
  assert.equal(formatGap(45 * 60_000), '45 min (0.8 hours)');
});

test('the bundle PDF holds the seeded values: scans, gap, distance, address, lines, proof of delivery', async () => {
  const { bytes, text } = await sample();
  const pdf = await pdfText(bytes);
  assert.equal(pdf.title, 'Evidence bundle: order 576461413038785752');
  // The document's date is the newest timestamp in the data (the human step of 2026-03-10), not the clock.
  assert.equal(pdf.creationDate?.toISOString(), '2026-03-10T09:00:00.000Z');
  assert.equal(dataAsOf(SAMPLE_EVIDENCE).toISOString(), '2026-03-10T09:00:00.000Z');
  assert.match(text, /Case Chargeback CB-20260310-0042 Shop demo-shop Order 576461413038785752/);

  // Every scan: its time, then its status and place, in order.
  const scans: [string, string][] = [
    ['2026-03-03 14:10:00 UTC pre_transit label_created', 'Chicago, IL 60607'],
    ['2026-03-04 22:45:00 UTC in_transit arrived_at_facility', 'Chicago, IL 60607'],
    ['2026-03-05 09:30:00 UTC in_transit arrived_at_facility', 'Bloomington, IL 61701'],
    ['2026-03-06 12:15:00 UTC out_for_delivery out_for_delivery', 'Springfield, IL 62703'],
    ['2026-03-06 18:02:00 UTC delivered arrived_at_destination', 'Springfield, IL 62704'],
  ];
  const timeline = text.slice(text.indexOf('Carrier timeline'), text.indexOf('Label created vs first scan'));
  let from = 0;
  for (const [when, where] of scans) {
    const at = timeline.indexOf(when, from);
    assert.ok(at >= from, `scan ${when}`);
    assert.ok(timeline.indexOf(where, at) > at, `place of ${when}: ${where}`);
    from = at;
  }
  assert.match(timeline, /Carrier USPS Tracking code 9400111899223344556677 Current status delivered/);

  assert.match(
    text,
    /Label created 2026-03-03 14:10:00 UTC First carrier scan 2026-03-04 22:45:00 UTC Gap 1 d 8 h 35 min \(32\.6 hours\)/,
  );
  assert.match(text, /Delivery scan place Springfield, IL 62704/);
  assert.match(text, /Distance 5\.4 km \(3\.3 miles\)/);
  assert.match(text, /great-circle distance between ZIP code centroids/);
  assert.match(text, /Delivery address ZIP centroid 62703: Springfield, IL \(39\.7622, -89\.6275\)/);

  // The address as TikTok returned it.
  assert.match(
    text,
    /Name Zoë Martínez Phone \(\+1\)217\*\*\*\*\*01 Full address 1200 S Grand Ave E, Springfield, IL 62703/,
  );
  assert.match(text, /Postal code 62703 Region code US/);

  // The order and its lines (one per unit).
  assert.match(text, /Status DELIVERED Created 2026-03-02 15:04:11 UTC Paid 2026-03-02 15:04:40 UTC/);
  assert.match(text, /Total 64\.97 USD/);
  for (const [line, sku] of [
    ['576461413038851288', 'SERUM-30'],
    ['576461413038851289', 'SERUM-30'],
    ['576461413038851290', 'CLEANSER-150'],
  ]) {
    assert.match(text, new RegExp(`${line} .{0,60}${sku}`), `line ${line}`);
  }

  // TikTok's own tracking beside the carrier's.
  assert.match(text, /2026-03-04 22:45:00 UTC Package picked up by carrier/);
  // Proof of delivery.
  assert.match(text, /Signed by Z MARTINEZ Delivered at 2026-03-06 18:02:00 UTC Status delivered/);
  assert.match(text, /Delivery scan message Delivered, In\/At Mailbox/);
  assert.match(text, /Buyer messages None held/);
  // Our own records.
  assert.match(text, /2026-03-04 22:45:00 UTC dispatch dispatched, on time/);
});

test('the same data rebuilds byte-identical; a new scan changes the bytes and the date', async () => {
  const { bytes } = await sample();
  assert.ok(bytes.equals(await renderPdf(bundleDocument(copy(SAMPLE_EVIDENCE)))), 'byte-identical rebuild');
  const later = copy(SAMPLE_EVIDENCE);
  later.carrier!.scans.push({ at: '2026-03-11T08:00:00Z', status: 'return_to_sender', message: 'Returned' });
  const other = await renderPdf(bundleDocument(later));
  assert.ok(!bytes.equals(other));
  assert.equal((await pdfText(other)).creationDate?.toISOString(), '2026-03-11T08:00:00.000Z');
});

test('without a carrier tracker or an order the sections say so', async () => {
  const bare: EvidenceData = { ...copy(SAMPLE_EVIDENCE), carrier: undefined, order: undefined, tiktokTracking: [] };
  const text = flat((await pdfText(await renderPdf(bundleDocument(bare)))).text);
  assert.match(text, /Carrier timeline No carrier tracker/);
  assert.match(text, /TikTok returned no order 576461413038785752 for this shop/);
  assert.match(text, /TikTok reports no tracking events/);
});

test('page 1 renders (pdftoppm) to a Letter-sized image that is not blank', async () => {
  const { bytes } = await sample();
  const png = renderPage(bytes, 1, 50);
  const { width, height, pixels } = greyPixels(png);
  // US Letter (8.5 × 11 in) at 50 dpi.
  assert.equal(width, 425);
  assert.equal(height, 550);
  const stats = pixelStats(pixels);
  // Mostly white paper with text on it: a blank page has variance 0 and no dark pixels.
  assert.ok(stats.mean > 180 && stats.mean < 254, `mean ${stats.mean}`);
  assert.ok(stats.variance > 300, `variance ${stats.variance}`);
  assert.ok(stats.dark > 0.01, `dark share ${stats.dark}`);
});

test("the document's date is the newest data time rounded up to the second (a PDF date has no milliseconds)", () => {
  const data = copy(SAMPLE_EVIDENCE);
  data.eventLog.push({ at: new Date('2026-03-12T10:00:00.250Z'), source: 'notification', what: 'late' });
  assert.equal(dataAsOf(data).toISOString(), '2026-03-12T10:00:01.000Z');
  assert.equal(bundleDocument(data).createdAt.toISOString(), '2026-03-12T10:00:01.000Z');
});
