// How the CLI shows human steps to a person (with --json it prints the API's rows instead).

import type { HumanStep } from '../db/humanSteps';

/** A human step as GET /v1/human-steps answers it (the repository's row type, one declaration); the CLI reads
 * fields of it and prints the rest with --json. */
export type StepRow = Omit<HumanStep, 'createdAt' | 'inputSchema' | 'context' | 'decision' | 'outcome'> & {
  outcome: string | null;
  inputSchema?: unknown;
  context?: unknown;
  decision?: unknown;
};

/** "3d 4h", "2h 05m", "12m", "45s"; past due: "overdue 12m"; no due time: "-". */
export function timeLeft(dueAt: string | null, now: number): string {
  if (!dueAt) return '-';
  const ms = Date.parse(dueAt) - now;
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const text = d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m` : `${s % 60}s`;
  return ms < 0 ? `overdue ${text}` : text;
}

const clip = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** A fixed-width table, one line per row. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The steps in the order the API gave them (by due time), with the time left to each. */
export function formatStepList(steps: StepRow[], now: number): string {
  if (steps.length === 0) return 'No human steps.';
  return table(
    ['ID', 'DUE', 'LEFT', 'SEVERITY', 'KIND', 'CASE', 'STATE', 'TITLE'],
    steps.map((s) => [
      s.id,
      s.dueAt ?? '-',
      s.closedAt ? '-' : timeLeft(s.dueAt, now),
      s.severity,
      s.caseKind,
      clip(s.caseId, 24),
      s.closedAt ? (s.outcome ?? 'closed') : 'open',
      clip(s.title, 70),
    ]),
  );
}

/** One step in full: what is asked, by when, how to answer, and how it ended. */
export function formatStep(s: StepRow, now: number): string {
  const lines = [
    `Step ${s.id}: ${s.title}`,
    `  case       ${s.caseKind} ${s.caseId} (shop ${s.shopId})`,
    `  workflow   ${s.workflowId}, update ${s.updateName}, step ${s.stepKey}`,
    `  severity   ${s.severity}`,
    `  due        ${s.dueAt ?? '-'}${s.closedAt ? '' : ` (${timeLeft(s.dueAt, now)})`}`,
  ];
  if (s.closedAt) {
    lines.push(`  closed     ${s.closedAt}: ${s.outcome}${s.decidedBy ? ` by ${s.decidedBy}` : ''}`);
    if (s.decision !== undefined && s.decision !== null) lines.push(`  decision   ${JSON.stringify(s.decision)}`);
  } else {
    lines.push(`  answer     npm run cli -- steps decide ${s.id} --input '<json>'`);
  }
  if (s.context !== undefined) lines.push('  context', indent(JSON.stringify(s.context, null, 2)));
  if (s.inputSchema !== undefined) lines.push('  input schema', indent(JSON.stringify(s.inputSchema, null, 2)));
  return lines.join('\n');
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
