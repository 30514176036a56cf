// Chargebacks (issue 16): a demo order is placed, shipped and delivered in the emulator; a chargeback notice for it is
// opened through the CLI (`chargebacks open`); its workflow tracks the parcel and builds the evidence bundle at once;
// the bundle is downloaded through the API and checked against its recorded hash; the person then records the
// submission in Seller Center and the outcome through the CLI (`steps decide`).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { placeAndShip, stockedSku, type ShippedOrder } from './orders';
import { DemoError, seconds, type DemoContext, type DemoScenario } from './scenario';

const DAY = 86_400_000;

export interface OpenedChargeback {
  chargebackId: string;
  order: ShippedOrder;
  /** The case as GET /v1/shops/:shopId/chargebacks/:id answers it once its bundle is built. */
  view: {
    bundles: { bundleId: string; fileId: string; sha256: string; pageCount: number; sizeBytes: number }[];
    tracking?: { carrier: string; trackingCode: string; status: string };
    trackingNote?: string;
    humanSteps: { id: string; stepKey: string; closedAt: string | null }[];
  };
  /** Chargeback opened → bundle ready. */
  bundleMs: number;
}

/** Delivers each order in the emulator, opens a chargeback on it (through the CLI) and waits for its bundle. */
export async function chargebacksOnDelivered(ctx: DemoContext, orders: ShippedOrder[]): Promise<OpenedChargeback[]> {
  const opened: { chargebackId: string; order: ShippedOrder; at: number }[] = [];
  for (const order of orders) {
    // The carrier picks the parcel up and delivers it (the emulator's carrier).
    const onTikTok = await ctx.emulator(`/orders/${order.orderId}`);
    if (onTikTok.status === 'AWAITING_COLLECTION') await ctx.emulator(`/orders/${order.orderId}/carrier-scan`, {});
    await ctx.emulator(`/orders/${order.orderId}/deliver`, {});
    const chargebackId = `cb-demo-${crypto.randomBytes(4).toString('hex')}`;
    const now = Date.now();
    const run = await ctx.cli([
      'chargebacks',
      'open',
      '--shop',
      ctx.shop.shopId,
      '--id',
      chargebackId,
      '--order',
      order.orderId,
      '--reason',
      'Item not received',
      '--amount',
      order.amount,
      '--currency',
      order.currency,
      '--notice-date',
      new Date(now - 60_000).toISOString(),
      // The notice's own deadline: chargebacks are not compressed (their deadline is data, not a platform window).
      '--deadline',
      new Date(now + 7 * DAY).toISOString(),
      '--network',
      'Visa',
    ]);
    if (run.code !== 0) throw new DemoError(`chargebacks open exited ${run.code}: ${run.stderr.trim()}`);
    ctx.log(run.stdout.trim());
    opened.push({ chargebackId, order, at: now });
  }
  const out: OpenedChargeback[] = [];
  for (const { chargebackId, order, at } of opened) {
    const view = await ctx.until(
      `the evidence bundle of chargeback ${chargebackId}`,
      async () => {
        const r = await ctx.api('GET', `/v1/shops/${ctx.shop.shopId}/chargebacks/${chargebackId}`, undefined, {
          accept: [404],
        });
        const v = r.json as OpenedChargeback['view'] & { stage?: string; bundleError?: string };
        if (v?.bundleError) throw new DemoError(`the bundle of ${chargebackId} was not built: ${v.bundleError}`);
        return v?.stage === 'awaiting_submission' && v.bundles.length > 0 ? v : undefined;
      },
      180_000,
    );
    out.push({ chargebackId, order, view, bundleMs: Date.now() - at });
  }
  return out;
}

/** Downloads a case's bundle PDF into `dir`; checks it is a PDF with the recorded hash. */
export async function downloadBundle(ctx: DemoContext, bundle: { bundleId: string; sha256: string }, dir: string) {
  const { bytes, contentType } = await ctx.download(
    `/v1/shops/${ctx.shop.shopId}/evidence-bundles/${bundle.bundleId}/content`,
  );
  if (contentType?.split(';')[0] !== 'application/pdf' || bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new DemoError(`bundle ${bundle.bundleId} did not download as a PDF (${contentType})`);
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== bundle.sha256) throw new DemoError(`bundle ${bundle.bundleId}: sha256 ${sha256} ≠ ${bundle.sha256}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${bundle.bundleId}.pdf`);
  fs.writeFileSync(file, bytes);
  return { file, bytes };
}

/** Where the demos put downloaded bundles. */
export const DOWNLOAD_DIR = path.join(os.tmpdir(), 'tso-demo-evidence');

async function decideStep(ctx: DemoContext, stepId: string, input: unknown): Promise<void> {
  const run = await ctx.cli(['steps', 'decide', stepId, '--input', JSON.stringify(input)]);
  if (run.code !== 0) throw new DemoError(`steps decide ${stepId} exited ${run.code}: ${run.stderr.trim()}`);
}

export const chargebackDemo: DemoScenario = {
  name: 'chargeback',
  summary:
    'a chargeback on a delivered order: evidence bundle built at once, downloaded, submission and outcome recorded',
  async run(ctx) {
    const sku = await stockedSku(ctx, 1);
    const [order] = await placeAndShip(ctx, sku, [1]);
    const [cb] = await chargebacksOnDelivered(ctx, [order!]);
    const { chargebackId, view } = cb!;
    const bundle = view.bundles[0]!;
    const { file } = await downloadBundle(ctx, bundle, DOWNLOAD_DIR);
    ctx.log(`bundle ${bundle.bundleId}: ${bundle.pageCount} pages, ${bundle.sizeBytes} bytes → ${file}`);

    // The person submits it in Seller Center, then reports the outcome: the case's two human steps, through the CLI.
    const submit = view.humanSteps.find((s) => s.stepKey === 'submit');
    if (!submit) throw new DemoError(`chargeback ${chargebackId} has no submit step`);
    await decideStep(ctx, submit.id, { reference: `SC-${chargebackId}` });
    const outcomeStep = await ctx.until(`the outcome step of ${chargebackId}`, async () => {
      const r = await ctx.api('GET', `/v1/shops/${ctx.shop.shopId}/chargebacks/${chargebackId}`);
      return (r.json as OpenedChargeback['view']).humanSteps.find((s) => s.stepKey === 'outcome');
    });
    await decideStep(ctx, outcomeStep.id, { outcome: 'won' });
    const closed = await ctx.until(`chargeback ${chargebackId} recorded as won`, async () => {
      const r = await ctx.api('GET', `/v1/shops/${ctx.shop.shopId}/chargebacks?open=false`);
      const rows = (
        r.json as { chargebacks: { caseId: string; outcome: string | null; amountRecovered: string | null }[] }
      ).chargebacks;
      return rows.find((c) => c.caseId === chargebackId && c.outcome === 'won');
    });
    const tracking = view.tracking
      ? `${view.tracking.carrier} ${view.tracking.trackingCode} ${view.tracking.status}`
      : (view.trackingNote ?? 'no carrier history');
    return (
      `chargeback ${chargebackId} on delivered order ${order!.orderId}: bundle ${bundle.bundleId} ` +
      `(${bundle.pageCount} pages) ready ${seconds(cb!.bundleMs)} after opening, downloaded to ${file}; ` +
      `carrier: ${tracking}; submitted and won (${closed.amountRecovered} ${order!.currency} recovered)`
    );
  },
};
