// `tax report start|list|show|download|schedule|pause|unpause|trigger|backfill`: the monthly tax reports of a shop
// through the HTTP API (api/routes/monthlyTaxReport.ts). The approval is a human step: `steps list --kind
// tax_report`, then `steps decide <id> --input '{}'` on the `approve` step (or `{"reason": "…"}` on `reject`).
import fs from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { TaxReportView } from '../workflows/monthlyTaxReport/messages';
import type { OpsApiClient } from './apiClient';
import { table } from './format';

type Print = (cmd: Command, value: unknown, text: () => string) => void;

interface ReportRow {
  period: string | null;
  stage: string | null;
  status: string;
  workflowId: string;
}
interface ScheduleView {
  scheduleId: string;
  paused: boolean;
  note: string | null;
  timeZone: string;
  calendar: { dayOfMonth: number | string | null; hour: number | string | null } | null;
  nextActionTimes: string[];
  recentActions: { scheduledAt: string; workflowId: string }[];
}

const encode = encodeURIComponent;

function month(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError('a month as YYYY-MM');
  return value;
}

/** One report as people read it: stage, figures, approval, commit. */
export function formatTaxReport(v: TaxReportView): string {
  const lines = [`Tax report ${v.shopId} ${v.period ?? '?'} (${v.timeZone ?? '?'}): ${v.stage}`];
  lines.push(`  lines read: ${v.progress.lines} in ${v.progress.steps} steps`);
  const s = v.summary;
  if (s) {
    lines.push(`  report ${s.reportId}, hash ${s.hash} (${s.rebuild})`);
    lines.push(`  states: ${s.states}; seller-owed: ${s.sellerOwedTransactions} transactions, tax ${s.sellerOwedTax}`);
    for (const r of s.mustRegister)
      lines.push(`  must register in ${r.state}: nexus from ${r.nexusFrom}, by ${r.mustRegisterBy}`);
    lines.push(`  differences with TikTok's charged tax: ${s.differences}`);
    for (const g of s.historyGaps) lines.push(`  history not covered: ${g.from} .. ${g.to}`);
    for (const f of s.flags) lines.push(`  flag: ${f}`);
  }
  if (v.approvalDueAt && !v.decision) lines.push(`  approval due ${v.approvalDueAt}`);
  if (v.decision) lines.push(`  ${v.decision.decision} by ${v.decision.decidedBy} at ${v.decision.decidedAt}`);
  const c = v.commit;
  if (c) {
    lines.push(
      `  ${c.engine}: staged ${c.staged}, created ${c.created}, replaced ${c.replaced}, skipped ${c.skipped}, ` +
        `rejected ${c.rejected}, refunds ${c.refunds}${c.error ? `; failed: ${c.error}` : ''}`,
    );
  }
  return lines.join('\n');
}

/** The `report` commands under `tax` (cli/tax.ts adds the group). */
export function addTaxReportCommands(tax: Command, api: () => OpsApiClient, print: Print): void {
  const report = tax.command('report').description('Monthly sales-tax reports: start, list, read, the Schedule');
  const shop = () => new Option('--shop <shopId>', 'the shop').makeOptionMandatory();
  const base = (shopId: string) => `/v1/shops/${encode(shopId)}/tax`;

  report
    .command('start <period>')
    .description('Starts the report of an ended month (YYYY-MM) by hand')
    .addOption(shop())
    .action(async (period: string, opts: { shop: string }, cmd: Command) => {
      const out = await api().post<{ workflowId: string; started: boolean }>(`${base(opts.shop)}/reports`, {
        period: month(period),
      });
      print(cmd, out, () => (out.started ? `Report ${out.workflowId} started` : `${out.workflowId} is running`));
    });

  report
    .command('list')
    .description("The shop's reports, newest month first")
    .addOption(shop())
    .action(async (opts: { shop: string }, cmd: Command) => {
      const { reports } = await api().get<{ reports: ReportRow[] }>(`${base(opts.shop)}/reports`);
      print(cmd, reports, () =>
        reports.length === 0
          ? `Shop ${opts.shop} has no tax reports`
          : table(
              ['MONTH', 'STAGE', 'STATUS', 'WORKFLOW'],
              reports.map((r) => [r.period ?? '', r.stage ?? '', r.status, r.workflowId]),
            ),
      );
    });

  report
    .command('show <period>')
    .description('One report: figures, approval, commit')
    .addOption(shop())
    .action(async (period: string, opts: { shop: string }, cmd: Command) => {
      const out = await api().get<TaxReportView>(`${base(opts.shop)}/reports/${encode(month(period))}`);
      print(cmd, out, () => formatTaxReport(out));
    });

  report
    .command('download <period>')
    .description("Writes the report's CSV or PDF to a file")
    .addOption(shop())
    .addOption(new Option('--format <format>', 'csv or pdf').choices(['csv', 'pdf']).default('pdf'))
    .requiredOption('--out <path>', 'the file to write')
    .action(async (period: string, opts: { shop: string; format: string; out: string }, cmd: Command) => {
      const bytes = await api().getBytes(`${base(opts.shop)}/reports/${encode(month(period))}/${opts.format}`);
      fs.writeFileSync(opts.out, bytes);
      const out = { path: opts.out, bytes: bytes.length };
      print(cmd, out, () => `Wrote ${out.bytes} bytes to ${out.path}`);
    });

  report
    .command('schedule')
    .description("The shop's monthly Schedule: time zone, next and recent firings")
    .addOption(shop())
    .action(async (opts: { shop: string }, cmd: Command) => {
      const s = await api().get<ScheduleView>(`${base(opts.shop)}/schedule`);
      print(cmd, s, () => formatSchedule(s));
    });

  for (const action of ['pause', 'unpause'] as const) {
    report
      .command(action)
      .description(`${action === 'pause' ? 'Pauses' : 'Resumes'} the shop's monthly Schedule`)
      .addOption(shop())
      .option('--note <text>', 'why (shown when the Schedule is described)')
      .action(async (opts: { shop: string; note?: string }, cmd: Command) => {
        const s = await api().post<ScheduleView>(`${base(opts.shop)}/schedule/${action}`, {
          ...(opts.note ? { note: opts.note } : {}),
        });
        print(cmd, s, () => formatSchedule(s));
      });
  }

  report
    .command('trigger')
    .description("Fires the shop's Schedule now: the month before this one is reported")
    .addOption(shop())
    .action(async (opts: { shop: string }, cmd: Command) => {
      const out = await api().post<unknown>(`${base(opts.shop)}/schedule/trigger`, {});
      print(cmd, out, () => `The tax report Schedule of ${opts.shop} fired`);
    });

  report
    .command('backfill')
    .description('Replays the Schedule for past months: each firing reports its month')
    .addOption(shop())
    .requiredOption('--from <month>', 'the first month (YYYY-MM)', month)
    .requiredOption('--to <month>', 'the last month (YYYY-MM)', month)
    .action(async (opts: { shop: string; from: string; to: string }, cmd: Command) => {
      const out = await api().post<{ firings: string[] }>(`${base(opts.shop)}/schedule/backfill`, {
        from: opts.from,
        to: opts.to,
      });
      print(cmd, out, () => `Back-filled ${out.firings.length} months (${opts.from} .. ${opts.to})`);
    });
}

function formatSchedule(s: ScheduleView): string {
  const at = s.calendar ? `day ${String(s.calendar.dayOfMonth)} at ${String(s.calendar.hour)}:00` : '?';
  return [
    `${s.scheduleId}: ${s.paused ? 'paused' : 'running'}${s.note ? ` (${s.note})` : ''}, ${at} ${s.timeZone}`,
    `  next: ${s.nextActionTimes.join(', ') || 'none'}`,
    ...s.recentActions.map((a) => `  fired ${a.scheduledAt}: ${a.workflowId}`),
  ].join('\n');
}
