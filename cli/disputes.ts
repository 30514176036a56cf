// The CLI's dispute commands (cli/main.ts): `chargebacks open|list|show` and `appeals open|list|show`, through the HTTP
// API's chargeback and dispute-appeal routes (api/routes/chargeback.ts, api/routes/disputeAppeal.ts). The submission
// and the outcome are the cases' human steps: `steps decide <id>`.
import { InvalidArgumentError, type Command } from 'commander';
import type { OpsApiClient } from './apiClient';
import { table, timeLeft } from './format';

/** A dispute case as the list routes answer it (dispute_cases). */
interface CaseRow {
  caseId: string;
  orderId: string;
  stage: string;
  deadline: string;
  bundleId: string | null;
  outcome: string | null;
  amount: { amount: string; currency: string } | null;
  closedAt: string | null;
}

export interface DisputeCliContext {
  api(): OpsApiClient;
  print(json: boolean, value: unknown, text: () => string): void;
  json(cmd: Command): boolean;
  now(): number;
}

const encode = encodeURIComponent;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError('a whole number from 1 to 500');
  return n;
}

/** The shop's cases by deadline, with the time left to each open one. */
export function formatCaseList(rows: CaseRow[], now: number): string {
  if (rows.length === 0) return 'No cases.';
  return table(
    ['CASE', 'ORDER', 'STAGE', 'DEADLINE', 'LEFT', 'AMOUNT', 'BUNDLE', 'OUTCOME'],
    rows.map((r) => [
      r.caseId,
      r.orderId,
      r.stage,
      r.deadline,
      r.closedAt ? '-' : timeLeft(r.deadline, now),
      r.amount ? `${r.amount.amount} ${r.amount.currency}` : '-',
      r.bundleId ?? '-',
      r.outcome ?? '-',
    ]),
  );
}

interface CaseView {
  caseKind: string;
  caseId: string;
  orderId: string;
  stage: string;
  risk?: string;
  deadline: string;
  deadlineSource?: string;
  bundles?: { bundleId: string; pageCount: number; sha256: string }[];
  bundleId?: string | null;
  bundleError?: string;
  submission?: { submittedAt: string; decidedBy: string; reference?: string };
  outcome?: { outcome: string; amountRecovered?: string } | string | null;
  humanSteps?: { id: string; stepKey: string; dueAt: string | null; closedAt: string | null; outcome: string | null }[];
}

/** One case: where it stands, its deadline, its bundle, and the steps to answer. */
export function formatCase(c: CaseView, now: number): string {
  const bundle = c.bundles?.at(-1);
  const outcome = typeof c.outcome === 'object' && c.outcome ? c.outcome.outcome : c.outcome;
  const lines = [
    `${c.caseKind} ${c.caseId} (order ${c.orderId}): ${c.stage}${c.risk ? `, ${c.risk}` : ''}`,
    `Deadline: ${c.deadline} (${timeLeft(c.deadline, now)})${c.deadlineSource ? ` from ${c.deadlineSource}` : ''}`,
    `Bundle:   ${bundle ? `${bundle.bundleId}, ${bundle.pageCount} pages, sha256 ${bundle.sha256}` : (c.bundleId ?? c.bundleError ?? 'none yet')}`,
  ];
  if (c.submission)
    lines.push(
      `Submitted: ${c.submission.submittedAt} by ${c.submission.decidedBy}${c.submission.reference ? ` (${c.submission.reference})` : ''}`,
    );
  if (outcome) lines.push(`Outcome:  ${outcome}`);
  for (const s of c.humanSteps ?? [])
    lines.push(
      `Step ${s.id} ${s.stepKey}: ${s.closedAt ? `closed (${s.outcome})` : `open, due ${s.dueAt ?? '-'} — npm run cli -- steps decide ${s.id} --input '{...}'`}`,
    );
  return lines.join('\n');
}

interface KindSpec {
  command: string;
  /** The API's path segment and the list's key. */
  plural: string;
  listKey: string;
  what: string;
  /** The open command's options (commander flags) and how they make the API's body. */
  options: [flags: string, description: string, required: boolean][];
  body(opts: Record<string, string | undefined>): Record<string, unknown>;
}

const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const KINDS: KindSpec[] = [
  {
    command: 'chargebacks',
    plural: 'chargebacks',
    listKey: 'chargebacks',
    what: 'Chargebacks: evidence due by the deadline in their notice',
    options: [
      ['--id <chargebackId>', "the notice's chargeback id", true],
      ['--order <orderId>', 'the TikTok order id', true],
      ['--reason <text>', 'the reason as the notice states it', true],
      ['--amount <decimal>', 'the amount disputed, e.g. 42.50', true],
      ['--currency <code>', 'ISO 4217, e.g. USD', true],
      ['--notice-date <iso>', 'when the notice was sent', true],
      ['--deadline <iso>', 'the response deadline written in the notice', true],
      ['--issuer <name>', 'the card issuer', false],
      ['--network <name>', 'the card network', false],
    ],
    body: (o) =>
      defined({
        chargebackId: o.id,
        orderId: o.order,
        reason: o.reason,
        amount: o.amount,
        currency: o.currency,
        noticeDate: o.noticeDate,
        responseDeadline: o.deadline,
        issuer: o.issuer,
        network: o.network,
      }),
  },
  {
    command: 'appeals',
    plural: 'dispute-appeals',
    listKey: 'disputeAppeals',
    what: 'Appeals of decided disputes: due 21 days after the decision',
    options: [
      ['--id <disputeId>', "the dispute's id", true],
      ['--type <type>', 'return_refund or arbitration', true],
      ['--order <orderId>', 'the TikTok order id', true],
      ['--return <returnId>', 'the return id, if any', false],
      ['--decision <text>', "TikTok's decision as it reads", true],
      ['--decided-at <iso>', 'when TikTok decided', true],
      ['--amount <decimal>', 'what the decision costs, e.g. 30.00', false],
      ['--currency <code>', 'ISO 4217, with --amount', false],
    ],
    body: (o) =>
      defined({
        disputeId: o.id,
        disputeType: o.type,
        orderId: o.order,
        returnId: o.return,
        decision: o.decision,
        decidedAt: o.decidedAt,
        amount: o.amount,
        currency: o.currency,
      }),
  },
];

/** Adds `chargebacks` and `appeals` (open, list, show) to the program. */
export function addDisputeCommands(program: Command, ctx: DisputeCliContext): void {
  for (const kind of KINDS) {
    const group = program.command(kind.command).description(kind.what);
    const open = group
      .command('open')
      .description('Opens the case (a second open of the same id answers the case already there)')
      .requiredOption('--shop <shopId>', 'the shop');
    for (const [flags, description, required] of kind.options)
      if (required) open.requiredOption(flags, description);
      else open.option(flags, description);
    open.action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const out = await ctx
        .api()
        .post<{ created: boolean; case: { caseId: string; deadline: string; workflowId?: string } }>(
          `/v1/shops/${encode(opts.shop!)}/${kind.plural}`,
          kind.body(opts),
        );
      ctx.print(
        ctx.json(cmd),
        out,
        () =>
          `${out.created ? 'Opened' : 'Already open'}: ${kind.command} ${out.case.caseId}, deadline ${out.case.deadline}` +
          ` (npm run cli -- ${kind.command} show ${opts.shop} ${out.case.caseId})`,
      );
    });
    group
      .command('list')
      .description("The shop's cases by deadline")
      .requiredOption('--shop <shopId>', 'the shop')
      .option('--open', 'open cases only')
      .option('--closed', 'closed cases only')
      .option('--limit <n>', 'at most n cases (default 100)', positiveInt)
      .action(async (opts: { shop: string; open?: boolean; closed?: boolean; limit?: number }, cmd: Command) => {
        const query = new URLSearchParams();
        if (opts.open) query.set('open', 'true');
        else if (opts.closed) query.set('open', 'false');
        if (opts.limit) query.set('limit', String(opts.limit));
        const out = await ctx
          .api()
          .get<Record<string, CaseRow[]>>(`/v1/shops/${encode(opts.shop)}/${kind.plural}?${query.toString()}`);
        const rows = out[kind.listKey] ?? [];
        ctx.print(ctx.json(cmd), rows, () => formatCaseList(rows, ctx.now()));
      });
    group
      .command('show <shopId> <caseId>')
      .description('One case: stage, deadline, bundle, submission, outcome and its human steps')
      .action(async (shopId: string, caseId: string, _opts: unknown, cmd: Command) => {
        const c = await ctx.api().get<CaseView>(`/v1/shops/${encode(shopId)}/${kind.plural}/${encode(caseId)}`);
        ctx.print(ctx.json(cmd), c, () => formatCase(c, ctx.now()));
      });
  }
}
