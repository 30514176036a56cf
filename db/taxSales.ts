import type { Db } from './knex';

// Sales-tax input data (migration 031_tax_sales): order lines of every channel, inventory presence per state and the
// history coverage. Written by the tax-data activities (activities/taxData/) and the sales import
// (api/routes/taxSalesImport.ts); read by the monthly tax report. Money is a decimal string ("12.34") both ways;
// refund lines carry negative amounts (a refund counts in its own month and a sum over a period nets it). Days are
// 'YYYY-MM-DD' strings; instants are Date or ISO strings in, Date out.

export type TaxLineSource = 'tiktok_finance' | 'import';
export type TaxLineKind = 'sale' | 'refund' | 'sample' | 'withdrawal';
export type TaxCollectedBy = 'tiktok' | 'seller' | 'none';
export type TaxFulfilledBy = 'fbt' | 'seller' | '3pl';
export type LocationKind = 'fbt' | '3pl' | 'own';

/** What a writer gives for one line (the row without id and bookkeeping). */
export interface TaxSalesLineInput {
  shopId: string;
  /** 'tiktok' or the other channel's name ('shopify', 'wholesale', …). */
  channel: string;
  source: TaxLineSource;
  orderId: string;
  lineId: string;
  kind: TaxLineKind;
  /** sale: paid time; refund: refund time; sample and withdrawal: when the goods left inventory. */
  occurredAt: Date | string;
  shipToState: string;
  shipToZip: string;
  shipToCity?: string | null;
  quantity: number;
  /** price × quantity before discounts (negative on a refund). */
  gross: string;
  sellerDiscount: string;
  platformDiscount: string;
  shipping: string;
  /** Tax TikTok or the channel collected on the line. */
  itemTax: string;
  shippingTax: string;
  collectedBy: TaxCollectedBy;
  exemptReason?: string | null;
  fulfilledBy: TaxFulfilledBy;
  refundOfLineId?: string | null;
  currency: string;
}

export interface TaxSalesLine extends Omit<TaxSalesLineInput, 'occurredAt'> {
  id: bigint;
  occurredAt: Date;
  shipToCity: string | null;
  exemptReason: string | null;
  refundOfLineId: string | null;
}

/** One state's day for one collector: sales and refunds only (samples and withdrawals are not sales). */
export interface TaxDailyTotal {
  state: string;
  /** 'YYYY-MM-DD' in the requested time zone. */
  day: string;
  collectedBy: TaxCollectedBy;
  /** Σ gross (refunds negative). */
  gross: string;
  /** Σ (gross − seller_discount − platform_discount): what buyers paid for the goods, before shipping and tax. */
  net: string;
  sellerDiscount: string;
  platformDiscount: string;
  shipping: string;
  /** Σ (item_tax + shipping_tax). */
  tax: string;
  /** Distinct orders with a sale line that day (refunds do not add transactions). */
  transactions: number;
}

export interface InventoryPresenceInput {
  state: string;
  locationId: string;
  locationKind: LocationKind;
  fromDay: string;
  /** null: still there. */
  toDay: string | null;
  units: number;
}

export interface InventoryPresence extends InventoryPresenceInput {
  shopId: string;
  source: string;
}

export interface CoverageRange {
  source: string;
  from: string;
  to: string;
}

interface LineRow {
  id: string;
  shop_id: string;
  channel: string;
  source: TaxLineSource;
  order_id: string;
  line_id: string;
  kind: TaxLineKind;
  occurred_at: Date;
  ship_to_state: string;
  ship_to_zip: string;
  ship_to_city: string | null;
  quantity: number;
  gross: string;
  seller_discount: string;
  platform_discount: string;
  shipping: string;
  item_tax: string;
  shipping_tax: string;
  collected_by: TaxCollectedBy;
  exempt_reason: string | null;
  fulfilled_by: TaxFulfilledBy;
  refund_of_line_id: string | null;
  currency: string;
}

const LINE_COLUMNS = [
  'id',
  'shop_id',
  'channel',
  'source',
  'order_id',
  'line_id',
  'kind',
  'occurred_at',
  'ship_to_state',
  'ship_to_zip',
  'ship_to_city',
  'quantity',
  'gross',
  'seller_discount',
  'platform_discount',
  'shipping',
  'item_tax',
  'shipping_tax',
  'collected_by',
  'exempt_reason',
  'fulfilled_by',
  'refund_of_line_id',
  'currency',
] as const;

function toRow(l: TaxSalesLineInput): Omit<LineRow, 'id' | 'occurred_at'> & { occurred_at: Date | string } {
  return {
    shop_id: l.shopId,
    channel: l.channel,
    source: l.source,
    order_id: l.orderId,
    line_id: l.lineId,
    kind: l.kind,
    occurred_at: l.occurredAt,
    ship_to_state: l.shipToState.toUpperCase(),
    ship_to_zip: l.shipToZip,
    ship_to_city: l.shipToCity ?? null,
    quantity: l.quantity,
    gross: l.gross,
    seller_discount: l.sellerDiscount,
    platform_discount: l.platformDiscount,
    shipping: l.shipping,
    item_tax: l.itemTax,
    shipping_tax: l.shippingTax,
    collected_by: l.collectedBy,
    exempt_reason: l.exemptReason ?? null,
    fulfilled_by: l.fulfilledBy,
    refund_of_line_id: l.refundOfLineId ?? null,
    currency: l.currency,
  };
}

/** A line's columns as PostgreSQL and the sales import name them (snake case), without id, shop and source. */
export interface TaxSalesLineColumns<T extends Date | string = Date | string> {
  channel: string;
  order_id: string;
  line_id: string;
  kind: TaxLineKind;
  occurred_at: T;
  ship_to_state: string;
  ship_to_zip: string;
  ship_to_city?: string | null;
  quantity: number;
  gross: string;
  seller_discount: string;
  platform_discount: string;
  shipping: string;
  item_tax: string;
  shipping_tax: string;
  collected_by: TaxCollectedBy;
  exempt_reason?: string | null;
  fulfilled_by: TaxFulfilledBy;
  refund_of_line_id?: string | null;
  currency: string;
}

/** The snake-case columns as the camel-case fields of TaxSalesLineInput (absent optional ones as null). */
export function lineFields<T extends Date | string>(
  r: TaxSalesLineColumns<T>,
): Omit<TaxSalesLineInput, 'shopId' | 'source' | 'occurredAt'> & {
  occurredAt: T;
  shipToCity: string | null;
  exemptReason: string | null;
  refundOfLineId: string | null;
} {
  return {
    channel: r.channel,
    orderId: r.order_id,
    lineId: r.line_id,
    kind: r.kind,
    occurredAt: r.occurred_at,
    shipToState: r.ship_to_state,
    shipToZip: r.ship_to_zip,
    shipToCity: r.ship_to_city ?? null,
    quantity: r.quantity,
    gross: r.gross,
    sellerDiscount: r.seller_discount,
    platformDiscount: r.platform_discount,
    shipping: r.shipping,
    itemTax: r.item_tax,
    shippingTax: r.shipping_tax,
    collectedBy: r.collected_by,
    exemptReason: r.exempt_reason ?? null,
    fulfilledBy: r.fulfilled_by,
    refundOfLineId: r.refund_of_line_id ?? null,
    currency: r.currency,
  };
}

function toLine(r: LineRow): TaxSalesLine {
  return { id: BigInt(r.id), shopId: r.shop_id, source: r.source, ...lineFields(r) };
}

// 23 columns a row: 1,000 rows stay well under PostgreSQL's 65,535 bind parameters.
const UPSERT_CHUNK = 1000;

/** Merges overlapping or adjacent day ranges (sorted by start). */
export function mergeDayRanges(ranges: readonly { from: string; to: string }[]): { from: string; to: string }[] {
  const sorted = [...ranges].sort((a, b) => a.from.localeCompare(b.from));
  const merged: { from: string; to: string }[] = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last && r.from <= nextDay(last.to)) {
      if (r.to > last.to) last.to = r.to;
    } else merged.push({ ...r });
  }
  return merged;
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The tax-data tables (tax_sales_lines, tax_inventory_presence, tax_history_coverage; migration 031). */
export function createTaxSalesRepository(db: Db) {
  return {
    /**
     * Inserts or replaces lines by (shop, source, order, line, kind): a re-sync or a re-import of the same rows writes
     * the same rows again, never a second copy. Returns how many rows were written.
     */
    async upsertLines(rows: readonly TaxSalesLineInput[]): Promise<{ written: number }> {
      let written = 0;
      for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
        const chunk = rows.slice(i, i + UPSERT_CHUNK).map(toRow);
        await db('tax_sales_lines')
          .insert(chunk.map((r) => ({ ...r, updated_at: db.fn.now() })))
          .onConflict(['shop_id', 'source', 'order_id', 'line_id', 'kind'])
          .merge();
        written += chunk.length;
      }
      return { written };
    },

    /**
     * One page of a shop's lines with occurred_at in [from, to), in id order after `after` (keyset: the caller passes
     * the last id it saw). `next` is the id to pass for the following page, absent on the last one.
     */
    async linesPage(
      shopId: string,
      opts: { from: Date | string; to: Date | string; after?: bigint; limit: number },
    ): Promise<{ lines: TaxSalesLine[]; next?: bigint }> {
      const rows = (await db('tax_sales_lines')
        .select(...LINE_COLUMNS)
        .where('shop_id', shopId)
        .andWhere('occurred_at', '>=', opts.from)
        .andWhere('occurred_at', '<', opts.to)
        .andWhere('id', '>', (opts.after ?? 0n).toString())
        .orderBy('id')
        .limit(opts.limit)) as LineRow[];
      const lines = rows.map(toLine);
      const last = lines.at(-1);
      return lines.length === opts.limit && last ? { lines, next: last.id } : { lines };
    },

    /** Sales and refunds per ship-to state, day (in `timeZone`, default UTC) and collector, for [from, to). */
    async dailyTotals(
      shopId: string,
      from: Date | string,
      to: Date | string,
      opts: { timeZone?: string } = {},
    ): Promise<TaxDailyTotal[]> {
      const result = await db.raw<{
        rows: {
          state: string;
          day: string;
          collected_by: TaxCollectedBy;
          gross: string;
          net: string;
          seller_discount: string;
          platform_discount: string;
          shipping: string;
          tax: string;
          transactions: number;
        }[];
      }>(
        `select ship_to_state as state,
                to_char((occurred_at at time zone :tz)::date, 'YYYY-MM-DD') as day,
                collected_by,
                sum(gross)::text as gross,
                sum(gross - seller_discount - platform_discount)::text as net,
                sum(seller_discount)::text as seller_discount,
                sum(platform_discount)::text as platform_discount,
                sum(shipping)::text as shipping,
                sum(item_tax + shipping_tax)::text as tax,
                (count(distinct order_id) filter (where kind = 'sale'))::int as transactions
           from tax_sales_lines
          where shop_id = :shopId and occurred_at >= :from and occurred_at < :to and kind in ('sale', 'refund')
          group by 1, 2, 3
          order by 1, 2, 3`,
        { shopId, from, to, tz: opts.timeZone ?? 'UTC' },
      );
      return result.rows.map((r) => ({
        state: r.state,
        day: r.day,
        collectedBy: r.collected_by,
        gross: r.gross,
        net: r.net,
        sellerDiscount: r.seller_discount,
        platformDiscount: r.platform_discount,
        shipping: r.shipping,
        tax: r.tax,
        transactions: r.transactions,
      }));
    },

    /** Replaces what `source` knows of a shop's stock locations (a sync sees the whole picture each time). */
    async replacePresence(shopId: string, source: string, rows: readonly InventoryPresenceInput[]): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('tax_inventory_presence').where({ shop_id: shopId, source }).delete();
        if (rows.length === 0) return;
        await trx('tax_inventory_presence').insert(
          rows.map((r) => ({
            shop_id: shopId,
            source,
            state: r.state.toUpperCase(),
            location_id: r.locationId,
            location_kind: r.locationKind,
            from_day: r.fromDay,
            to_day: r.toDay,
            units: r.units,
          })),
        );
      });
    },

    /** Stock presence overlapping the days [fromDay, toDay]. */
    async presence(shopId: string, fromDay: string, toDay: string): Promise<InventoryPresence[]> {
      const rows = (await db('tax_inventory_presence')
        .select(
          'shop_id',
          'source',
          'state',
          'location_id',
          'location_kind',
          'units',
          db.raw(`to_char(from_day, 'YYYY-MM-DD') as from_day`),
          db.raw(`to_char(to_day, 'YYYY-MM-DD') as to_day`),
        )
        .where('shop_id', shopId)
        .andWhere('from_day', '<=', toDay)
        .andWhere((q) => void q.whereNull('to_day').orWhere('to_day', '>=', fromDay))
        .orderBy(['state', 'from_day', 'location_id'])) as {
        shop_id: string;
        source: string;
        state: string;
        location_id: string;
        location_kind: LocationKind;
        units: number;
        from_day: string;
        to_day: string | null;
      }[];
      return rows.map((r) => ({
        shopId: r.shop_id,
        source: r.source,
        state: r.state,
        locationId: r.location_id,
        locationKind: r.location_kind,
        fromDay: r.from_day,
        toDay: r.to_day,
        units: r.units,
      }));
    },

    /** Records that the days [fromDay, toDay] of `source` were fetched or imported. */
    async recordCoverage(shopId: string, source: string, fromDay: string, toDay: string): Promise<void> {
      await db('tax_history_coverage')
        .insert({ shop_id: shopId, source, from_day: fromDay, to_day: toDay })
        .onConflict(['shop_id', 'source', 'from_day', 'to_day'])
        .ignore();
    },

    /** The day ranges of history held per source, overlapping and adjacent ranges merged. */
    async coverage(shopId: string): Promise<CoverageRange[]> {
      const rows = (await db('tax_history_coverage')
        .select(
          'source',
          db.raw(`to_char(from_day, 'YYYY-MM-DD') as "from"`),
          db.raw(`to_char(to_day, 'YYYY-MM-DD') as "to"`),
        )
        .where('shop_id', shopId)) as CoverageRange[];
      const bySource = new Map<string, { from: string; to: string }[]>();
      for (const r of rows) bySource.set(r.source, [...(bySource.get(r.source) ?? []), { from: r.from, to: r.to }]);
      return [...bySource.keys()]
        .sort()
        .flatMap((source) => mergeDayRanges(bySource.get(source) ?? []).map((r) => ({ source, ...r })));
    },
  };
}

export type TaxSalesRepository = ReturnType<typeof createTaxSalesRepository>;
