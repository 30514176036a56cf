// `appeal start|list|show|versions|diff|approve|edit|submitted|decided`: suspension appeals (workflows/suspensionAppeal)
// through the API (api/routes/suspensionAppeal.ts). The person's answers are the appeal's human steps: these commands
// find the open one and send it through POST /v1/human-steps/:id/decision, as `steps decide` does.
import fs from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { OpsApiClient } from './apiClient';
import { UsageError } from './errors';
import { table } from './format';

const encode = encodeURIComponent;
type Print = (cmd: Command, value: unknown, text: () => string) => void;

interface StepRef {
  id: string;
  stepKey: string;
  closedAt: string | null;
  dueAt: string | null;
}

/** An appeal as GET /v1/shops/:shopId/suspension-appeals/:noticeId answers it (the workflow's view). */
export interface AppealView {
  noticeId: string;
  notice: { reason: string; violatedPolicy: string; noticeDate: string };
  stage: string;
  risk?: string;
  round: number;
  refusal?: { category: string; explanation: string; whereToGo: unknown } | null;
  window?: { closesAt: string; source: string };
  windowClosesAt?: string | null;
  versions?: { version: number; round: number; kind: string; createdBy: string; createdAt: string }[];
  currentVersion?: number;
  approvedVersion?: number | null;
  reviewDueAt?: string;
  changedSinceFirst?: string;
  decisions?: { round: number; decision: string; reason?: string; decidedBy: string; at: string }[];
  humanSteps: StepRef[];
}

interface AppealRow {
  noticeId: string;
  stage: string;
  round: number;
  windowClosesAt: string | null;
  approvedVersion: number | null;
  decision: string | null;
  closedAt: string | null;
}

interface PlanDiff {
  from: { version: number; kind: string; createdBy: string };
  to: { version: number; kind: string; createdBy: string };
  changes: { path: string; kind: string; before?: unknown; after?: unknown }[];
}

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function formatDiff(d: PlanDiff): string {
  const head = `Version ${d.from.version} (${d.from.kind}) → ${d.to.version} (${d.to.kind}, by ${d.to.createdBy})`;
  if (d.changes.length === 0) return `${head}: no changes`;
  return [
    `${head}: ${d.changes.length} change(s)`,
    ...d.changes.map((c) =>
      c.kind === 'changed'
        ? `~ ${c.path}: ${shown(c.before)} → ${shown(c.after)}`
        : `${c.kind === 'added' ? '+' : '-'} ${c.path}: ${shown(c.kind === 'added' ? c.after : c.before)}`,
    ),
  ].join('\n');
}

/** What a referral looks like in text (a refusal's where-to-go is a list of places, or one text). */
const places = (where: unknown): string[] =>
  Array.isArray(where)
    ? where.map((w: { name?: string; url?: string }) => [w.name, w.url].filter(Boolean).join(': '))
    : [String(where)];

export function formatAppeal(a: AppealView): string {
  const lines = [
    `Suspension appeal ${a.noticeId}: ${a.stage}${a.risk ? `, ${a.risk}` : ''} (round ${a.round})`,
    `Notice:   ${a.notice.violatedPolicy} — ${a.notice.reason} (${a.notice.noticeDate})`,
  ];
  if (a.refusal) {
    lines.push(`Refused:  ${a.refusal.category}: ${a.refusal.explanation}`);
    for (const p of places(a.refusal.whereToGo)) lines.push(`Go to:    ${p}`);
  }
  const closes = a.window?.closesAt ?? a.windowClosesAt;
  if (closes) lines.push(`Window:   closes ${closes}${a.window ? ` (${a.window.source})` : ''}`);
  for (const v of a.versions ?? [])
    lines.push(
      `Version ${v.version} (round ${v.round}, ${v.kind}) by ${v.createdBy} at ${v.createdAt}` +
        `${v.version === a.approvedVersion ? ' — approved' : ''}`,
    );
  if (a.changedSinceFirst) lines.push(`Changed since the first appeal: ${a.changedSinceFirst}`);
  for (const d of a.decisions ?? [])
    lines.push(`TikTok (round ${d.round}): ${d.decision}${d.reason ? ` — ${d.reason}` : ''} (by ${d.decidedBy})`);
  for (const s of a.humanSteps)
    lines.push(`Step ${s.id} ${s.stepKey}: ${s.closedAt ? 'closed' : `open, due ${s.dueAt ?? '-'}`}`);
  return lines.join('\n');
}

export function formatAppealList(rows: AppealRow[]): string {
  if (rows.length === 0) return 'No suspension appeals.';
  return table(
    ['NOTICE', 'STAGE', 'ROUND', 'WINDOW CLOSES', 'APPROVED', 'DECISION'],
    rows.map((r) => [
      r.noticeId,
      r.stage,
      String(r.round),
      r.windowClosesAt ?? '-',
      r.approvedVersion === null ? '-' : `v${r.approvedVersion}`,
      r.decision ?? '-',
    ]),
  );
}

function metrics(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const m = /^([A-Za-z_]\w*)=(-?\d+(\.\d+)?)$/.exec(value);
  if (!m) throw new InvalidArgumentError('name=number, e.g. lateDispatchRate=0.12');
  return { ...previous, [m[1]!]: Number(m[2]) };
}

/** The open step of the appeal whose key starts with `what` (`review`, `submit`, `decision`). */
export function openStep(a: AppealView, what: 'review' | 'submit' | 'decision'): StepRef {
  const step = a.humanSteps.find((s) => s.stepKey.startsWith(`${what}:`) && s.closedAt === null);
  if (!step)
    throw new UsageError(
      `appeal ${a.noticeId} is ${a.stage}: it has no open ${what} step (npm run cli -- appeal show …)`,
    );
  return step;
}

/** Adds `appeal` (start, list, show, versions, approve, edit, submitted, decided) to the program. */
export function addSuspensionAppealCommands(program: Command, api: () => OpsApiClient, print: Print): void {
  const group = program
    .command('appeal')
    .description('Suspension appeals: a Plan of Action from our own records, approved, submitted, decided');
  const path = (shopId: string, noticeId?: string) =>
    `/v1/shops/${encode(shopId)}/suspension-appeals${noticeId ? `/${encode(noticeId)}` : ''}`;

  group
    .command('start')
    .description('Starts the appeal of a notice (the same notice again answers the appeal already there)')
    .requiredOption('--shop <shopId>', 'the shop')
    .requiredOption('--notice <noticeId>', "the notice's id (Seller Center > Account Health > Violation records)")
    .requiredOption('--reason <text>', 'the reason as the notice states it')
    .requiredOption('--date <iso>', 'when the notice was sent')
    .requiredOption('--policy <text>', 'the violated policy as the notice names it')
    .option('--region <code>', "default: the shop's region")
    .option('--metric <name=number>', 'a metric TikTok quoted (repeatable)', metrics)
    .option('--appeal-by <iso>', 'the appeal deadline the notice shows, if any')
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const body = Object.fromEntries(
        Object.entries({
          noticeId: o.notice,
          reason: o.reason,
          noticeDate: o.date,
          violatedPolicy: o.policy,
          region: o.region,
          quotedMetrics: o.metric,
          appealBy: o.appealBy,
        }).filter(([, v]) => v !== undefined),
      );
      const out = await api().post<{ created: boolean }>(path(o.shop as string), body);
      print(
        cmd,
        out,
        () =>
          `${out.created ? 'Started' : 'Already there'}: appeal of notice ${String(o.notice)} ` +
          `(npm run cli -- appeal show ${String(o.shop)} ${String(o.notice)})`,
      );
    });

  group
    .command('list')
    .description("The shop's appeals, newest first")
    .requiredOption('--shop <shopId>', 'the shop')
    .option('--open', 'open appeals only')
    .action(async (o: { shop: string; open?: boolean }, cmd: Command) => {
      const out = await api().get<{ suspensionAppeals: AppealRow[] }>(`${path(o.shop)}${o.open ? '?open=true' : ''}`);
      print(cmd, out.suspensionAppeals, () => formatAppealList(out.suspensionAppeals));
    });

  group
    .command('show <shopId> <noticeId>')
    .description('One appeal: stage, refusal, window, versions, decisions and its human steps')
    .action(async (shopId: string, noticeId: string, _o: unknown, cmd: Command) => {
      const a = await api().get<AppealView>(path(shopId, noticeId));
      print(cmd, a, () => formatAppeal(a));
    });

  group
    .command('versions <shopId> <noticeId>')
    .description('Every version of the Plan of Action, with its plan (JSON)')
    .action(async (shopId: string, noticeId: string, _o: unknown, cmd: Command) => {
      const out = await api().get<unknown>(`${path(shopId, noticeId)}/versions`);
      print(cmd, out, () => JSON.stringify(out, null, 2));
    });

  group
    .command('diff <shopId> <noticeId>')
    .description('What changed between two versions (default: the latest against the one before)')
    .option('--from <n>', 'the older version')
    .option('--to <n>', 'the newer version')
    .action(async (shopId: string, noticeId: string, o: { from?: string; to?: string }, cmd: Command) => {
      const query = new URLSearchParams();
      if (o.from) query.set('from', o.from);
      if (o.to) query.set('to', o.to);
      const out = await api().get<PlanDiff>(`${path(shopId, noticeId)}/diff?${query.toString()}`);
      print(cmd, out, () => formatDiff(out));
    });

  /** Sends `input` to the appeal's open `what` step. */
  const decide = async (
    cmd: Command,
    shopId: string,
    noticeId: string,
    what: 'review' | 'submit' | 'decision',
    input: object,
  ) => {
    const step = openStep(await api().get<AppealView>(path(shopId, noticeId)), what);
    const out = await api().post<{ result: AppealView }>(`/v1/human-steps/${encode(step.id)}/decision`, input);
    print(cmd, out, () => `Step ${step.id} ${step.stepKey} decided: the appeal is ${out.result.stage}`);
  };
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

  group
    .command('approve <shopId> <noticeId>')
    .description('Approves the current version of the Plan of Action')
    .option('--version <n>', 'the version you reviewed (refused if a newer one exists)', (v) => Number(v))
    .option('--note <text>')
    .action(async (shopId: string, noticeId: string, o: { version?: number; note?: string }, cmd: Command) =>
      decide(cmd, shopId, noticeId, 'review', defined({ action: 'approve', version: o.version, note: o.note })),
    );

  group
    .command('edit <shopId> <noticeId>')
    .description('Stores an edited plan (the whole plan, JSON) as the next version, to approve then')
    .requiredOption('--plan-file <path>', 'the edited plan (start from `appeal versions`)')
    .option('--version <n>', 'the version you edited (refused if a newer one exists)', (v) => Number(v))
    .option('--note <text>')
    .action(
      async (
        shopId: string,
        noticeId: string,
        o: { planFile: string; version?: number; note?: string },
        cmd: Command,
      ) => {
        let plan: unknown;
        try {
          plan = JSON.parse(fs.readFileSync(o.planFile, 'utf8'));
        } catch (err) {
          throw new UsageError(`--plan-file ${o.planFile}: ${(err as Error).message}`);
        }
        await decide(
          cmd,
          shopId,
          noticeId,
          'review',
          defined({ action: 'edit', plan, version: o.version, note: o.note }),
        );
      },
    );

  group
    .command('submitted <shopId> <noticeId>')
    .description('Records that the approved version was submitted in Seller Center')
    .option('--reference <text>', "Seller Center's reference, if any")
    .option('--submitted-at <iso>', 'when (default now)')
    .action(async (shopId: string, noticeId: string, o: { reference?: string; submittedAt?: string }, cmd: Command) =>
      decide(cmd, shopId, noticeId, 'submit', defined({ reference: o.reference, submittedAt: o.submittedAt })),
    );

  group
    .command('decided <shopId> <noticeId>')
    .description("Records TikTok's decision; a first denial starts the one revised appeal")
    .requiredOption('--decision <approved|denied>', "TikTok's decision")
    .option('--reason <text>', "TikTok's reason (required for denied)")
    .action(async (shopId: string, noticeId: string, o: { decision: string; reason?: string }, cmd: Command) =>
      decide(cmd, shopId, noticeId, 'decision', defined({ decision: o.decision, reason: o.reason })),
    );
}
