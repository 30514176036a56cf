/**
 * The Plan of Action as a document (issue 18 item 3): the notice, the plan a person approved or edited, then the
 * evidence tables it rests on, for the shared renderer (pdf/render.ts). Pure: the same plan and evidence give the same
 * document, dated by the evidence's own newest timestamp, so a re-render is byte-identical.
 */
import type { PdfBlock, PdfDoc, PdfSection } from '../pdf/render';
import { assessEligibility } from './eligibility';
import { CAUSE_LABELS } from './evidence';
import type { AppealEvidence, PlanOfAction } from './model';
import { pct } from './planOfAction';

/** "2026-11-18 14:05" (UTC, no-break space): a time never wraps inside a table cell. */
export const shortTime = (at: string | null) => (at === null ? '—' : `${at.slice(0, 10)}\u00a0${at.slice(11, 16)}`);

const table = (columns: string[], rows: string[][], empty: string): PdfBlock[] =>
  rows.length === 0 ? [{ kind: 'paragraph', text: empty }] : [{ kind: 'table', columns, rows }];

const BREACH_TITLES = {
  late_dispatch: 'Late dispatch',
  valid_tracking: 'Valid tracking',
  seller_fault_cancellation: 'Seller-fault cancellations',
} as const;

function planSections(plan: PlanOfAction): PdfSection[] {
  const sections: PdfSection[] = [
    { heading: 'Summary', blocks: [{ kind: 'paragraph', text: plan.summary }] },
    ...plan.rootCauses.map((r): PdfSection => ({
      heading: `Root cause: ${BREACH_TITLES[r.breachType]}`,
      note: `Account health at the notice: ${r.numerator} of ${r.denominator} over ${r.windowDays} days`,
      blocks: [
        { kind: 'paragraph', text: r.statement },
        ...table(
          ['Cause (from our event log)', 'Orders', 'Share'],
          r.causes.map((c) => [
            CAUSE_LABELS[c.cause] ?? c.cause,
            String(c.orders),
            pct(c.orders / r.causes.reduce((n, x) => n + x.orders, 0)),
          ]),
          'No order in our records counts against it.',
        ),
      ],
    })),
    {
      heading: 'Corrective actions in effect',
      note: 'Dated from our own records',
      blocks: table(
        ['In effect since', 'Action', 'Answers', 'Where our records show it'],
        plan.correctiveActions.map((c) => [
          shortTime(c.inEffectFrom),
          c.action,
          c.breachTypes.map((b) => BREACH_TITLES[b]).join(', '),
          c.evidence,
        ]),
        'No corrective action is recorded yet.',
      ),
    },
    {
      heading: 'Preventive controls',
      blocks: table(
        ['Control', 'Owner', 'Measure that proves it', 'Target'],
        plan.preventiveControls.map((c) => [c.control, c.owner, c.measure, c.target]),
        'No preventive control.',
      ),
    },
  ];
  if (plan.changedSinceFirst)
    sections.push({
      heading: 'What changed since the first appeal',
      blocks: [{ kind: 'paragraph', text: plan.changedSinceFirst }],
    });
  return sections;
}

function evidenceSections(e: AppealEvidence): PdfSection[] {
  const rate = (v: number | null | undefined) => (v === undefined ? '—' : pct(v));
  return [
    {
      heading: 'Evidence: account health around the notice',
      note: 'Daily snapshots of our account-health records (UTC days)',
      blocks: table(
        ['Day', 'Score', 'Milestone', 'LDR', 'VTR', 'SFCR'],
        e.history.map((h) => [
          h.day,
          String(h.score),
          h.milestone === null ? '—' : String(h.milestone),
          rate(h.rates.ldr),
          rate(h.rates.vtr),
          rate(h.rates.sfcr),
        ]),
        'No daily snapshot in this period.',
      ),
    },
    {
      heading: 'Evidence: late dispatches',
      note: 'Times UTC. Hand-off: our warehouse outbox; shipped: the warehouse’s report; scan: the carrier’s first scan',
      blocks: [
        ...table(
          ['Order', 'Handed off', 'Ready to ship by', 'Marked shipped', 'Carrier scan by', 'First scan'],
          e.lateDispatches.map((l) => [
            l.orderId,
            shortTime(l.handedToWarehouseAt),
            shortTime(l.readyToShipBy),
            shortTime(l.markedShippedAt),
            shortTime(l.carrierScanBy),
            shortTime(l.carrierScanAt),
          ]),
          'No late dispatch in the window.',
        ),
        ...(e.lateDispatches.length === 0
          ? []
          : table(
              ['Order', 'Hours late', 'Cause', 'Escalations before the deadline'],
              e.lateDispatches.map((l) => [
                l.orderId,
                l.hoursLate.toFixed(1),
                CAUSE_LABELS[l.cause] ?? l.cause,
                l.escalations.map((x) => `${x.kind} ${shortTime(x.at)}`).join('; ') || '—',
              ]),
              '',
            )),
      ],
    },
    {
      heading: 'Evidence: packages without valid tracking',
      blocks: table(
        ['Order', 'Dispatched', 'Carrier scans', 'Carrier', 'Tracking status'],
        e.invalidTracking.map((t) => [
          t.orderId,
          shortTime(t.dispatchedAt),
          String(t.carrierScans),
          t.carrier ?? '—',
          t.trackingStatus ?? '—',
        ]),
        'No package without valid tracking in the window.',
      ),
    },
    {
      heading: 'Evidence: seller-fault cancellations',
      blocks: table(
        ['Order', 'Paid', 'Cancelled', 'By', 'Reason', 'Cause'],
        e.cancellations.map((c) => [
          c.orderId,
          shortTime(c.paidAt),
          shortTime(c.cancelledAt),
          c.initiator ?? '—',
          c.reason ?? '—',
          CAUSE_LABELS[c.cause] ?? c.cause,
        ]),
        'No seller-fault cancellation in the window.',
      ),
    },
    {
      heading: 'Evidence: what changed',
      note: 'Shop settings audit trail, escalations raised, inventory feed',
      blocks: table(
        ['When', 'Kind', 'What', 'By', 'After the notice'],
        e.changes.map((c) => [shortTime(c.at), c.kind, c.summary, c.by ?? '—', c.afterNotice ? 'yes' : 'no']),
        'No change recorded in this period.',
      ),
    },
    {
      heading: 'Evidence: inventory feed',
      blocks: table(
        ['Day', 'Pushes', 'Taken off sale', 'Slowest delist (s)'],
        e.feed.map((f) => [
          f.day,
          String(f.pushes),
          String(f.deactivations),
          f.maxLagSeconds === null ? '—' : String(f.maxLagSeconds),
        ]),
        'No feed activity in this period.',
      ),
    },
  ];
}

/** The document of one version of an appeal's plan, with its evidence attached. */
export function appealPlanDocument(
  meta: { appealId: string; version: number },
  plan: PlanOfAction,
  evidence: AppealEvidence,
): PdfDoc {
  const { notice } = evidence;
  const { window, rule } = assessEligibility(notice);
  const quoted = Object.entries(notice.quotedMetrics ?? {})
    .map(([k, v]) => `${k.toUpperCase()} ${pct(v)}`)
    .join(', ');
  return {
    title: `Plan of Action — notice ${notice.noticeId}`,
    subtitle: `Shop ${evidence.shopId} · appeal ${meta.appealId} · version ${meta.version}`,
    createdAt: new Date(evidence.dataAsOf),
    sections: [
      {
        heading: 'Notice',
        blocks: [
          {
            kind: 'fields',
            rows: [
              ['Notice', notice.noticeId],
              ['Issued', shortTime(evidence.asOf)],
              ['Region', notice.region],
              ['Policy', notice.violatedPolicy],
              ['Reason', notice.reason],
              ['Metrics quoted', quoted || '—'],
              [
                'Appeal by',
                `${shortTime(window.appealBy)} UTC (${window.from === 'notice' ? 'the ticket’s deadline' : `${window.days} days from the notice${window.uncertain ? ', unverified for this region' : ''}`})`,
              ],
              ['Account health at the notice', `${evidence.score.value}`],
            ],
          },
        ],
      },
      ...planSections(plan),
      ...evidenceSections(evidence),
      {
        heading: 'Sources',
        blocks: [
          {
            kind: 'fields',
            rows: [
              [
                'Metrics',
                'Account health computed from our own records at the notice (rows of the region in force then)',
              ],
              ['Appeal window', window.source],
              ['Why this notice is appealed', `${rule.key}: ${rule.source}`],
            ],
          },
        ],
      },
    ],
  };
}
