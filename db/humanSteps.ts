import { whereShopIn, type Db } from './knex';

/** How a human step ended (docs/case-contract.md): decided by a person, by rule, or no longer needed. */
export const HUMAN_STEP_OUTCOMES = ['decided', 'auto', 'expired', 'withdrawn', 'superseded'] as const;
export type HumanStepOutcome = (typeof HUMAN_STEP_OUTCOMES)[number];

export type HumanStepSeverity = 'info' | 'warning' | 'critical';

/** A human_steps row as the API shows it. */
export interface HumanStep {
  id: string;
  shopId: string;
  caseKind: string;
  caseId: string;
  workflowId: string;
  stepKey: string;
  updateName: string;
  title: string;
  inputSchema: Record<string, unknown>;
  context: Record<string, unknown>;
  severity: string;
  dueAt: string | null;
  createdAt: string;
  closedAt: string | null;
  outcome: HumanStepOutcome | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decision: unknown;
}

/** A step as a workflow opens it (the activity openHumanStep's input). */
export interface OpenHumanStepRecord {
  shopId: string;
  /** The case the step belongs to: `order_cancellation`, `order_dispatch`, `return`, … */
  caseKind: string;
  caseId: string;
  workflowId: string;
  /** Unique within the workflow, e.g. `cancellation:<cancelId>`, `decide:SELLER_RESPOND_REFUND`. */
  stepKey: string;
  updateName: string;
  title: string;
  /** JSON Schema of the body a person sends (the API adds `decidedBy`); the workflow's validator is what checks it. */
  inputSchema: object;
  /** What the person needs to decide: allowed decisions, reject reasons, amounts, deadlines. */
  context?: object;
  /** ISO time the decision is due; null: none (a step waiting for a party that sets no deadline). */
  dueAt: string | null;
  severity?: HumanStepSeverity;
}

/** How a workflow closes a step (the activity closeHumanStep's input). */
export interface CloseHumanStepRecord {
  workflowId: string;
  stepKey: string;
  outcome: HumanStepOutcome;
  /** Who decided (the update's `decidedBy`); absent for the process's own outcomes. */
  decidedBy?: string;
  /** ISO; default: now when `decidedBy` is given. */
  decidedAt?: string;
  /** What was decided (the update's input without `decidedBy`, or the rule's choice). */
  decision?: unknown;
}

interface Row {
  id: string;
  shop_id: string;
  case_kind: string;
  case_id: string;
  workflow_id: string;
  step_key: string;
  update_name: string;
  title: string;
  input_schema: Record<string, unknown>;
  context: Record<string, unknown>;
  severity: string;
  due_at: Date | null;
  created_at: Date;
  closed_at: Date | null;
  outcome: HumanStepOutcome | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision: unknown;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

const toStep = (r: Row): HumanStep => ({
  id: String(r.id),
  shopId: r.shop_id,
  caseKind: r.case_kind,
  caseId: r.case_id,
  workflowId: r.workflow_id,
  stepKey: r.step_key,
  updateName: r.update_name,
  title: r.title,
  inputSchema: r.input_schema,
  context: r.context,
  severity: r.severity,
  dueAt: iso(r.due_at),
  createdAt: r.created_at.toISOString(),
  closedAt: iso(r.closed_at),
  outcome: r.outcome,
  decidedBy: r.decided_by,
  decidedAt: iso(r.decided_at),
  decision: r.decision ?? null,
});

/** human_steps: the decisions people take inside processes, opened and closed by the workflows' activities. */
export function createHumanStepRepository(db: Db) {
  return {
    /**
     * Opens the step once per (workflow id, step key); opening it again while it is open updates what may have moved
     * (due time, severity, title, context, schema), so an escalation can re-open it. A closed step stays closed.
     */
    async open(step: OpenHumanStepRecord): Promise<string> {
      const changing = {
        title: step.title,
        input_schema: JSON.stringify(step.inputSchema),
        context: JSON.stringify(step.context ?? {}),
        severity: step.severity ?? 'warning',
        due_at: step.dueAt,
      };
      const [row] = await db('human_steps')
        .insert({
          shop_id: step.shopId,
          case_kind: step.caseKind,
          case_id: step.caseId,
          workflow_id: step.workflowId,
          step_key: step.stepKey,
          update_name: step.updateName,
          ...changing,
        })
        .onConflict(['workflow_id', 'step_key'])
        .merge(changing)
        .where('human_steps.closed_at', null)
        .returning<{ id: string }[]>('id');
      if (row) return String(row.id);
      const closed = await db('human_steps')
        .where({ workflow_id: step.workflowId, step_key: step.stepKey })
        .first<{ id: string }>('id');
      return String(closed.id);
    },

    /** Closes the step if it is open; false when it was closed already (or never opened). */
    async close(c: CloseHumanStepRecord): Promise<boolean> {
      const updated = await db('human_steps')
        .where({ workflow_id: c.workflowId, step_key: c.stepKey })
        .whereNull('closed_at')
        .update({
          closed_at: db.fn.now(),
          outcome: c.outcome,
          decided_by: c.decidedBy ?? null,
          decided_at: c.decidedAt ?? (c.decidedBy ? db.fn.now() : null),
          decision: c.decision === undefined ? null : JSON.stringify(c.decision),
        });
      return updated > 0;
    },

    async get(id: string): Promise<HumanStep | undefined> {
      if (!/^[0-9]{1,18}$/.test(id)) return undefined;
      const row = await db('human_steps').where({ id }).first<Row | undefined>();
      return row && toStep(row);
    },

    /** Steps by due time (undated last); `shopIds` is the caller's scope (null: every shop). */
    async list(opts: {
      shopIds: readonly string[] | null;
      shopId?: string;
      caseKind?: string;
      workflowId?: string;
      open?: boolean;
      limit: number;
    }): Promise<HumanStep[]> {
      let query = whereShopIn(
        db('human_steps').select('*').orderByRaw('due_at ASC NULLS LAST, id ASC').limit(opts.limit),
        opts.shopIds,
      );
      if (opts.shopId) query = query.where('shop_id', opts.shopId);
      if (opts.caseKind) query = query.where('case_kind', opts.caseKind);
      if (opts.workflowId) query = query.where('workflow_id', opts.workflowId);
      if (opts.open === true) query = query.whereNull('closed_at');
      if (opts.open === false) query = query.whereNotNull('closed_at');
      return ((await query) as Row[]).map(toStep);
    },
  };
}

export type HumanStepRepository = ReturnType<typeof createHumanStepRepository>;
