/**
 * The Plan of Action (issue 18 item 3), drafted from the evidence alone: a root cause per breach type with the
 * account-health numbers and the causes our event log shows, the corrective actions already in effect with the dates
 * our records give them, and preventive controls with an owner (shop settings `appealPlan.owners`) and the measure
 * that proves each. `validatePlan` checks a person's edit (the numbers stay the records'); `diffPlans` says what an
 * edit changed. Pure and sandbox-safe: the workflow may call these directly.
 */
import { CAUSE_LABELS } from './evidence';
import type {
  AppealChange,
  AppealEvidence,
  BreachEvidence,
  BreachType,
  CorrectiveAction,
  PlanChange,
  PlanOfAction,
  PreventiveControl,
  RootCause,
  SuspensionNotice,
} from './model';

/** How many orders a root cause names (the evidence tables list every one). */
export const EXAMPLE_ORDERS = 5;

export const pct = (rate: number | null) => (rate === null ? 'n/a' : `${(rate * 100).toFixed(1)}%`);
const day = (iso: string) => iso.slice(0, 10);

const BREACH_WORDS: Record<BreachType, { orders: string; of: string }> = {
  late_dispatch: { orders: 'late dispatches', of: 'orders dispatched' },
  valid_tracking: { orders: 'packages with valid tracking', of: 'packages dispatched' },
  seller_fault_cancellation: { orders: 'seller-fault cancellations', of: 'orders paid' },
};

function examples(breach: BreachEvidence, evidence: AppealEvidence): string[] {
  const ids =
    breach.type === 'late_dispatch'
      ? evidence.lateDispatches.map((o) => o.orderId)
      : breach.type === 'valid_tracking'
        ? evidence.invalidTracking.map((o) => o.orderId)
        : evidence.cancellations.map((o) => o.orderId);
  return ids.slice(0, EXAMPLE_ORDERS);
}

function rootCause(breach: BreachEvidence, evidence: AppealEvidence): RootCause {
  const words = BREACH_WORDS[breach.type];
  const threshold = breach.enforcementThreshold;
  const against = threshold === null ? '' : ` against TikTok's enforcement threshold of ${pct(threshold)}`;
  const quoted = breach.quoted === null ? '' : ` (the notice quotes ${pct(breach.quoted)})`;
  const causeTotal = breach.causes.reduce((n, c) => n + c.orders, 0);
  const causes = breach.causes
    .map((c) => `${c.orders} ${CAUSE_LABELS[c.cause] ?? c.cause} (${pct(causeTotal ? c.orders / causeTotal : 0)})`)
    .join('; ');
  const escalated =
    breach.type === 'late_dispatch'
      ? ` ${evidence.lateDispatches.filter((l) => l.escalations.length > 0).length} of the late orders had an ` +
        'escalation raised before their deadline.'
      : '';
  const shown = breach.type === 'valid_tracking' ? breach.denominator - breach.numerator : breach.numerator;
  return {
    breachType: breach.type,
    metric: breach.metric,
    rate: breach.rate,
    numerator: breach.numerator,
    denominator: breach.denominator,
    windowDays: breach.windowDays,
    threshold,
    quoted: breach.quoted,
    causes: breach.causes.map((c) => ({ cause: c.cause, orders: c.orders })),
    exampleOrderIds: examples(breach, evidence),
    statement:
      `${breach.name} was ${pct(breach.rate)} over the ${breach.windowDays} days to ${day(breach.windowTo)}: ` +
      `${breach.numerator} ${words.orders} of ${breach.denominator} ${words.of}${against}${quoted}.` +
      (causes ? ` Our records show ${shown === 1 ? 'one order' : `${shown} orders`} against it: ${causes}.` : '') +
      escalated,
  };
}

/** The breaches a change answers: what its settings paths, or its kind, are about; else all of the plan's. */
function breachesOf(change: AppealChange, planBreaches: BreachType[]): BreachType[] {
  const about = (paths: string[]): BreachType[] =>
    paths.flatMap((p): BreachType[] =>
      p.startsWith('carrierTracking')
        ? ['valid_tracking', 'late_dispatch']
        : p.startsWith('paging')
          ? ['late_dispatch', 'seller_fault_cancellation']
          : [],
    );
  const related =
    change.kind === 'escalation'
      ? ['late_dispatch']
      : change.kind === 'feed'
        ? ['seller_fault_cancellation']
        : about(change.paths ?? []);
  const mine = planBreaches.filter((b) => related.includes(b));
  return mine.length > 0 ? mine : planBreaches;
}

const CHANGE_EVIDENCE: Record<AppealChange['kind'], string> = {
  settings: 'shop settings audit trail (shop_settings_changes)',
  escalation: 'notifications raised by the order workflow',
  feed: 'inventory feed log (inventory_push_log)',
};

function correctiveActions(evidence: AppealEvidence, planBreaches: BreachType[]): CorrectiveAction[] {
  return evidence.changes
    .filter((c) => c.afterNotice)
    .map((c, i) => ({
      id: `${c.kind}-${i + 1}`,
      breachTypes: breachesOf(c, planBreaches),
      action: c.summary,
      inEffectFrom: c.at,
      evidence: `${CHANGE_EVIDENCE[c.kind]}${c.by ? `, by ${c.by}` : ''}`,
      source: c.kind,
    }));
}

const limitText = (b: BreachEvidence) =>
  b.recommendedThreshold !== null
    ? `${pct(b.recommendedThreshold)} (TikTok's recommended level; enforcement past ${pct(b.enforcementThreshold)})`
    : pct(b.enforcementThreshold);

function preventiveControls(evidence: AppealEvidence): PreventiveControl[] {
  const { owners } = evidence;
  const has = (b: BreachEvidence, cause: string) => b.causes.some((c) => c.cause === cause && c.orders > 0);
  return evidence.breaches.flatMap((b): PreventiveControl[] => {
    const daily = `${b.name} over ${b.windowDays} days, read every day from the account-health snapshots`;
    if (b.type === 'late_dispatch')
      return [
        {
          id: 'late-dispatch-escalation',
          breachTypes: ['late_dispatch'],
          control:
            'Every order not yet shipped is escalated before its ready-to-ship deadline and paged as critical at the ' +
            'dispatch deadline (the order workflow’s dispatch clock), and reviewed the same day',
          owner: owners.operations,
          measure: daily,
          target: `at most ${limitText(b)}`,
        },
        ...(has(b, 'warehouse_hand_off_late') || has(b, 'warehouse_packing_late')
          ? [
              {
                id: 'warehouse-cutoff',
                breachTypes: ['late_dispatch'] as BreachType[],
                control:
                  'The warehouse packs and marks shipped every order handed to it before its ready-to-ship deadline; ' +
                  'an order at risk is packed first',
                owner: owners.warehouse,
                measure: 'Orders marked shipped after their ready-to-ship deadline, per week (our dispatch records)',
                target: '0',
              },
            ]
          : []),
        ...(has(b, 'carrier_pickup_late')
          ? [
              {
                id: 'carrier-pickup',
                breachTypes: ['late_dispatch'] as BreachType[],
                control:
                  'A carrier pickup is booked every business day before the cut-off; a package marked shipped with ' +
                  'no first scan by the next business day is chased with the carrier',
                owner: owners.shipping,
                measure: 'Orders shipped in time but first scanned after the dispatch deadline, per week',
                target: '0',
              },
            ]
          : []),
      ];
    if (b.type === 'valid_tracking')
      return [
        {
          id: 'valid-tracking',
          breachTypes: ['valid_tracking'],
          control:
            'Every package’s carrier tracking is followed from shipment; a package short of the carrier scans valid ' +
            'tracking requires is chased with the carrier before the window closes',
          owner: owners.shipping,
          measure: daily,
          target: `at least ${pct(b.enforcementThreshold)}`,
        },
      ];
    return [
      {
        id: 'stock-feed',
        breachTypes: ['seller_fault_cancellation'],
        control:
          'Stock reaches TikTok through the inventory feed; a SKU that sells out is taken off sale before it can be ' +
          'ordered, and no order is cancelled for stock without the inventory owner’s review',
        owner: owners.inventory,
        measure: `${daily}; the slowest out-of-stock → delist in the feed log`,
        target: `at most ${limitText(b)}`,
      },
      ...(has(b, 'sla_auto_cancel')
        ? [
            {
              id: 'sla-cancel-watch',
              breachTypes: ['seller_fault_cancellation'] as BreachType[],
              control: 'Orders near TikTok’s auto-cancel deadline are escalated to operations and shipped first',
              owner: owners.operations,
              measure: 'Orders auto-cancelled by TikTok for a missed SLA, per week',
              target: '0',
            },
          ]
        : []),
    ];
  });
}

/** The Plan of Action for a notice, drafted from its evidence only (the same evidence gives the same plan). */
export function draftPlanOfAction(notice: SuspensionNotice, evidence: AppealEvidence): PlanOfAction {
  const planBreaches = evidence.breaches.map((b) => b.type);
  const rootCauses = evidence.breaches.map((b) => rootCause(b, evidence));
  const actions = correctiveActions(evidence, planBreaches);
  const controls = preventiveControls(evidence);
  const first = actions[0];
  const summary =
    `Notice ${notice.noticeId} of ${day(evidence.asOf)} (${notice.violatedPolicy}): ` +
    rootCauses
      .map((r) => `${r.numerator} of ${r.denominator} (${pct(r.rate)}) in the ${r.windowDays}-day window`)
      .join('; ') +
    '. ' +
    (first
      ? `${actions.length} corrective action(s) in effect since ${day(first.inEffectFrom)}; `
      : 'No corrective action recorded since the notice yet; ') +
    `${controls.length} preventive control(s), each with an owner and the measure that proves it.`;
  return {
    noticeId: notice.noticeId,
    shopId: evidence.shopId,
    rootCauses,
    correctiveActions: actions,
    preventiveControls: controls,
    summary,
  };
}

const MAX_TEXT = 4000;
const MAX_ITEMS = 50;
const isIso = (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}/.test(s);

/**
 * What is wrong with a plan a person edited (empty: nothing). Text must be present and bounded, ids unique, dates
 * ISO; with `draft`, each root cause's numbers must stay the records' (a person rewrites words, not figures).
 */
export function validatePlan(plan: PlanOfAction, draft?: PlanOfAction): string[] {
  const problems: string[] = [];
  const text = (path: string, value: unknown) => {
    if (typeof value !== 'string' || value.trim() === '') problems.push(`${path} is empty`);
    else if (value.length > MAX_TEXT) problems.push(`${path} is longer than ${MAX_TEXT} characters`);
  };
  const list = <T>(path: string, items: T[], key: (t: T) => string) => {
    if (!Array.isArray(items)) return problems.push(`${path} is not a list`);
    if (items.length > MAX_ITEMS) problems.push(`${path} has more than ${MAX_ITEMS} items`);
    const seen = new Set<string>();
    for (const item of items) {
      const k = key(item);
      if (seen.has(k)) problems.push(`${path}: ${k} is listed twice`);
      seen.add(k);
    }
  };
  text('summary', plan.summary);
  if (plan.changedSinceFirst !== undefined) text('changedSinceFirst', plan.changedSinceFirst);
  list('rootCauses', plan.rootCauses, (r) => r.breachType);
  list('correctiveActions', plan.correctiveActions, (c) => c.id);
  list('preventiveControls', plan.preventiveControls, (c) => c.id);
  if (plan.rootCauses.length === 0) problems.push('rootCauses is empty');
  if (plan.preventiveControls.length === 0) problems.push('preventiveControls is empty');
  for (const r of plan.rootCauses) text(`rootCauses[${r.breachType}].statement`, r.statement);
  for (const c of plan.correctiveActions) {
    text(`correctiveActions[${c.id}].action`, c.action);
    text(`correctiveActions[${c.id}].evidence`, c.evidence);
    if (!isIso(c.inEffectFrom)) problems.push(`correctiveActions[${c.id}].inEffectFrom is not an ISO date`);
  }
  for (const c of plan.preventiveControls) {
    for (const field of ['control', 'owner', 'measure', 'target'] as const)
      text(`preventiveControls[${c.id}].${field}`, c[field]);
  }
  if (draft) {
    if (plan.noticeId !== draft.noticeId || plan.shopId !== draft.shopId)
      problems.push('noticeId and shopId are the notice’s');
    const numbers = (r: RootCause) => JSON.stringify([r.metric, r.rate, r.numerator, r.denominator, r.windowDays]);
    const drafted = new Map(draft.rootCauses.map((r) => [r.breachType, numbers(r)]));
    for (const r of plan.rootCauses) {
      const expected = drafted.get(r.breachType);
      if (expected === undefined) problems.push(`rootCauses[${r.breachType}] is not a breach of this notice`);
      else if (expected !== numbers(r))
        problems.push(`rootCauses[${r.breachType}]: rate, numerator, denominator and window are the records'`);
    }
    for (const b of drafted.keys())
      if (!plan.rootCauses.some((r) => r.breachType === b)) problems.push(`rootCauses[${b}] is missing`);
  }
  return problems;
}

/** JSON with object keys sorted: equal values print the same whatever order their keys were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function diffItems<T extends object>(path: string, a: T[], b: T[], key: (t: T) => string): PlanChange[] {
  const before = new Map(a.map((t) => [key(t), t]));
  const after = new Map(b.map((t) => [key(t), t]));
  const out: PlanChange[] = [];
  for (const [k, old] of before) {
    const next = after.get(k);
    if (!next) {
      out.push({ path: `${path}[${k}]`, kind: 'removed', before: old });
      continue;
    }
    const fields = [...new Set([...Object.keys(old), ...Object.keys(next)])].sort();
    for (const f of fields) {
      const x = (old as Record<string, unknown>)[f];
      const y = (next as Record<string, unknown>)[f];
      if (canonical(x) !== canonical(y)) out.push({ path: `${path}[${k}].${f}`, kind: 'changed', before: x, after: y });
    }
  }
  for (const [k, added] of after) if (!before.has(k)) out.push({ path: `${path}[${k}]`, kind: 'added', after: added });
  return out;
}

/** What changed from plan `a` to plan `b`: list items matched by id (root causes by breach type), field by field. */
export function diffPlans(a: PlanOfAction, b: PlanOfAction): PlanChange[] {
  const scalars: PlanChange[] = [];
  for (const f of ['noticeId', 'shopId', 'summary', 'changedSinceFirst'] as const) {
    const x = a[f];
    const y = b[f];
    if (x === y) continue;
    if (x === undefined) scalars.push({ path: f, kind: 'added', after: y });
    else if (y === undefined) scalars.push({ path: f, kind: 'removed', before: x });
    else scalars.push({ path: f, kind: 'changed', before: x, after: y });
  }
  return [
    ...scalars,
    ...diffItems('rootCauses', a.rootCauses, b.rootCauses, (r) => r.breachType),
    ...diffItems('correctiveActions', a.correctiveActions, b.correctiveActions, (c) => c.id),
    ...diffItems('preventiveControls', a.preventiveControls, b.preventiveControls, (c) => c.id),
  ];
}

/**
 * A revised appeal's "what changed since the first" (issue 18 item 4): the corrective actions the first plan did not
 * have, and each metric's latest daily reading against its value at the notice.
 */
export function changesSinceFirst(first: PlanOfAction, next: PlanOfAction, evidence: AppealEvidence): string[] {
  const known = new Set(first.correctiveActions.map((c) => canonical([c.action, c.inEffectFrom])));
  const actions = next.correctiveActions
    .filter((c) => !known.has(canonical([c.action, c.inEffectFrom])))
    .map((c) => `Since ${day(c.inEffectFrom)}: ${c.action}`);
  const latest = evidence.history.at(-1);
  const metrics = latest
    ? next.rootCauses
        .filter((r) => latest.rates[r.metric] !== undefined && latest.rates[r.metric] !== null)
        .map(
          (r) =>
            `${r.metric.toUpperCase()} ${pct(latest.rates[r.metric]!)} on ${latest.day} (${pct(r.rate)} at the notice)`,
        )
    : [];
  return [...actions, ...metrics];
}
