// `ungating start|list|show`: category applications through the API (POST/GET /v1/shops/:shopId/ungating). Their
// steps (documents, submission, decision) are human steps: `steps list --kind category_ungating`, `steps decide`.
import type { Command } from 'commander';
import type { OpsApiClient } from './apiClient';
import { table } from './format';

const encode = encodeURIComponent;
const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** A recorded application round (api/routes/categoryUngating.ts describeApplication). */
export interface UngatingApplicationView {
  applicationId: string;
  categoryId: string;
  round: number;
  stage: string;
  outcome: string | null;
  earliestExpiry: string | null;
  requalifyAt: string | null;
  updatedAt: string;
}

/** The workflow's view (workflows/categoryUngating/messages.ts CategoryUngatingView), as the show command prints it. */
export interface UngatingView {
  categoryId: string;
  round: number;
  stage: string;
  outcome?: string;
  requiredDocumentTypes: string[];
  check?: { satisfied: { documentType: string; certificateId: string }[]; missing: { documentType: string }[] };
  attempts: { attempt: number; submittedAt?: string; decision?: string; decidedBy?: string; reasons?: string[] }[];
  waitingFor?: { stepKey: string; updateName: string; dueAt: string };
  products: { productId: string; auditStatus: string }[];
  requalifyAt?: string;
}

export function formatUngatingList(rows: UngatingApplicationView[]): string {
  if (!rows.length) return 'No applications.';
  return table(
    ['category', 'round', 'stage', 'outcome', 'earliest expiry', 're-qualifies at'],
    rows.map((a) => [
      a.categoryId,
      String(a.round),
      a.stage,
      a.outcome ?? '—',
      a.earliestExpiry ?? '—',
      a.requalifyAt ?? '—',
    ]),
  );
}

export function formatUngating(v: UngatingView): string {
  return [
    `Category ${v.categoryId}, round ${v.round}: ${v.stage}${v.outcome ? ` (${v.outcome})` : ''}`,
    `  required:  ${v.requiredDocumentTypes.join(', ') || '—'}`,
    `  provided:  ${v.check?.satisfied.map((s) => `${s.documentType} ${s.certificateId}`).join(', ') || '—'}`,
    `  missing:   ${v.check?.missing.map((m) => m.documentType).join(', ') || '—'}`,
    ...(v.waitingFor
      ? [`  waiting:   ${v.waitingFor.stepKey} (${v.waitingFor.updateName}) due ${v.waitingFor.dueAt}`]
      : []),
    ...v.attempts.map(
      (a) =>
        `  attempt ${a.attempt}: ${a.submittedAt ? `submitted ${a.submittedAt}` : 'not submitted'}` +
        (a.decision ? `, ${a.decision} by ${a.decidedBy}${a.reasons?.length ? `: ${a.reasons.join('; ')}` : ''}` : ''),
    ),
    ...(v.products.length
      ? [`  products:  ${v.products.map((p) => `${p.productId} ${p.auditStatus}`).join(', ')}`]
      : []),
    ...(v.requalifyAt ? [`  re-qualifies at ${v.requalifyAt}`] : []),
  ].join('\n');
}

/** Adds the `ungating` commands to the program. */
export function addUngatingCommands(
  program: Command,
  api: () => OpsApiClient,
  print: (cmd: Command, value: unknown, text: () => string) => void,
): void {
  const ungating = program.command('ungating').description('Category applications (the categoryUngating workflow)');
  ungating
    .command('start <shopId> <categoryId>')
    .description('Starts the application for a gated category (or shows the one running)')
    .option('--requirement <row>', 'the requirement row, e.g. dietary_supplements (default: the category id)')
    .option('--extra <types>', 'comma-separated document types the operator adds', list)
    .option(
      '--not-applicable <types>',
      "comma-separated conditional types that do not apply to the shop's products",
      list,
    )
    .action(
      async (
        shopId: string,
        categoryId: string,
        opts: { requirement?: string; extra?: string[]; notApplicable?: string[] },
        cmd: Command,
      ) => {
        const out = await api().post<{ workflowId: string; started: boolean }>(`/v1/shops/${encode(shopId)}/ungating`, {
          categoryId,
          ...(opts.requirement ? { requirementKey: opts.requirement } : {}),
          ...(opts.extra ? { extraDocumentTypes: opts.extra } : {}),
          ...(opts.notApplicable ? { notApplicable: opts.notApplicable } : {}),
        });
        print(cmd, out, () => `${out.started ? 'Started' : 'Already running'}: ${out.workflowId}`);
      },
    );
  ungating
    .command('list <shopId>')
    .description("The shop's applications, one row per round")
    .option('--category <categoryId>', 'only this category')
    .action(async (shopId: string, opts: { category?: string }, cmd: Command) => {
      const query = opts.category ? `?categoryId=${encode(opts.category)}` : '';
      const { applications } = await api().get<{ applications: UngatingApplicationView[] }>(
        `/v1/shops/${encode(shopId)}/ungating${query}`,
      );
      print(cmd, applications, () => formatUngatingList(applications));
    });
  ungating
    .command('show <shopId> <categoryId>')
    .description('The application: documents, attempts and their reasons, the step waiting, the products')
    .action(async (shopId: string, categoryId: string, _opts: unknown, cmd: Command) => {
      const out = await api().get<UngatingView>(`/v1/shops/${encode(shopId)}/ungating/${encode(categoryId)}`);
      print(cmd, out, () => formatUngating(out));
    });
}
