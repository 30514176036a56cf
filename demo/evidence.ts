// Evidence (issue 16): four delivered orders whose parcels tell the four carrier stories of the EasyPost emulator
// (emulators/easypost/stories.ts, chosen by tracking code) — a normal delivery, a label created but never scanned, a
// late first scan, a delivery to another ZIP — each get a chargeback; each case tracks its parcel and builds its bundle;
// the stories are printed side by side from the carrier histories the bundles show, with the delivery scan's distance
// from the buyer's address measured as the bundle measures it (ZIP centroids, evidence/bundleDocument.ts).
import crypto from 'node:crypto';
import { formatGap, zipDistance } from '../evidence/bundleDocument';
import { chargebacksOnDelivered, downloadBundle, DOWNLOAD_DIR } from './chargeback';
import { table } from '../cli/format';
import { placeAndShip, stockedSku } from './orders';
import { DemoError, type DemoScenario } from './scenario';

/** The buyer's address: the EasyPost emulator's default destination, so a normal delivery is 0 km from it. */
const BUYER = { city: 'Hoboken', state: 'New Jersey', postalCode: '07030' };

const STORIES = [
  { name: 'normal', code: () => `1Z${crypto.randomBytes(8).toString('hex').toUpperCase()}` },
  { name: 'never scanned', code: () => `EMU-NOSCAN-${crypto.randomBytes(4).toString('hex').toUpperCase()}` },
  { name: 'late first scan', code: () => `EMU-LATE-${crypto.randomBytes(4).toString('hex').toUpperCase()}` },
  {
    name: 'delivered to another ZIP',
    code: () => `EMU-OTHERZIP-${crypto.randomBytes(4).toString('hex').toUpperCase()}`,
  },
] as const;

interface Tracking {
  carrier: string;
  trackingCode: string;
  status: string;
  scans: number;
  labelCreatedAt?: string;
  firstScanAt?: string;
  deliveredAt?: string;
  deliveryZip?: string;
}

export const evidenceDemo: DemoScenario = {
  name: 'evidence',
  summary: 'four carrier stories (normal, never scanned, late first scan, another ZIP) in four bundles, side by side',
  async run(ctx) {
    const sku = await stockedSku(ctx, STORIES.length);
    const codes = STORIES.map((s) => s.code());
    const orders = await placeAndShip(
      ctx,
      sku,
      STORIES.map(() => 1),
      { trackingNumbers: codes, recipient: BUYER },
    );
    const cases = await chargebacksOnDelivered(ctx, orders);
    const rows = [];
    const parts = [];
    for (const [i, story] of STORIES.entries()) {
      const { view, chargebackId } = cases[i]!;
      const t = (view as { tracking?: Tracking }).tracking;
      if (!t) throw new DemoError(`chargeback ${chargebackId} has no carrier history: ${view.trackingNote ?? '?'}`);
      const bundle = view.bundles[0]!;
      await downloadBundle(ctx, bundle, DOWNLOAD_DIR);
      const gap =
        t.labelCreatedAt && t.firstScanAt
          ? formatGap(Date.parse(t.firstScanAt) - Date.parse(t.labelCreatedAt))
          : 'never';
      const distance = t.deliveryZip ? zipDistance(BUYER.postalCode, t.deliveryZip) : undefined;
      const away = distance ? `${distance.km.toFixed(1)} km` : '-';
      rows.push([
        story.name,
        t.trackingCode,
        String(t.scans),
        t.labelCreatedAt ?? '-',
        t.firstScanAt ?? '-',
        gap,
        t.deliveredAt ?? 'not delivered',
        t.deliveryZip ?? '-',
        away,
        `${bundle.bundleId} (${bundle.pageCount} p.)`,
      ]);
      parts.push(
        `${story.name}: ${t.scans} scans, label → first scan ${gap}, ` +
          (t.deliveredAt ? `delivered ${away} from the address (ZIP ${t.deliveryZip})` : `carrier shows ${t.status}`) +
          ` [${bundle.bundleId}]`,
      );
    }
    ctx.log(
      table(
        [
          'STORY',
          'TRACKING',
          'SCANS',
          'LABEL CREATED',
          'FIRST SCAN',
          'GAP',
          'DELIVERED',
          'ZIP',
          'FROM ADDRESS',
          'BUNDLE',
        ],
        rows,
      ),
    );
    return `${STORIES.length} tracking stories side by side, bundles in ${DOWNLOAD_DIR} — ${parts.join(' | ')}`;
  },
};
