// `health show <shopId>` and `health violations add <shopId> …`: a shop's account health and the Seller Center
// notices a person enters, through the API (GET /v1/shops/:shopId/account-health, POST …/account-health/violations).
import { InvalidArgumentError, type Command } from 'commander';
import type { AccountHealthReport } from '../accountHealth/model';
import type { OpsApiClient } from './apiClient';
import { table } from './format';

const encode = encodeURIComponent;
const pct = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);

/** The report as text: score and milestones, each metric against its thresholds, violations, forecast, warnings. */
export function formatAccountHealth(out: { report: AccountHealthReport; chart: string }): string {
  const r = out.report;
  const s = r.score;
  const unverified = (flag: boolean) => (flag ? ' (unverified)' : '');
  const lines = [
    `Shop ${r.shopId} (${r.region}, ${r.regime}) as of ${r.asOf}`,
    `Score ${s.value}${unverified(s.unverified.length > 0)}; milestone ${s.milestone?.threshold ?? 'none'}; next ` +
      `${s.nextMilestone ? `${s.nextMilestone.threshold} (${s.pointsToNext} points away)` : 'none'}`,
    '',
    table(
      ['metric', 'rate', 'orders', 'window', 'breached', 'thresholds'],
      r.metrics.map((m) => [
        m.name,
        pct(m.rate),
        `${m.numerator}/${m.denominator}`,
        `${m.window.days} d`,
        m.breached,
        m.thresholds.map((t) => `${t.level} ${t.direction} ${pct(t.value)}${unverified(t.uncertain)}`).join('; '),
      ]),
    ),
    '',
    `Violations counting: ${r.violations.length}` +
      r.violations
        .map((v) => `\n  ${v.occurredAt.slice(0, 10)} ${v.policy} ${v.points} pts, until ${v.expiresAt.slice(0, 10)}`)
        .join(''),
    `Forecast: next milestone ${r.forecast.nextMilestone.threshold ?? 'none'} ${r.forecast.nextMilestone.risk}` +
      (r.forecast.nextMilestone.drivers.length ? ` (drivers: ${r.forecast.nextMilestone.drivers.join(', ')})` : '') +
      `; reserve level ${r.forecast.reserve.level}${unverified(r.forecast.reserve.unverified)}`,
    `Warnings: ${r.warnings.length}` +
      r.warnings
        .map((w) => `\n  [${w.severity}] ${w.message}${w.orderIds.length ? ` — orders ${w.orderIds.join(', ')}` : ''}`)
        .join(''),
    `Chart: ${out.chart}`,
  ];
  return lines.join('\n');
}

function points(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('a whole number from 1 to 1000');
  return n;
}

/** Adds the `health` commands to the program. */
export function addHealthCommands(
  program: Command,
  api: () => OpsApiClient,
  print: (cmd: Command, value: unknown, text: () => string) => void,
): void {
  const health = program.command('health').description("A shop's account health (metrics, score, forecast)");
  health
    .command('show <shopId>')
    .description("The shop's account health now: metrics, score, violations, forecast, warnings")
    .action(async (shopId: string, _opts: unknown, cmd: Command) => {
      const out = await api().get<{ report: AccountHealthReport; chart: string }>(
        `/v1/shops/${encode(shopId)}/account-health`,
      );
      print(cmd, out, () => formatAccountHealth(out));
    });
  const violations = health.command('violations').description('Violations TikTok notified in Seller Center');
  violations
    .command('add <shopId>')
    .description('Records a Seller Center notice (enteredBy is your API key)')
    .requiredOption('--notice <id>', "the notice's id in Seller Center")
    .requiredOption('--policy <name>', 'the violated policy, as the notice names it')
    .requiredOption('--points <n>', 'points the notice states', points)
    .requiredOption('--occurred-at <iso>', "the notice's date-time (ISO 8601, e.g. 2026-12-01T09:00:00Z)")
    .option('--note <text>', 'anything worth keeping with it')
    .action(
      async (
        shopId: string,
        opts: { notice: string; policy: string; points: number; occurredAt: string; note?: string },
        cmd: Command,
      ) => {
        const body = {
          noticeId: opts.notice,
          policy: opts.policy,
          points: opts.points,
          occurredAt: opts.occurredAt,
          ...(opts.note === undefined ? {} : { note: opts.note }),
        };
        const out = await api().post<{ violationId: string; expiresAt: string }>(
          `/v1/shops/${encode(shopId)}/account-health/violations`,
          body,
        );
        print(
          cmd,
          out,
          () => `Violation ${out.violationId} recorded for shop ${shopId}; counts until ${out.expiresAt}`,
        );
      },
    );
}
