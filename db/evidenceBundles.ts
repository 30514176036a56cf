import type { Db } from './knex';

export type EvidenceCaseKind = 'return' | 'chargeback' | 'dispute_appeal';

export interface EvidenceBundleRow {
  bundle_id: string;
  shop_id: string;
  case_kind: EvidenceCaseKind;
  case_id: string;
  order_id: string;
  file_id: string;
  page_count: number;
  size_bytes: number;
  data_as_of: Date;
  requested_by: string;
  built_at: Date;
}

export interface EvidenceBundleInput {
  shopId: string;
  caseKind: EvidenceCaseKind;
  caseId: string;
  orderId: string;
  fileId: string;
  pageCount: number;
  sizeBytes: number;
  dataAsOf: Date;
  requestedBy: string;
}

/** One entry of our own record of an order (what our tables hold about it), for the bundle's event log. */
export interface OrderLogEntry {
  at: Date;
  /** Which record: dispatch, shipment, human step, notification, return. */
  source: string;
  what: string;
}

/**
 * Evidence bundles (evidence_bundles) and the reads that gather an order's evidence from our other tables: the event
 * log of the order across the processes that touched it.
 */
export function createEvidenceBundleRepository(db: Db) {
  return {
    /** Records the bundle, or finds the row of the same PDF (same bytes) built for this case before. */
    async insertOrGet(b: EvidenceBundleInput): Promise<{ row: EvidenceBundleRow; created: boolean }> {
      const inserted = await db('evidence_bundles')
        .insert({
          shop_id: b.shopId,
          case_kind: b.caseKind,
          case_id: b.caseId,
          order_id: b.orderId,
          file_id: b.fileId,
          page_count: b.pageCount,
          size_bytes: b.sizeBytes,
          data_as_of: b.dataAsOf,
          requested_by: b.requestedBy,
        })
        .onConflict(['shop_id', 'case_kind', 'case_id', 'file_id'])
        .ignore()
        .returning<EvidenceBundleRow[]>('*');
      if (inserted[0]) return { row: inserted[0], created: true };
      const row = await db<EvidenceBundleRow>('evidence_bundles')
        .where({ shop_id: b.shopId, case_kind: b.caseKind, case_id: b.caseId, file_id: b.fileId })
        .first();
      return { row: row!, created: false };
    },

    async get(shopId: string, bundleId: string): Promise<EvidenceBundleRow | undefined> {
      return db<EvidenceBundleRow>('evidence_bundles').where({ shop_id: shopId, bundle_id: bundleId }).first();
    },

    /** A shop's bundles, newest first; narrowed to a case kind and id when given. */
    async list(
      shopId: string,
      opts: { caseKind?: EvidenceCaseKind; caseId?: string; limit?: number } = {},
    ): Promise<EvidenceBundleRow[]> {
      const q = db<EvidenceBundleRow>('evidence_bundles').where({ shop_id: shopId });
      if (opts.caseKind) void q.andWhere({ case_kind: opts.caseKind });
      if (opts.caseId) void q.andWhere({ case_id: opts.caseId });
      return q
        .orderBy([
          { column: 'built_at', order: 'desc' },
          { column: 'bundle_id', order: 'asc' },
        ])
        .limit(opts.limit ?? 100);
    },

    /**
     * Everything our records hold about the order, oldest first: dispatch facts and tracking events
     * (order_dispatch_events), packages shipped (order_shipments), human steps of its cases (human_steps: the order's
     * own cases, and others whose context names it), notifications about it (their dedup keys name the order), and
     * return cases and decisions (return_cases, return_decisions).
     */
    async orderEventLog(shopId: string, orderId: string): Promise<OrderLogEntry[]> {
      const log: OrderLogEntry[] = [];
      const dispatch = await db('order_dispatch_events')
        .where({ shop_id: shopId, order_id: orderId })
        .select<{ kind: string; occurred_at: Date; deadline: Date | null; on_time: boolean | null; detail: unknown }[]>(
          'kind',
          'occurred_at',
          'deadline',
          'on_time',
          'detail',
        );
      for (const d of dispatch) {
        const description = (d.detail as { description?: unknown } | null)?.description;
        const parts = [d.kind.replace(/_/g, ' ')];
        if (typeof description === 'string' && description) parts.push(`"${description}"`);
        if (d.deadline) parts.push(`deadline ${d.deadline.toISOString()}`);
        if (d.on_time !== null) parts.push(d.on_time ? 'on time' : 'late');
        log.push({ at: d.occurred_at, source: 'dispatch', what: parts.join(', ') });
      }
      const shipments = await db('order_shipments')
        .where({ shop_id: shopId, order_id: orderId })
        .select<{ package_id: string; tracking_number: string | null; carrier: string | null; shipped_at: Date }[]>(
          'package_id',
          'tracking_number',
          'carrier',
          'shipped_at',
        );
      for (const s of shipments) {
        log.push({
          at: s.shipped_at,
          source: 'shipment',
          what: `package ${s.package_id} marked shipped${s.carrier ? ` with ${s.carrier}` : ''}${s.tracking_number ? `, tracking ${s.tracking_number}` : ''}`,
        });
      }
      const steps = await db('human_steps')
        .where({ shop_id: shopId })
        .andWhere((w) => void w.where({ case_id: orderId }).orWhereRaw(`context->>'orderId' = ?`, [orderId]))
        .select<
          {
            case_kind: string;
            case_id: string;
            title: string;
            created_at: Date;
            closed_at: Date | null;
            outcome: string | null;
            decided_by: string | null;
          }[]
        >('case_kind', 'case_id', 'title', 'created_at', 'closed_at', 'outcome', 'decided_by');
      for (const s of steps) {
        log.push({ at: s.created_at, source: 'human step', what: `opened (${s.case_kind} ${s.case_id}): ${s.title}` });
        if (s.closed_at) {
          log.push({
            at: s.closed_at,
            source: 'human step',
            what: `closed (${s.case_kind} ${s.case_id}): ${s.outcome ?? 'closed'}${s.decided_by ? ` by ${s.decided_by}` : ''}`,
          });
        }
      }
      // Notification dedup keys name the order: `order:<shop>:<order>:<kind>` (activities/orderAcknowledgment).
      const notes = await db('notifications')
        .where({ shop_id: shopId })
        .andWhere('dedup_key', 'like', `order:${shopId}:${orderId}:%`)
        .select<{ kind: string; title: string; created_at: Date }[]>('kind', 'title', 'created_at');
      for (const n of notes) log.push({ at: n.created_at, source: 'notification', what: `${n.kind}: ${n.title}` });
      const returns = await db('return_cases')
        .where({ shop_id: shopId, order_id: orderId })
        .select<
          { return_id: string; return_type: string | null; reason: string | null; status: string; opened_at: Date }[]
        >('return_id', 'return_type', 'reason', 'status', 'opened_at');
      for (const r of returns) {
        log.push({
          at: r.opened_at,
          source: 'return',
          what: `return ${r.return_id} opened (${r.return_type ?? 'request'}, ${r.reason ?? 'no reason'}); now ${r.status}`,
        });
      }
      const decisions = await db('return_decisions')
        .where({ shop_id: shopId })
        .whereIn(
          'return_id',
          returns.map((r) => r.return_id),
        )
        .whereNotNull('decided_at')
        .select<{ return_id: string; action: string; decided_at: Date; outcome: string; decided_by: string | null }[]>(
          'return_id',
          'action',
          'decided_at',
          'outcome',
          'decided_by',
        );
      for (const d of decisions) {
        log.push({
          at: d.decided_at,
          source: 'return',
          what: `return ${d.return_id} ${d.action}: ${d.outcome}${d.decided_by ? ` by ${d.decided_by}` : ''}`,
        });
      }
      return log.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.what < b.what ? -1 : a.what > b.what ? 1 : 0));
    },
  };
}

export type EvidenceBundleRepository = ReturnType<typeof createEvidenceBundleRepository>;
