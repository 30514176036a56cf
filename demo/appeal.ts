// Suspension appeals (issue 18 item 6): a counterfeit notice is refused with why and where to go; a late-dispatch
// suspension (two orders the carrier scans after their dispatch deadline, emulator deadlines shortened) goes through
// the evidence and the drafted Plan of Action (version 1), a person's edit (version 2, through the CLI), the approval,
// the submission in Seller Center and TikTok's decision, all through `npm run cli -- appeal …`. The approved
// version's PDF is downloaded and checked against its recorded hash.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanAfterDeadline, withShortDeadlines } from './health';
import { placeAndShip, stockedSku } from './orders';
import { operatorKey } from './returns';
import { DemoError, type DemoContext, type DemoScenario } from './scenario';

const LATE_ORDERS = 2;
/** Where the demo puts the downloaded Plan of Action. */
const DOWNLOAD_DIR = path.join(os.tmpdir(), 'tso-demo-appeal');

interface AppealView {
  stage: string;
  round: number;
  refusal?: { category: string; explanation: string; whereToGo: { name: string }[] };
  evidence?: { counts: { lateDispatches: number; breaches: number } };
  currentVersion?: number;
  approvedVersion?: number;
  versions: { version: number; kind: string; createdBy: string; sha256: string; pageCount: number }[];
  humanSteps: { id: string; stepKey: string; closedAt: string | null }[];
}

interface PlanVersion {
  version: number;
  plan: { rootCauses: { breachType: string; numerator: number; statement: string; exampleOrderIds: string[] }[] };
  file: { fileId: string; sha256: string; pageCount: number } | null;
}

async function cli(ctx: DemoContext, args: string[], key?: string): Promise<string> {
  const run = await ctx.cli(args, key ? { key } : {});
  if (run.code !== 0) throw new DemoError(`appeal ${args[1]} exited ${run.code}: ${run.stderr.trim() || run.stdout}`);
  return run.stdout.trim();
}

/** Starts the appeal of a notice dated now through the CLI and waits until its workflow reaches `stage`. */
async function startAppeal(ctx: DemoContext, notice: { id: string; reason: string; policy: string; metric?: string }) {
  const args = ['appeal', 'start', '--shop', ctx.shop.shopId, '--notice', notice.id, '--reason', notice.reason];
  args.push('--date', new Date().toISOString(), '--policy', notice.policy);
  if (notice.metric) args.push('--metric', notice.metric);
  ctx.log(await cli(ctx, args));
}

const view = async (ctx: DemoContext, noticeId: string): Promise<AppealView> =>
  (await ctx.api('GET', `/v1/shops/${ctx.shop.shopId}/suspension-appeals/${noticeId}`)).json as AppealView;

async function reaches(ctx: DemoContext, noticeId: string, stage: string, more = (_v: AppealView) => true) {
  return ctx.until(
    `appeal ${noticeId} ${stage}`,
    async () => {
      const v = await view(ctx, noticeId);
      return v.stage === stage && more(v) ? v : undefined;
    },
    120_000,
  );
}

export const appealDemo: DemoScenario = {
  name: 'appeal',
  summary:
    'a counterfeit notice refused; a late-dispatch suspension drafted from our records, edited, approved, submitted, decided',
  async run(ctx) {
    const shopPath = `/v1/shops/${ctx.shop.shopId}`;
    const tag = crypto.randomBytes(3).toString('hex');

    // 1. A counterfeit notice: refused with the explanation and where to go, nothing drafted.
    const counterfeitId = `cf-${tag}`;
    await startAppeal(ctx, {
      id: counterfeitId,
      reason: 'Counterfeit goods reported by the rights owner',
      policy: 'Counterfeit and intellectual property policy',
    });
    const refused = await reaches(ctx, counterfeitId, 'refused');
    ctx.log(`notice ${counterfeitId} refused (${refused.refusal!.category}): ${refused.refusal!.explanation}`);

    // 2. Late dispatches the shop's account health records, then the suspension notice about them.
    const sku = await stockedSku(ctx, LATE_ORDERS);
    const late = await withShortDeadlines(ctx, async () => {
      const shipped = await placeAndShip(
        ctx,
        sku,
        Array.from({ length: LATE_ORDERS }, () => 1),
      );
      await scanAfterDeadline(ctx, shipped);
      return shipped.map((o) => o.orderId);
    });
    await ctx.until('the late dispatches in account health', async () => {
      const { report } = (await ctx.api('GET', `${shopPath}/account-health`)).json;
      const ldr = (report.metrics as { key: string; offendingOrderIds: string[] }[]).find((m) => m.key === 'ldr');
      return ldr && late.every((id) => ldr.offendingOrderIds.includes(id));
    });
    const noticeId = `ld-${tag}`;
    await startAppeal(ctx, {
      id: noticeId,
      reason: 'Late dispatch rate above the enforcement threshold',
      policy: 'Late dispatch rate',
      metric: 'ldr=0.12',
    });
    const drafted = await reaches(ctx, noticeId, 'awaiting_review');
    const counts = drafted.evidence!.counts;
    ctx.log(`evidence: ${counts.breaches} breach(es), ${counts.lateDispatches} late dispatches; draft version 1`);

    // 3. A person edits the draft's words (the numbers stay the records'), then approves version 2: through the CLI.
    const person = await operatorKey(ctx);
    try {
      const { versions } = (await ctx.api('GET', `${shopPath}/suspension-appeals/${noticeId}/versions`)).json as {
        versions: PlanVersion[];
      };
      const plan = structuredClone(versions[0]!.plan);
      const cause = plan.rootCauses.find((r) => r.breachType === 'late_dispatch');
      if (!cause) throw new DemoError(`the draft of ${noticeId} has no late-dispatch root cause`);
      const missing = late.filter((id) => !cause.exampleOrderIds.includes(id));
      if (missing.length) throw new DemoError(`the draft does not name late orders ${missing.join(', ')}`);
      cause.statement = `${cause.statement} Checked by the operations lead against the warehouse's pickup log.`;
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tso-appeal-')), 'plan.json');
      fs.writeFileSync(file, JSON.stringify(plan));
      await cli(ctx, ['appeal', 'edit', ctx.shop.shopId, noticeId, '--plan-file', file, '--version', '1'], person.key);
      await reaches(ctx, noticeId, 'awaiting_review', (v) => v.currentVersion === 2);
      await cli(ctx, ['appeal', 'approve', ctx.shop.shopId, noticeId, '--version', '2'], person.key);
      const approved = await reaches(ctx, noticeId, 'awaiting_submission');

      // 4. The approved version's PDF, as the person downloads it to submit in Seller Center.
      const v2 = approved.versions.find((v) => v.version === 2)!;
      const { bytes, contentType } = await ctx.download(`${shopPath}/suspension-appeals/${noticeId}/versions/2/pdf`);
      const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
      if (contentType?.split(';')[0] !== 'application/pdf' || sha256 !== v2.sha256)
        throw new DemoError(`version 2's PDF: ${contentType}, sha256 ${sha256} ≠ ${v2.sha256}`);
      fs.mkdirSync(DOWNLOAD_DIR, { recursive: true });
      const pdf = path.join(DOWNLOAD_DIR, `plan-of-action-${noticeId}-v2.pdf`);
      fs.writeFileSync(pdf, bytes);

      // 5. Submitted in Seller Center, then TikTok's decision, as the person records them.
      const reference = `SC-${tag}`;
      await cli(ctx, ['appeal', 'submitted', ctx.shop.shopId, noticeId, '--reference', reference], person.key);
      await reaches(ctx, noticeId, 'submitted');
      await cli(ctx, ['appeal', 'decided', ctx.shop.shopId, noticeId, '--decision', 'approved'], person.key);
      const done = await reaches(ctx, noticeId, 'approved');
      return (
        `notice ${counterfeitId} refused (${refused.refusal!.category}, go to ${refused.refusal!.whereToGo[0]?.name}); ` +
        `late-dispatch notice ${noticeId}: late orders ${late.join(', ')} in the evidence, draft v1 edited to v2 ` +
        `by ${person.name} through the CLI, approved, submitted (${reference}) and approved by TikTok in round ` +
        `${done.round}; v2 PDF ${v2.pageCount} pages → ${pdf}`
      );
    } finally {
      await person.revoke();
    }
  },
};
