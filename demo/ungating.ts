// Category ungating (issue 19 item 5): the demo shop applies for the emulator's restricted category Vitamins &
// Minerals (700439, requirement row dietary_supplements) with one document missing; the person uploads it to the vault
// and names it (the human step, through the CLI); the packet is submitted in the emulator's Qualification Center and
// recorded; TikTok's reviewer rejects it ('missing COA lot', from the emulator's script), which reaches the workflow
// as the product audit webhook (type 37 FAILED); the fix step shows the reason, a COA with its lot is uploaded and
// named; the second submission is approved (webhook 37 APPROVED); the certifications are attached to the category's
// product through Partial Edit Product and its audit followed; the emulator's product carries them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderPdf } from '../pdf/render';
import { DemoError, seconds, type DemoContext, type DemoScenario } from './scenario';

const CATEGORY = '700439';
const REQUIREMENT = 'dietary_supplements';
const DAY = 86_400_000;

interface StepRow {
  id: string | number;
  stepKey: string;
  workflowId: string;
  context?: { reasons?: string[]; missing?: { documentType: string }[] };
}

interface UngatingView {
  stage: string;
  outcome?: string;
  attempts: { attempt: number; decision?: string; decidedBy?: string; reasons?: string[]; packetFileId?: string }[];
  products: { productId: string; auditStatus: string }[];
  requalifyAt?: string;
  earliestExpiry?: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function cli(ctx: DemoContext, args: string[]): Promise<string> {
  const run = await ctx.cli(args);
  if (run.code !== 0) throw new DemoError(`cli ${args.slice(0, 2).join(' ')} exited ${run.code}: ${run.stderr.trim()}`);
  return run.stdout;
}

/** A one-page PDF standing in for the scanned document (the vault reads the type from the bytes). */
async function documentFile(dir: string, name: string, lines: [string, string][]): Promise<string> {
  const bytes = await renderPdf({
    title: name,
    createdAt: new Date('2026-01-15T00:00:00Z'),
    sections: [{ heading: 'Document', blocks: [{ kind: 'fields', rows: lines }] }],
  });
  const file = path.join(dir, `${name.replace(/\W+/g, '-')}.pdf`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Uploads a document to the vault through the CLI; returns its certificate id. */
async function upload(ctx: DemoContext, file: string, meta: string[]): Promise<string> {
  const out = JSON.parse(await cli(ctx, ['certificates', 'upload', ctx.shop.shopId, file, ...meta, '--json'])) as {
    certificateId: string;
  };
  return out.certificateId;
}

/** The open human step `stepKey` of the application, once the workflow opened it. */
function openStep(ctx: DemoContext, workflowId: string, stepKey: string): Promise<StepRow> {
  return ctx.until(
    `the step ${stepKey}`,
    async () => {
      const { json } = await ctx.api(
        'GET',
        `/v1/human-steps?shopId=${ctx.shop.shopId}&caseKind=category_ungating&open=true&limit=50`,
      );
      return (json.steps as StepRow[]).find((s) => s.workflowId === workflowId && s.stepKey === stepKey);
    },
    60_000,
  );
}

async function decide(ctx: DemoContext, step: StepRow, input: unknown): Promise<void> {
  await cli(ctx, ['steps', 'decide', String(step.id), '--input', JSON.stringify(input)]);
}

async function view(ctx: DemoContext): Promise<UngatingView> {
  return (await ctx.api('GET', `/v1/shops/${ctx.shop.shopId}/ungating/${CATEGORY}`)).json as UngatingView;
}

export const ungatingDemo: DemoScenario = {
  name: 'ungating',
  summary:
    'a category application: missing document → rejection (audit webhook) → fix → approval → certifications attached',
  async run(ctx) {
    const started = Date.now();
    const shopId = ctx.shop.shopId;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tso-demo-ungating-'));
    const tag = crypto.randomBytes(3).toString('hex');
    // The emulator's edit audit takes 10 minutes by default: a few seconds here, put back afterwards.
    const rules = (await ctx.emulator('/rules')) as { auditDurationMs: number };
    await ctx.emulator('/rules', { auditDurationMs: 3000 });
    try {
      // The category is gated for the shop; a product of the shop waits in it.
      await ctx.emulator('/categories/permission', {
        shop_id: shopId,
        category_id: CATEGORY,
        permission: 'INVITE_ONLY',
      });
      const seeded = await ctx.emulator('/products', {
        shop_id: shopId,
        product: {
          title: `Vitamin D3 gummies ${tag}`,
          category_id: CATEGORY,
          skus: [{ seller_sku: `VITD3-${tag}`, price: '14.99', inventory: [{ quantity: 20 }] }],
        },
      });
      const productId = seeded.product.id as string;
      await ctx.emulator('/categories/script', {
        shop_id: shopId,
        category_id: CATEGORY,
        outcomes: ['rejected:missing COA lot', 'approved'],
      });

      // 1. The vault has the FDA registration only; the application starts and asks for the COA.
      const expires = day(Date.now() + 400 * DAY);
      await upload(ctx, await documentFile(dir, 'FDA food facility registration', [['Registration', '12345678901']]), [
        '--type',
        'fda_food_facility_registration',
        '--issuer',
        'US FDA',
        '--identifier',
        '12345678901',
        '--expires-on',
        day(Date.now() + 500 * DAY),
      ]);
      const start = JSON.parse(
        await cli(ctx, [
          'ungating',
          'start',
          shopId,
          CATEGORY,
          '--requirement',
          REQUIREMENT,
          '--not-applicable',
          'brand_authorization',
          '--json',
        ]),
      ) as { workflowId: string; started: boolean };
      if (!start.started)
        throw new DemoError(
          `an application for ${CATEGORY} already runs (${start.workflowId}): the demo needs a fresh stack`,
        );
      const documents = await openStep(ctx, start.workflowId, 'documents:1');
      const missing = (documents.context?.missing ?? []).map((m) => m.documentType);
      if (missing.join() !== 'certificate_of_analysis')
        throw new DemoError(`the documents step asks for ${missing.join(', ') || 'nothing'}, not the COA`);
      ctx.log(`documents step: missing ${missing.join(', ')}`);
      const coa = await upload(ctx, await documentFile(dir, 'COA', [['Report', 'COA-2026-0142']]), [
        '--type',
        'certificate_of_analysis',
        '--issuer',
        'Eurofins',
        '--product',
        'Vitamin D3 gummies',
        '--lot',
        'unknown',
        '--issued-on',
        day(Date.now() - 10 * DAY),
        '--expires-on',
        expires,
      ]);
      await decide(ctx, documents, { certificateIds: [coa] });

      // 2. Submitted in the Qualification Center (the emulator's), recorded; TikTok rejects it: webhook 37 FAILED.
      const submit1 = await openStep(ctx, start.workflowId, 'submit:1');
      await ctx.emulator('/categories/applications', { shop_id: shopId, category_id: CATEGORY });
      await decide(ctx, submit1, { reference: `QC-${tag}-1` });
      await openStep(ctx, start.workflowId, 'decision:1');
      await ctx.emulator('/categories/decide', { shop_id: shopId, category_id: CATEGORY });
      const fix = await openStep(ctx, start.workflowId, 'fix:2');
      const reasons = fix.context?.reasons ?? [];
      if (!reasons.includes('missing COA lot')) throw new DemoError(`the fix step's reasons: ${reasons.join('; ')}`);
      const rejected = (await view(ctx)).attempts[0];
      if (rejected?.decision !== 'rejected' || rejected.decidedBy !== 'TikTok audit')
        throw new DemoError(`attempt 1: ${JSON.stringify(rejected)}`);
      ctx.log(`rejected by TikTok's audit: ${reasons.join('; ')}`);

      // 3. The fix: a COA naming its lot, then the second submission, approved: webhook 37 APPROVED.
      const coaLot = await upload(ctx, await documentFile(dir, 'COA lot', [['Report', 'COA-2026-0143']]), [
        '--type',
        'certificate_of_analysis',
        '--issuer',
        'Eurofins',
        '--product',
        'Vitamin D3 gummies',
        '--lot',
        'LOT-2611-07',
        '--issued-on',
        day(Date.now() - DAY),
        '--expires-on',
        expires,
      ]);
      await decide(ctx, fix, { certificateIds: [coaLot] });
      const submit2 = await openStep(ctx, start.workflowId, 'submit:2');
      await ctx.emulator('/categories/applications', { shop_id: shopId, category_id: CATEGORY });
      await decide(ctx, submit2, { reference: `QC-${tag}-2` });
      await openStep(ctx, start.workflowId, 'decision:2');
      await ctx.emulator('/categories/decide', { shop_id: shopId, category_id: CATEGORY });

      // 4. Certifications attached (Partial Edit Product) and audited; then asleep until re-qualification.
      const qualified = await ctx.until(
        'the application qualified',
        async () => {
          const v = await view(ctx);
          return v.stage === 'qualified' ? v : undefined;
        },
        120_000,
      );
      const { categories } = (await ctx.emulator(`/categories?shop_id=${shopId}`)) as {
        categories: { id: string; permission: string; products: { id: string; certifications: string[] }[] }[];
      };
      const onTikTok = categories.find((c) => c.id === CATEGORY);
      const product = onTikTok?.products.find((p) => p.id === productId);
      if (onTikTok?.permission !== 'AVAILABLE' || !product || product.certifications.length === 0)
        throw new DemoError(`on TikTok: ${JSON.stringify(onTikTok)}`);
      const audited = qualified.products.find((p) => p.productId === productId);
      const packet = await ctx.download(`/v1/shops/${shopId}/ungating/${CATEGORY}/packet`);
      if (packet.bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new DemoError('the packet is not a PDF');
      const packetFile = path.join(dir, `ungating-${CATEGORY}-packet.pdf`);
      fs.writeFileSync(packetFile, packet.bytes);
      return (
        `category ${CATEGORY} approved on submission ${qualified.attempts.length} after a rejection ('missing COA lot') ` +
        `in ${seconds(Date.now() - started)}; product ${productId} carries certifications ${product.certifications.join(', ')} ` +
        `(audit ${audited?.auditStatus ?? '?'}); re-qualification at ${qualified.requalifyAt}; packet → ${packetFile}`
      );
    } finally {
      await ctx.emulator('/rules', { auditDurationMs: rules.auditDurationMs });
    }
  },
};
