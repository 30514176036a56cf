import { whereShopIn, type Db } from './knex';

// The affiliate audit's findings, computed by SQL over the period's affiliate order lines (migration 026), one page of
// orders (or of creators) per statement, so no line ever leaves PostgreSQL: the workflow's activities get counts and
// cursors back. Every finding's id is md5 of its kind and business key within the shop and period, so a re-run of a
// page or of the whole audit writes the same rows (ON CONFLICT DO UPDATE).
//
// The commission a line pays is TikTok's actual figure once settled, else its estimate (Search Seller Affiliate
// Orders: actual_paid_commission / estimated_paid_commission, and the same pair for Shop Ads); rates are integers in
// hundredths of a percent. Definitions (README "Affiliate commission audit"):
// - double_credit: one order line (order × product) credited to more than one creator; at stake, everything paid
//   beyond the largest single commission.
// - double_attribution: a line paying both an affiliate commission and a Shop Ads commission (TikTok: "the same order
//   may continue to be double attributed to both Ad and Affiliate"); at stake, the smaller of the two.
// - refunded_units: a settled line whose actual_commission_base is above price × the units kept (quantity − refunded
//   − returned: the API page defines the actual base so; a refund cancels or pro-rates the commission); at stake, the
//   actual commission above rate × that base. The estimated base is before refunds by definition: never a finding.
// - early_rate_cut: a line's rate below the highest rate its collaboration had in the 30 days before the order (our
//   daily rate snapshots: creators keep the old rate for 30 days); at stake, base × the difference (owed to the
//   creator).
// - creator_rto: a creator whose orders we shipped (our shipment or carrier records) come back undelivered (the
//   carrier's return_to_sender, or TikTok showing the order CANCELLED and never delivered) more often than the shop's
//   target, once they have the shop's minimum of shipped orders. An order we hold no record of is judged on TikTok's
//   affiliate order alone (delivered; or cancelled, never delivered, every unit refunded); creator_gmv_per_view: a creator whose GMV per view (TikTok's GPM /
//   1000) is below the shop's target. At stake, the creator's commission in the period.

export const LINE_FINDING_KINDS = ['double_credit', 'double_attribution', 'refunded_units', 'early_rate_cut'] as const;
export const CREATOR_FINDING_KINDS = ['creator_rto', 'creator_gmv_per_view'] as const;
export type FindingKind = (typeof LINE_FINDING_KINDS)[number] | (typeof CREATOR_FINDING_KINDS)[number];

export interface AuditScope {
  shopId: string;
  periodKey: string;
  /** ISO, inclusive. */
  from: string;
  /** ISO, exclusive. */
  to: string;
}

/** Where the next page of orders starts (the last order of the previous page, by creation time then id). */
export interface OrderCursor {
  createTime: string;
  orderId: string;
}

export interface CreatorTargets {
  maxReturnToOriginRate: number;
  minGmvPerView: number;
  minOrders: number;
}

export interface FindingRow {
  id: string;
  shop_id: string;
  period_key: string;
  kind: FindingKind;
  order_id: string | null;
  product_id: string | null;
  creator_username: string | null;
  collaboration_id: string | null;
  money_at_stake: string;
  currency: string | null;
  source_line_ids: string[];
  detail: Record<string, unknown>;
  created_at: Date;
}

export interface AuditRow {
  shop_id: string;
  period_key: string;
  period_from: Date;
  period_to: Date;
  workflow_id: string;
  status: string;
  lines_seen: number;
  summary: Record<string, unknown>;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export type ActionKind = 'remove_creator' | 'change_target_rate' | 'build_target_plan' | 'claim';
export type ActionStatus = 'proposed' | 'rejected' | 'expired' | 'calling' | 'applied' | 'not_needed' | 'task_done';

export interface ActionRow {
  id: string;
  shop_id: string;
  period_key: string;
  kind: ActionKind;
  title: string;
  payload: Record<string, unknown>;
  money_at_stake: string;
  status: ActionStatus;
  decided_by: string | null;
  decided_at: Date | null;
  result: Record<string, unknown> | null;
  calls: number;
}

/** Per kind: how many findings and the money at stake (a decimal string, two places). */
export type FindingTotals = Partial<Record<FindingKind, { count: number; money: string }>>;

// The commission, Shop Ads commission and base a line pays: TikTok's actual figures once settled, else the estimates.
const LINE_COLUMNS = `l.*, l.order_id || ':' || l.line_no AS line_ref,
  coalesce(l.actual_paid_commission, l.estimated_paid_commission, 0) AS commission,
  coalesce(l.actual_paid_shop_ads_commission, l.estimated_paid_shop_ads_commission, 0) AS ads_commission,
  coalesce(l.actual_commission_base, l.estimated_commission_base, 0) AS base`;

const UPSERT = `INSERT INTO affiliate_findings
    (id, shop_id, period_key, kind, order_id, product_id, creator_username, collaboration_id, money_at_stake, currency,
     source_line_ids, detail)
  SELECT md5(:shop || '|' || :period || '|' || f.kind || '|' || f.business_key), :shop, :period, f.kind, f.order_id,
    f.product_id, f.creator_username, f.collaboration_id, round(f.money, 2), f.currency, f.lines, f.detail
  FROM findings f
  ON CONFLICT (id) DO UPDATE SET money_at_stake = excluded.money_at_stake, currency = excluded.currency,
    source_line_ids = excluded.source_line_ids, detail = excluded.detail`;

/** The findings of the lines of `page` (a CTE of affiliate_order_lines rows with LINE_COLUMNS), as one statement. */
const LINE_FINDINGS_SQL = `,
double_credit AS (
  SELECT 'double_credit' AS kind, order_id || ':' || product_id AS business_key, order_id, product_id,
    NULL::text AS creator_username, NULL::text AS collaboration_id,
    sum(commission) - max(commission) AS money, min(currency) AS currency,
    array_agg(line_ref ORDER BY line_no) AS lines,
    jsonb_build_object('creators', to_jsonb(array_agg(DISTINCT creator_username)), 'commissionPaid', sum(commission))
      AS detail
  FROM page WHERE creator_username IS NOT NULL
  GROUP BY order_id, product_id HAVING count(DISTINCT creator_username) > 1
),
double_attribution AS (
  SELECT 'double_attribution', line_ref, order_id, product_id, creator_username,
    coalesce(target_collaboration_id, open_collaboration_id), least(commission, ads_commission), currency,
    ARRAY[line_ref],
    jsonb_build_object('affiliateCommission', commission, 'shopAdsCommission', ads_commission,
      'shopAdsCommissionRate', shop_ads_commission_rate, 'contentType', content_type)
  FROM page WHERE commission > 0 AND ads_commission > 0
),
refunded_units AS (
  SELECT 'refunded_units', line_ref, order_id, product_id, creator_username,
    coalesce(target_collaboration_id, open_collaboration_id), actual_paid_commission - allowed, currency, ARRAY[line_ref],
    jsonb_build_object('quantity', quantity, 'refundedQuantity', refunded_quantity,
      'returnedQuantity', returned_quantity, 'actualCommissionBase', actual_commission_base,
      'baseOfKeptUnits', kept_base, 'commissionPaid', actual_paid_commission, 'commissionOnKeptUnits', allowed)
  FROM (
    SELECT p.*, round(coalesce(price_amount, 0) * kept, 2) AS kept_base,
      round(coalesce(price_amount, 0) * kept * commission_rate / 10000.0, 2) AS allowed
    FROM (SELECT page.*, greatest(quantity - refunded_quantity - returned_quantity, 0) AS kept FROM page) p
    WHERE refunded_quantity + returned_quantity > 0 AND actual_commission_base IS NOT NULL
      AND commission_rate IS NOT NULL
  ) r
  WHERE actual_commission_base > kept_base AND coalesce(actual_paid_commission, 0) - allowed >= 0.01
),
early_rate_cut AS (
  SELECT 'early_rate_cut', line_ref, order_id, product_id, creator_username, collaboration, owed_base * (owed - commission_rate) / 10000.0,
    currency, ARRAY[line_ref],
    jsonb_build_object('rateApplied', commission_rate, 'rateOwed', owed, 'collaborationKind', collab_kind)
  FROM (
    SELECT p.*, coalesce(p.target_collaboration_id, p.open_collaboration_id) AS collaboration,
      CASE WHEN p.target_collaboration_id IS NOT NULL THEN 'target' ELSE 'open' END AS collab_kind,
      p.base AS owed_base,
      (SELECT max(s.commission_rate) FROM affiliate_rate_snapshots s
        WHERE s.shop_id = p.shop_id
          AND s.kind = CASE WHEN p.target_collaboration_id IS NOT NULL THEN 'target' ELSE 'open' END
          AND s.collaboration_id = coalesce(p.target_collaboration_id, p.open_collaboration_id)
          AND s.product_id = p.product_id
          AND s.snapshot_date BETWEEN (p.order_create_time AT TIME ZONE 'UTC')::date - 30
                                  AND (p.order_create_time AT TIME ZONE 'UTC')::date) AS owed
    FROM page p
    WHERE p.commission_rate IS NOT NULL
      AND coalesce(p.target_collaboration_id, p.open_collaboration_id) IS NOT NULL
  ) e
  WHERE owed > commission_rate
),
findings AS (
  SELECT * FROM double_credit UNION ALL SELECT * FROM double_attribution UNION ALL SELECT * FROM refunded_units
  UNION ALL SELECT * FROM early_rate_cut
)
${UPSERT}`;

const PERIOD_WHERE = `l.shop_id = :shop AND l.order_create_time >= :from AND l.order_create_time < :to`;

/** Per creator of the page: orders, orders back to us undelivered (carrier records), commission, GMV per view. */
function creatorVettingSql(withCarrier: boolean): string {
  // The carrier table (migration 023) is the carrier-tracking helper's; without it no return-to-origin is known.
  const carrier = withCarrier
    ? `LEFT JOIN LATERAL (SELECT bool_or(c.status = 'return_to_sender') AS rto, count(*) > 0 AS tracked
         FROM carrier_trackers c WHERE c.shop_id = o.shop_id AND c.order_id = o.order_id) c ON true`
    : `LEFT JOIN LATERAL (SELECT NULL::boolean AS rto, NULL::boolean AS tracked) c ON true`;
  return `
WITH lines AS (
  SELECT ${LINE_COLUMNS} FROM affiliate_order_lines l
  WHERE ${PERIOD_WHERE} AND l.creator_username > :after AND l.creator_username <= :until
),
orders AS (
  SELECT shop_id, creator_username, order_id, sum(commission) AS commission,
    sum(coalesce(price_amount, 0) * quantity) AS gmv, min(currency) AS currency,
    bool_and(order_status = 'CANCELLED' AND delivery_time IS NULL) AS never_delivered,
    bool_or(delivery_time IS NOT NULL) AS delivered,
    bool_and(order_status = 'CANCELLED' AND delivery_time IS NULL
      AND refunded_quantity + returned_quantity >= quantity) AS came_back_whole
  FROM lines GROUP BY shop_id, creator_username, order_id
),
shipped AS (
  SELECT o.*, coalesce(c.rto, false) AS carrier_rto,
    coalesce(c.tracked, false)
      OR EXISTS (SELECT 1 FROM order_shipments s WHERE s.shop_id = o.shop_id AND s.order_id = o.order_id) AS ours
  FROM orders o ${carrier}
),
per_order AS (
  -- An order we hold no record of (not shipped through us) is judged on TikTok's affiliate order alone: delivered,
  -- or cancelled, never delivered and every unit refunded (which a cancellation before shipping also looks like).
  SELECT shipped.*, ours OR delivered OR came_back_whole AS tracked,
    carrier_rto OR (ours AND never_delivered) OR (NOT ours AND came_back_whole) AS rto
  FROM shipped
),
creators AS (
  SELECT creator_username, count(*) AS orders, count(*) FILTER (WHERE tracked) AS tracked_orders,
    count(*) FILTER (WHERE rto) AS rto_orders,
    coalesce(array_agg(order_id ORDER BY order_id) FILTER (WHERE rto), ARRAY[]::text[]) AS rto_order_ids,
    sum(commission) AS commission, sum(gmv) AS gmv, min(currency) AS currency
  FROM per_order GROUP BY creator_username
),
perf AS (
  SELECT DISTINCT ON (cr.username) cr.username, cr.creator_open_id, pf.gpm
  FROM affiliate_creators cr
  LEFT JOIN affiliate_creator_performance pf ON pf.shop_id = cr.shop_id AND pf.creator_open_id = cr.creator_open_id
    AND pf.as_of_date < (:to::timestamptz AT TIME ZONE 'UTC')::date + 1 AND pf.gpm IS NOT NULL
  WHERE cr.shop_id = :shop AND cr.username > :after AND cr.username <= :until
  ORDER BY cr.username, pf.as_of_date DESC NULLS LAST
),
measured AS (
  SELECT c.*, p.creator_open_id, round(p.gpm / 1000.0, 6) AS gmv_per_view,
    c.tracked_orders >= :minOrders AND c.rto_orders::numeric / greatest(c.tracked_orders, 1) > :maxRto AS rto_fail,
    coalesce(p.gpm / 1000.0 < :minGpv, false) AS gpv_fail
  FROM creators c LEFT JOIN perf p ON p.username = c.creator_username
)
INSERT INTO affiliate_creator_vetting (shop_id, period_key, creator_username, creator_open_id, orders, tracked_orders,
  rto_orders, rto_order_ids, commission, gmv, currency, gmv_per_view, rto_fail, gpv_fail, passes)
SELECT :shop, :period, creator_username, creator_open_id, orders, tracked_orders, rto_orders, rto_order_ids,
  commission, gmv, currency, gmv_per_view, rto_fail, gpv_fail,
  tracked_orders >= :minOrders AND NOT rto_fail AND gmv_per_view IS NOT NULL AND NOT gpv_fail
FROM measured
ON CONFLICT (shop_id, period_key, creator_username) DO UPDATE SET creator_open_id = excluded.creator_open_id,
  orders = excluded.orders, tracked_orders = excluded.tracked_orders, rto_orders = excluded.rto_orders,
  rto_order_ids = excluded.rto_order_ids, commission = excluded.commission, gmv = excluded.gmv,
  currency = excluded.currency, gmv_per_view = excluded.gmv_per_view, rto_fail = excluded.rto_fail,
  gpv_fail = excluded.gpv_fail, passes = excluded.passes`;
}

/** The creator findings of the page's measured creators, with the lines they rest on. */
const CREATOR_FINDINGS_SQL = `
WITH v AS (
  SELECT * FROM affiliate_creator_vetting
  WHERE shop_id = :shop AND period_key = :period AND creator_username > :after AND creator_username <= :until
    AND (rto_fail OR gpv_fail)
),
lines AS (
  SELECT l.creator_username, l.order_id, l.order_id || ':' || l.line_no AS line_ref FROM affiliate_order_lines l
  WHERE ${PERIOD_WHERE} AND l.creator_username IN (SELECT creator_username FROM v)
),
findings AS (
  SELECT 'creator_rto' AS kind, v.creator_username AS business_key, NULL::text AS order_id, NULL::text AS product_id,
    v.creator_username, NULL::text AS collaboration_id, v.commission AS money, v.currency,
    coalesce((SELECT array_agg(line_ref ORDER BY line_ref) FROM lines
      WHERE lines.creator_username = v.creator_username AND lines.order_id = ANY (v.rto_order_ids)), ARRAY[]::text[])
      AS lines,
    jsonb_build_object('trackedOrders', v.tracked_orders, 'returnedToOrigin', v.rto_orders,
      'returnToOriginRate', round(v.rto_orders::numeric / v.tracked_orders, 4), 'target', :maxRto::numeric,
      'commissionInPeriod', v.commission, 'orderIds', to_jsonb(v.rto_order_ids), 'creatorOpenId', v.creator_open_id)
      AS detail
  FROM v WHERE v.rto_fail
  UNION ALL
  SELECT 'creator_gmv_per_view', v.creator_username, NULL, NULL, v.creator_username, NULL, v.commission, v.currency,
    (SELECT array_agg(line_ref ORDER BY line_ref) FROM lines WHERE lines.creator_username = v.creator_username),
    jsonb_build_object('gmvPerView', v.gmv_per_view, 'target', :minGpv::numeric, 'commissionInPeriod', v.commission,
      'creatorOpenId', v.creator_open_id)
  FROM v WHERE v.gpv_fail
)
${UPSERT}`;

/** Findings, audits and proposed actions of the affiliate audit (migration 027). */
export function createAffiliateFindingsRepository(db: Db) {
  const one = async <T>(sql: string, bindings: Record<string, unknown>): Promise<T | undefined> =>
    (await db.raw<{ rows: T[] }>(sql, bindings)).rows[0];
  const all = async <T>(sql: string, bindings: Record<string, unknown>): Promise<T[]> =>
    (await db.raw<{ rows: T[] }>(sql, bindings)).rows;

  return {
    /** Opens (or reopens) the audit of a period: its row, and the findings of an earlier run cleared. */
    async beginAudit(scope: AuditScope, workflowId: string): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('affiliate_audits')
          .insert({
            shop_id: scope.shopId,
            period_key: scope.periodKey,
            period_from: scope.from,
            period_to: scope.to,
            workflow_id: workflowId,
            status: 'computing',
          })
          .onConflict(['shop_id', 'period_key'])
          .merge({ workflow_id: workflowId, status: 'computing', updated_at: trx.fn.now(), finished_at: null });
        await trx('affiliate_findings').where({ shop_id: scope.shopId, period_key: scope.periodKey }).delete();
        await trx('affiliate_creator_vetting').where({ shop_id: scope.shopId, period_key: scope.periodKey }).delete();
      });
    },

    /**
     * The findings of the next page of at most `pageOrders` orders after `after` (by creation time, then id).
     * Returns the page's last order (the next cursor; undefined: no more orders) and its line count.
     */
    async findLinePage(
      scope: AuditScope,
      after: OrderCursor | undefined,
      pageOrders: number,
    ): Promise<{ next?: OrderCursor; lines: number }> {
      const base = { shop: scope.shopId, period: scope.periodKey, from: scope.from, to: scope.to };
      const afterClause = after ? 'AND (l.order_create_time, l.order_id) > (:afterTime::timestamptz, :afterId)' : '';
      const cursor = after ? { afterTime: after.createTime, afterId: after.orderId } : {};
      // The cursor's time as PostgreSQL prints it (microseconds): a JavaScript Date keeps milliseconds only, and a
      // cursor a fraction early would select the same page again, for ever.
      const last = await one<{ order_create_time: string; order_id: string }>(
        `SELECT order_create_time::text AS order_create_time, order_id FROM (
           SELECT DISTINCT l.order_create_time, l.order_id FROM affiliate_order_lines l
           WHERE ${PERIOD_WHERE} ${afterClause} ORDER BY 1, 2 LIMIT :n) s
         ORDER BY 1 DESC, 2 DESC LIMIT 1`,
        { ...base, ...cursor, n: pageOrders },
      );
      if (!last) return { lines: 0 };
      const next = { createTime: last.order_create_time, orderId: last.order_id };
      if (after && next.createTime === after.createTime && next.orderId === after.orderId)
        throw new Error(`the page after ${after.orderId} did not move on`);
      const page = `WITH page AS (
        SELECT ${LINE_COLUMNS} FROM affiliate_order_lines l
        WHERE ${PERIOD_WHERE} ${afterClause}
          AND (l.order_create_time, l.order_id) <= (:untilTime::timestamptz, :untilId))`;
      const bindings = { ...base, ...cursor, untilTime: next.createTime, untilId: next.orderId };
      await db.raw(page + LINE_FINDINGS_SQL, bindings);
      const counted = await one<{ n: string }>(
        `SELECT count(*) AS n FROM affiliate_order_lines l WHERE ${PERIOD_WHERE} ${afterClause}
           AND (l.order_create_time, l.order_id) <= (:untilTime::timestamptz, :untilId)`,
        bindings,
      );
      return { next, lines: Number(counted?.n ?? 0) };
    },

    /**
     * The creator findings of the next page of at most `pageCreators` creators (by username) after `after`; returns
     * the page's last creator (undefined: no more).
     */
    async findCreatorPage(
      scope: AuditScope,
      targets: CreatorTargets,
      after: string,
      pageCreators: number,
    ): Promise<{ next?: string; creators: number }> {
      const base = { shop: scope.shopId, period: scope.periodKey, from: scope.from, to: scope.to };
      const page = await all<{ u: string }>(
        `SELECT DISTINCT l.creator_username AS u FROM affiliate_order_lines l
           WHERE ${PERIOD_WHERE} AND l.creator_username > :after ORDER BY 1 LIMIT :n`,
        { ...base, after, n: pageCreators },
      );
      const until = page.at(-1)?.u;
      if (until === undefined) return { creators: 0 };
      const carrier = await one<{ t: string | null }>(`SELECT to_regclass('carrier_trackers')::text AS t`, {});
      const bindings = {
        ...base,
        after,
        until,
        maxRto: targets.maxReturnToOriginRate,
        minGpv: targets.minGmvPerView,
        minOrders: targets.minOrders,
      };
      await db.raw(creatorVettingSql(Boolean(carrier?.t)), bindings);
      await db.raw(CREATOR_FINDINGS_SQL, bindings);
      return { next: until, creators: page.length };
    },

    /** Per kind: count and money at stake of the period's findings. */
    async totals(shopId: string, periodKey: string): Promise<FindingTotals> {
      const rows = (await db('affiliate_findings')
        .where({ shop_id: shopId, period_key: periodKey })
        .groupBy('kind')
        .select('kind')
        .count({ n: '*' })
        .sum({ money: 'money_at_stake' })) as unknown as { kind: FindingKind; n: string; money: string | null }[];
      const out: FindingTotals = {};
      for (const r of rows) out[r.kind] = { count: Number(r.n), money: Number(r.money ?? 0).toFixed(2) };
      return out;
    },

    /** Findings of a period (or of every period), by kind then id; shop-scoped for the API. */
    async list(q: {
      shopId: string;
      periodKey?: string;
      kind?: string;
      creator?: string;
      afterId?: string;
      limit: number;
    }): Promise<FindingRow[]> {
      const query = db<FindingRow>('affiliate_findings').where({ shop_id: q.shopId });
      if (q.periodKey) query.andWhere({ period_key: q.periodKey });
      if (q.kind) query.andWhere('kind', q.kind);
      if (q.creator) query.andWhere({ creator_username: q.creator });
      if (q.afterId) query.andWhere('id', '>', q.afterId);
      return query.orderBy('id').limit(q.limit);
    },

    async get(shopId: string, id: string): Promise<FindingRow | undefined> {
      return db<FindingRow>('affiliate_findings').where({ shop_id: shopId, id }).first();
    },

    /** The findings the actions rest on: every creator finding, and the line findings' totals per creator. */
    async creatorFindings(shopId: string, periodKey: string): Promise<FindingRow[]> {
      return db<FindingRow>('affiliate_findings')
        .where({ shop_id: shopId, period_key: periodKey })
        .whereIn('kind', [...CREATOR_FINDING_KINDS])
        .orderBy([{ column: 'money_at_stake', order: 'desc' }, 'id']);
    },

    async finishAudit(
      shopId: string,
      periodKey: string,
      status: 'awaiting_decisions' | 'completed' | 'failed',
      summary: Record<string, unknown>,
      linesSeen?: number,
    ): Promise<void> {
      await db('affiliate_audits')
        .where({ shop_id: shopId, period_key: periodKey })
        .update({
          status,
          summary: JSON.stringify(summary),
          ...(linesSeen !== undefined ? { lines_seen: linesSeen } : {}),
          updated_at: db.fn.now(),
          finished_at: status === 'awaiting_decisions' ? null : db.fn.now(),
        });
    },

    async listAudits(shopIds: readonly string[] | null, shopId: string, limit: number): Promise<AuditRow[]> {
      return whereShopIn(db<AuditRow>('affiliate_audits').where({ shop_id: shopId }), shopIds)
        .orderBy('period_from', 'desc')
        .orderBy('period_key')
        .limit(limit);
    },

    async getAudit(shopId: string, periodKey: string): Promise<AuditRow | undefined> {
      return db<AuditRow>('affiliate_audits').where({ shop_id: shopId, period_key: periodKey }).first();
    },

    // ---- what the actions rest on

    /** Creators failing the vetting and the open collaborations (one product each) their period's lines came from. */
    async failingInOpenCollaborations(scope: AuditScope) {
      return all<{
        creator_username: string;
        creator_open_id: string | null;
        open_collaboration_id: string;
        product_id: string;
        commission: string;
        currency: string | null;
        rto_fail: boolean;
        gpv_fail: boolean;
      }>(
        `SELECT DISTINCT v.creator_username, v.creator_open_id, l.open_collaboration_id, l.product_id,
             v.commission::text AS commission, v.currency, v.rto_fail, v.gpv_fail
           FROM affiliate_creator_vetting v
           JOIN affiliate_order_lines l ON l.shop_id = v.shop_id AND l.creator_username = v.creator_username
           WHERE v.shop_id = :shop AND v.period_key = :period AND (v.rto_fail OR v.gpv_fail)
             AND ${PERIOD_WHERE} AND l.open_collaboration_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM affiliate_collaboration_creators cc WHERE cc.shop_id = v.shop_id
               AND cc.kind = 'open' AND cc.collaboration_id = l.open_collaboration_id
               AND cc.creator_open_id = v.creator_open_id AND cc.status = 'removed')
           ORDER BY v.creator_username, l.open_collaboration_id, l.product_id`,
        { shop: scope.shopId, period: scope.periodKey, from: scope.from, to: scope.to },
      );
    },

    /** Target collaborations with a member failing the vetting: their products' current rates and members. */
    async failingInTargetCollaborations(scope: AuditScope) {
      return all<{
        collaboration_id: string;
        creators: string[];
        commission: string;
        currency: string | null;
        products: { productId: string; rate: number }[] | null;
      }>(
        `SELECT cc.collaboration_id, array_agg(DISTINCT v.creator_username ORDER BY v.creator_username) AS creators,
             sum(v.commission)::text AS commission, min(v.currency) AS currency,
             (SELECT jsonb_agg(jsonb_build_object('productId', s.product_id, 'rate', s.commission_rate)
                ORDER BY s.product_id)
              FROM (SELECT DISTINCT ON (product_id) product_id, commission_rate FROM affiliate_rate_snapshots
                    WHERE shop_id = :shop AND kind = 'target' AND collaboration_id = cc.collaboration_id
                    ORDER BY product_id, snapshot_date DESC) s) AS products
           FROM affiliate_creator_vetting v
           JOIN affiliate_collaboration_creators cc ON cc.shop_id = v.shop_id AND cc.kind = 'target'
             AND cc.creator_open_id = v.creator_open_id AND cc.status = 'active'
           WHERE v.shop_id = :shop AND v.period_key = :period AND (v.rto_fail OR v.gpv_fail)
           GROUP BY cc.collaboration_id ORDER BY cc.collaboration_id`,
        { shop: scope.shopId, period: scope.periodKey },
      );
    },

    /**
     * Creators who pass the vetting (by GMV, largest first), not yet active in the target collaboration `planId`,
     * with the products their period's lines sold.
     */
    async passingCreators(scope: AuditScope, planId: string | null, limit: number) {
      return all<{ creator_username: string; creator_open_id: string; gmv: string; products: string[] }>(
        `SELECT v.creator_username, v.creator_open_id, v.gmv::text AS gmv,
             (SELECT array_agg(DISTINCT l.product_id ORDER BY l.product_id) FROM affiliate_order_lines l
              WHERE ${PERIOD_WHERE} AND l.creator_username = v.creator_username) AS products
           FROM affiliate_creator_vetting v
           WHERE v.shop_id = :shop AND v.period_key = :period AND v.passes AND v.creator_open_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM affiliate_collaboration_creators cc WHERE cc.shop_id = v.shop_id
               AND cc.kind = 'target' AND cc.collaboration_id = :planId AND cc.creator_open_id = v.creator_open_id
               AND cc.status = 'active')
           ORDER BY v.gmv DESC, v.creator_username LIMIT :limit`,
        { shop: scope.shopId, period: scope.periodKey, from: scope.from, to: scope.to, planId: planId ?? '', limit },
      );
    },

    /** The shop's target collaboration of this name as last synced (not gone), if any. */
    async targetCollaborationNamed(shopId: string, name: string): Promise<string | undefined> {
      const row = await db<{ shop_id: string; kind: string; name: string | null; collaboration_id: string }>(
        'affiliate_collaborations',
      )
        .where({ shop_id: shopId, kind: 'target', name })
        .whereNull('gone_at')
        .orderBy('collaboration_id')
        .first('collaboration_id');
      return row?.collaboration_id;
    },

    // ---- proposed actions

    /** Records the proposed actions (kept as they are when already recorded: a re-run keeps earlier decisions). */
    async proposeActions(
      rows: {
        id: string;
        shopId: string;
        periodKey: string;
        kind: ActionKind;
        title: string;
        payload: object;
        money: string;
      }[],
    ): Promise<ActionRow[]> {
      if (rows.length === 0) return [];
      await db('affiliate_audit_actions')
        .insert(
          rows.map((r) => ({
            id: r.id,
            shop_id: r.shopId,
            period_key: r.periodKey,
            kind: r.kind,
            title: r.title,
            payload: JSON.stringify(r.payload),
            money_at_stake: r.money,
          })),
        )
        .onConflict('id')
        .ignore();
      return db<ActionRow>('affiliate_audit_actions').whereIn(
        'id',
        rows.map((r) => r.id),
      );
    },

    async getAction(id: string): Promise<ActionRow | undefined> {
      return db<ActionRow>('affiliate_audit_actions').where({ id }).first();
    },

    async listActions(shopId: string, periodKey: string): Promise<ActionRow[]> {
      return db<ActionRow>('affiliate_audit_actions')
        .where({ shop_id: shopId, period_key: periodKey })
        .orderBy([{ column: 'money_at_stake', order: 'desc' }, 'id']);
    },

    /** Moves an action to `status` (with who decided and the result); `calling` counts the call. */
    async markAction(
      id: string,
      status: ActionStatus,
      extra: { decidedBy?: string; decidedAt?: string; result?: object } = {},
    ): Promise<void> {
      await db('affiliate_audit_actions')
        .where({ id })
        .update({
          status,
          ...(extra.decidedBy !== undefined ? { decided_by: extra.decidedBy } : {}),
          ...(extra.decidedAt !== undefined ? { decided_at: extra.decidedAt } : {}),
          ...(extra.result !== undefined ? { result: JSON.stringify(extra.result) } : {}),
          ...(status === 'calling' ? { calls: db.raw('calls + 1') } : {}),
          updated_at: db.fn.now(),
        });
    },
  };
}

export type AffiliateFindingsRepository = ReturnType<typeof createAffiliateFindingsRepository>;
