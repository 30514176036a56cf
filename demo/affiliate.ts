// Affiliate audit (issue 21 item 5): the emulator's seed plants affiliate orders with problems and lists them (double
// credits, affiliate + Shop Ads commission on one line, commission on refunded units, a creator whose orders come
// back undelivered, one with a low GMV per view); the shop's weekly Schedule is fired (the CLI), its audit finds them,
// and a person approves the removal of the high-RTO creator from their open collaboration through the CLI.
import { periodOfFiring } from '../workflows/affiliateAudit/period';
import { operatorKey } from './returns';
import { DemoError, seconds, type DemoContext, type DemoScenario } from './scenario';

/** The weekly audit reaches back over the seed's 20 days of orders. */
const LOOKBACK_DAYS = 21;

interface Finding {
  kind: string;
  creatorUsername: string | null;
  moneyAtStake: string;
}
interface StepRow {
  id: string | number;
  context?: { kind?: string; creatorUsername?: string; actionId?: string; openCollaborationId?: string };
}

/** A CLI command run with `--json`: its answer, or the demo fails with its message. */
export async function cliJson<T>(ctx: DemoContext, args: string[], key?: string): Promise<T> {
  const run = await ctx.cli([...args, '--json'], { key });
  if (run.code !== 0)
    throw new DemoError(`${args.slice(0, 3).join(' ')} exited ${run.code}: ${run.stderr.trim() || run.stdout}`);
  return JSON.parse(run.stdout) as T;
}

export const affiliateDemo: DemoScenario = {
  name: 'affiliate',
  summary:
    'planted double credits, refunded-unit commissions and a high-RTO creator found by the weekly audit Schedule; a removal approved',
  async run(ctx) {
    const { shopId } = ctx.shop;
    const seed = await ctx.emulator('/affiliate/seed', { shop_id: shopId });
    const planted = seed.planted as { kind: string; creator?: string; creatorOpenId?: string }[];
    const rto = planted.find((p) => p.kind === 'high_return_to_origin');
    if (!rto?.creator) throw new DemoError('the seed planted no high-RTO creator');
    ctx.log(`seeded ${seed.orderCount} affiliate orders (${seed.lineCount} lines), ${planted.length} planted problems`);
    await ctx.api('PATCH', `/v1/shops/${shopId}/settings`, { affiliate: { weeklyLookback: `${LOOKBACK_DAYS}d` } });

    const startedAt = Date.now();
    const keys = new Set([periodOfFiring('weekly', new Date(), LOOKBACK_DAYS).key]);
    await cliJson(ctx, ['affiliate', 'audit', 'run', shopId, '--schedule', 'weekly']);
    keys.add(periodOfFiring('weekly', new Date(), LOOKBACK_DAYS).key);
    const audit = await ctx.until(
      'the audit started by the weekly Schedule, waiting for decisions',
      async () => {
        for (const key of keys) {
          const r = await ctx.api('GET', `/v1/shops/${shopId}/affiliate-audits/${key}`, undefined, { accept: [404] });
          if (r.status === 200 && r.json.stage === 'awaiting_decisions') return r.json;
        }
        return undefined;
      },
      180_000,
    );
    const periodKey = audit.period.key as string;
    const auditMs = Date.now() - startedAt;
    const findings = await cliJson<Finding[]>(ctx, [
      'affiliate',
      'audit',
      'findings',
      shopId,
      '--period',
      periodKey,
      '--limit',
      '500',
    ]);
    const count = (kind: string) => findings.filter((f) => f.kind === kind).length;
    const money = (kind: string) =>
      findings
        .filter((f) => f.kind === kind)
        .reduce((sum, f) => sum + Number(f.moneyAtStake), 0)
        .toFixed(2);
    if (count('double_credit') === 0 || count('refunded_units') === 0)
      throw new DemoError(`the audit found no double credit or refunded-unit commission: ${JSON.stringify(findings)}`);
    if (!findings.some((f) => f.kind === 'creator_rto' && f.creatorUsername === rto.creator))
      throw new DemoError(`the audit did not find ${rto.creator}'s return-to-origin rate`);
    ctx.log(`audit ${periodKey}: ${findings.length} findings in ${seconds(auditMs)}`);

    const person = await operatorKey(ctx);
    try {
      const step = await ctx.until(
        `the removal of ${rto.creator} in \`steps list\``,
        async () => {
          const rows = await cliJson<StepRow[]>(
            ctx,
            ['steps', 'list', '--shop', shopId, '--kind', 'affiliate_audit'],
            person.key,
          );
          return rows.find((r) => r.context?.kind === 'remove_creator' && r.context.creatorUsername === rto.creator);
        },
        30_000,
      );
      const decided = await cliJson<{ result: { outcome: string } }>(
        ctx,
        [
          'steps',
          'decide',
          String(step.id),
          '--input',
          JSON.stringify({ actionId: step.context!.actionId, decision: 'approve' }),
        ],
        person.key,
      );
      if (decided.result.outcome !== 'applied') throw new DemoError(`the removal was ${decided.result.outcome}`);
      const { open } = await ctx.emulator(`/affiliate/collaborations?shop_id=${shopId}`);
      const collab = (open as { id: string; removedCreators: Record<string, number> }[]).find(
        (c) => c.id === step.context!.openCollaborationId,
      );
      if (!collab?.removedCreators[rto.creatorOpenId!])
        throw new DemoError(`TikTok does not show ${rto.creator} removed from ${step.context!.openCollaborationId}`);
      return (
        `${audit.summary.linesSeen} affiliate lines of ${periodKey} audited through the weekly Schedule in ` +
        `${seconds(auditMs)}: ${count('double_credit')} double credit(s) (${money('double_credit')} USD), ` +
        `${count('double_attribution')} affiliate + Shop Ads (${money('double_attribution')} USD), ` +
        `${count('refunded_units')} commission(s) on refunded units (${money('refunded_units')} USD), ` +
        `${rto.creator} over the return-to-origin target, ${count('creator_gmv_per_view')} creator(s) under the GMV ` +
        `per view target; ${rto.creator} removed from open collaboration ${collab.id} by ${person.name} through the CLI`
      );
    } finally {
      await person.revoke();
    }
  },
};
