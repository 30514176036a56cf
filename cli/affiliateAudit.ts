// `affiliate audit run|list|findings`: the affiliate commission audits of a shop through the HTTP API
// (api/routes/affiliateAudit.ts). Decisions on the actions an audit proposes are human steps: `steps list --kind
// affiliate_audit`, `steps decide <id> --input '{"actionId": "…", "decision": "approve"}'`.
import { Option, type Command } from 'commander';
import type { OpsApiClient } from './apiClient';
import { UsageError } from './errors';
import { table } from './format';

type Print = (json: boolean, value: unknown, text: () => string) => void;

interface AuditRow {
  periodKey: string;
  status: string;
  linesSeen: number;
  summary: { totals?: Record<string, { count: number; money: string }> };
  finishedAt: string | null;
}
interface FindingRow {
  id: string;
  kind: string;
  orderId: string | null;
  creatorUsername: string | null;
  moneyAtStake: string;
  currency: string | null;
  sourceLineIds: string[];
}

const encode = encodeURIComponent;

/** The `affiliate` command group, added to the program of cli/main.ts. */
export function addAffiliateCommands(
  program: Command,
  api: () => OpsApiClient,
  print: Print,
  json: (cmd: Command) => boolean,
): void {
  const audit = program
    .command('affiliate')
    .description('Affiliate commission audits')
    .command('audit')
    .description('Audits of a shop: run one, list them, read their findings');
  audit
    .command('run <shopId>')
    .description("Audits a past period now (--period), or fires the shop's Schedule now (--schedule)")
    .option('--period <period>', 'a month (2026-11) or days (2026-11-23..2026-11-30, the end excluded)')
    .addOption(
      new Option('--schedule <cadence>', "fire the shop's Schedule of this cadence").choices(['weekly', 'monthly']),
    )
    .action(async (shopId: string, opts: { period?: string; schedule?: string }, cmd: Command) => {
      if ((opts.period === undefined) === (opts.schedule === undefined))
        throw new UsageError('give --period <period> or --schedule weekly|monthly (one of them)');
      if (opts.schedule) {
        const out = await api().post<unknown>(
          `/v1/shops/${encode(shopId)}/affiliate-audits/schedules/${encode(opts.schedule)}/trigger`,
          {},
        );
        print(json(cmd), out, () => `The ${opts.schedule} audit Schedule of ${shopId} fired`);
        return;
      }
      const out = await api().post<{ workflowId: string; started: boolean }>(
        `/v1/shops/${encode(shopId)}/affiliate-audits`,
        { period: opts.period },
      );
      print(json(cmd), out, () =>
        out.started ? `Audit ${out.workflowId} started` : `Audit ${out.workflowId} is already running`,
      );
    });
  audit
    .command('list <shopId>')
    .description("The shop's audits, newest period first, with their findings' totals")
    .action(async (shopId: string, _opts: unknown, cmd: Command) => {
      const { audits } = await api().get<{ audits: AuditRow[] }>(`/v1/shops/${encode(shopId)}/affiliate-audits`);
      print(json(cmd), audits, () =>
        table(
          ['PERIOD', 'STATUS', 'LINES', 'FINDINGS'],
          audits.map((a) => [
            a.periodKey,
            a.status,
            String(a.linesSeen),
            Object.entries(a.summary.totals ?? {})
              .map(([k, t]) => `${k} ${t.count} (${t.money})`)
              .join(', ') || '-',
          ]),
        ),
      );
    });
  audit
    .command('findings <shopId>')
    .description("An audit's findings with the money at stake and the order lines they rest on")
    .option('--period <period>', 'only this period')
    .option('--kind <kind>', 'only this kind (double_credit, refunded_units, creator_rto, …)')
    .option('--limit <n>', 'at most n findings (default 100)')
    .action(async (shopId: string, opts: { period?: string; kind?: string; limit?: string }, cmd: Command) => {
      const query = new URLSearchParams();
      if (opts.period) query.set('period', opts.period);
      if (opts.kind) query.set('kind', opts.kind);
      if (opts.limit) query.set('limit', opts.limit);
      const { findings } = await api().get<{ findings: FindingRow[] }>(
        `/v1/shops/${encode(shopId)}/affiliate-findings?${query.toString()}`,
      );
      print(json(cmd), findings, () =>
        table(
          ['ID', 'KIND', 'SUBJECT', 'AT STAKE', 'LINES'],
          findings.map((f) => [
            f.id,
            f.kind,
            f.creatorUsername ?? f.orderId ?? '-',
            `${f.moneyAtStake} ${f.currency ?? ''}`.trim(),
            f.sourceLineIds.slice(0, 3).join(' ') +
              (f.sourceLineIds.length > 3 ? ` +${f.sourceLineIds.length - 3}` : ''),
          ]),
        ),
      );
    });
}
