import crypto from 'node:crypto';
import type { Db } from './knex';
import { centsOf, money } from '../tax/classify';
import { canonicalJson, chainHash, sha256Hex } from '../tax/reportHash';
import type { DifferenceRow, SellerOwedLineRecord, TaxReportOutputs, TaxReportStatus } from '../tax/reportModel';

/** A report row as the activities and the API read it (tax_reports, migration 032). */
export interface TaxReportRecord {
  id: string;
  shopId: string;
  period: string;
  timeZone: string;
  status: TaxReportStatus;
  buildNo: number;
  cursor: bigint;
  linesSeen: number;
  progress: unknown;
  inputsDigest: string | null;
  ruleVersions: string[] | null;
  outputs: TaxReportOutputs | null;
  outputsDigest: string | null;
  csvFileId: string | null;
  pdfFileId: string | null;
  hash: string | null;
  previousHash: string | null;
  rebuild: 'first' | 'same' | 'differs' | null;
  rebuildOf: string | null;
  statusBy: string | null;
  statusAt: string | null;
  createdAt: string;
  finishedAt: string | null;
}

interface Row {
  id: string;
  shop_id: string;
  period: string;
  time_zone: string;
  status: TaxReportStatus;
  build_no: number;
  cursor: string;
  lines_seen: number;
  progress: unknown;
  inputs_digest: string | null;
  rule_versions: string[] | null;
  outputs: TaxReportOutputs | null;
  outputs_digest: string | null;
  csv_file_id: string | null;
  pdf_file_id: string | null;
  hash: string | null;
  previous_hash: string | null;
  rebuild: 'first' | 'same' | 'differs' | null;
  rebuild_of: string | null;
  status_by: string | null;
  status_at: Date | null;
  created_at: Date;
  finished_at: Date | null;
}

const toRecord = (r: Row): TaxReportRecord => ({
  id: r.id,
  shopId: r.shop_id,
  period: r.period,
  timeZone: r.time_zone,
  status: r.status,
  buildNo: r.build_no,
  cursor: BigInt(r.cursor),
  linesSeen: r.lines_seen,
  progress: r.progress,
  inputsDigest: r.inputs_digest,
  ruleVersions: r.rule_versions,
  outputs: r.outputs,
  outputsDigest: r.outputs_digest,
  csvFileId: r.csv_file_id,
  pdfFileId: r.pdf_file_id,
  hash: r.hash,
  previousHash: r.previous_hash,
  rebuild: r.rebuild,
  rebuildOf: r.rebuild_of,
  statusBy: r.status_by,
  statusAt: r.status_at ? r.status_at.toISOString() : null,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
});

/** A report's status cannot move as asked (e.g. approving a rejected report). */
export class TaxReportStatusError extends Error {
  override name = 'TaxReportStatusError';
}

/** Another attempt moved the build on since this one read it (a retried activity racing a slow one). */
export class TaxReportBuildConflict extends Error {
  override name = 'TaxReportBuildConflict';
}

/** Which status may follow which. The same status again is a no-op (a retried activity). */
const NEXT: Record<TaxReportStatus, readonly TaxReportStatus[]> = {
  building: ['draft', 'abandoned'],
  draft: ['approved', 'rejected', 'expired'],
  approved: ['committed'],
  committed: [],
  rejected: [],
  expired: [],
  abandoned: [],
};

export interface PageWrite {
  /** The cursor the page started after (the build must still be there: else another attempt moved on). */
  fromCursor: bigint;
  toCursor: bigint;
  linesSeen: number;
  progress: unknown;
  differences: readonly DifferenceRow[];
  sellerLines: readonly { lineRef: string; kind: 'sale' | 'refund'; txnKey: string; record: SellerOwedLineRecord }[];
}

export interface FinishInput {
  inputsDigest: string;
  ruleVersions: string[];
  outputs: TaxReportOutputs;
  outputsDigest: string;
  csvFileId: string;
  pdfFileId: string;
}

/** The monthly tax reports (tax_reports and its line tables, migration 032). */
export function createTaxReportRepository(db: Db) {
  const byId = async (id: string): Promise<TaxReportRecord | undefined> => {
    const row = (await db('tax_reports').where({ id }).first()) as Row | undefined;
    return row ? toRecord(row) : undefined;
  };

  return {
    get: byId,

    /**
     * Opens a new build of the month (build_no one past the last); builds of the month left unfinished by an earlier
     * run are marked abandoned (they never joined the chain, so nothing finished is replaced).
     */
    async startBuild(shopId: string, period: string, timeZone: string, progress: unknown): Promise<TaxReportRecord> {
      return db.transaction(async (trx) => {
        await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`tax-report:${shopId}`]);
        await trx('tax_reports')
          .where({ shop_id: shopId, period, status: 'building' })
          .update({ status: 'abandoned', status_at: trx.fn.now(), status_by: 'a later build' });
        const last = (await trx('tax_reports').where({ shop_id: shopId, period }).max({ n: 'build_no' }).first()) as
          { n: number | null } | undefined;
        const row = {
          id: crypto.randomUUID(),
          shop_id: shopId,
          period,
          time_zone: timeZone,
          status: 'building',
          build_no: (last?.n ?? 0) + 1,
          progress: JSON.stringify(progress),
        };
        const [inserted] = (await trx('tax_reports').insert(row).returning('*')) as Row[];
        return toRecord(inserted!);
      });
    },

    /** Records one page of the build in one transaction: its differences, its seller-owed lines, the new cursor. */
    async savePage(reportId: string, page: PageWrite): Promise<void> {
      await db.transaction(async (trx) => {
        const updated = await trx('tax_reports')
          .where({ id: reportId, status: 'building', cursor: page.fromCursor.toString() })
          .update({
            cursor: page.toCursor.toString(),
            lines_seen: page.linesSeen,
            progress: JSON.stringify(page.progress),
          });
        if (updated !== 1)
          throw new TaxReportBuildConflict(`report ${reportId} is no longer building at ${page.fromCursor}`);
        for (let i = 0; i < page.differences.length; i += 1000) {
          await trx('tax_report_differences').insert(
            page.differences.slice(i, i + 1000).map((d) => ({
              report_id: reportId,
              line_ref: d.lineRef,
              order_id: d.orderId,
              line_id: d.lineId,
              state: d.state,
              zip: d.zip,
              day: d.day,
              charged: money(d.chargedCents),
              expected: money(d.expectedCents),
              difference: money(d.differenceCents),
            })),
          );
        }
        for (let i = 0; i < page.sellerLines.length; i += 1000) {
          await trx('tax_report_seller_lines').insert(
            page.sellerLines.slice(i, i + 1000).map((l) => ({
              report_id: reportId,
              line_ref: l.lineRef,
              kind: l.kind,
              txn_key: l.txnKey,
              line: JSON.stringify(l.record),
            })),
          );
        }
      });
    },

    /** Distinct engine transactions among the report's seller-owed lines. */
    async sellerTransactionCount(reportId: string): Promise<number> {
      const row = (await db('tax_report_seller_lines')
        .where({ report_id: reportId })
        .countDistinct({ n: db.raw('(kind, txn_key)') })
        .first()) as { n: string | number } | undefined;
      return Number(row?.n ?? 0);
    },

    /** The seller-owed lines of one kind in transaction order (transaction, line) after the keyset `after`. */
    async sellerLinesPage(
      reportId: string,
      kind: 'sale' | 'refund',
      after: { txnKey: string; lineRef: string } | undefined,
      limit: number,
    ): Promise<{ txnKey: string; lineRef: string; record: SellerOwedLineRecord }[]> {
      const q = db('tax_report_seller_lines')
        .where({ report_id: reportId, kind })
        .orderBy(['txn_key', 'line_ref'])
        .limit(limit)
        .select('txn_key', 'line_ref', 'line');
      if (after) q.andWhereRaw('(txn_key, line_ref) > (?, ?)', [after.txnKey, after.lineRef]);
      const rows = (await q) as { txn_key: string; line_ref: string; line: SellerOwedLineRecord }[];
      return rows.map((r) => ({ txnKey: r.txn_key, lineRef: String(r.line_ref), record: r.line }));
    },

    /** The report's differences, largest first (ties by line), at most `limit`. */
    async differences(reportId: string, limit: number): Promise<DifferenceRow[]> {
      const rows: {
        line_ref: string;
        order_id: string;
        line_id: string;
        state: string;
        zip: string;
        day: string;
        charged: string;
        expected: string;
        difference: string;
      }[] = await db('tax_report_differences')
        .where({ report_id: reportId })
        .orderByRaw('abs(difference) desc, line_ref')
        .limit(limit)
        .select(
          'line_ref',
          'order_id',
          'line_id',
          'state',
          'zip',
          db.raw(`to_char(day, 'YYYY-MM-DD') as day`),
          'charged',
          'expected',
          'difference',
        );
      return rows.map((r) => ({
        lineRef: String(r.line_ref),
        orderId: r.order_id,
        lineId: r.line_id,
        state: r.state,
        zip: r.zip,
        day: r.day,
        chargedCents: centsOf(r.charged),
        expectedCents: centsOf(r.expected),
        differenceCents: centsOf(r.difference),
      }));
    },

    /** The latest finished build of a month, if any. */
    async latestFinished(shopId: string, period: string): Promise<TaxReportRecord | undefined> {
      const row = (await db('tax_reports')
        .where({ shop_id: shopId, period })
        .whereNotNull('hash')
        .orderBy('build_no', 'desc')
        .first()) as Row | undefined;
      return row ? toRecord(row) : undefined;
    },

    /**
     * Finishes a build: links it to the shop's chain (its previous hash is the newest finished report's hash, under a
     * per-shop lock), compares it with the month's previous build, writes its state lines. Returns the finished row.
     */
    async finish(reportId: string, input: FinishInput): Promise<TaxReportRecord> {
      return db.transaction(async (trx) => {
        const own = (await trx('tax_reports').where({ id: reportId }).forUpdate().first()) as Row | undefined;
        if (!own) throw new TaxReportStatusError(`no tax report ${reportId}`);
        if (own.status !== 'building') return toRecord(own); // finished by an earlier attempt
        await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`tax-report:${own.shop_id}`]);
        // The chain's head: the finished report no other one follows (the chain index keeps the chain linear).
        const head = (await trx('tax_reports as r')
          .where({ 'r.shop_id': own.shop_id })
          .whereNotNull('r.hash')
          .whereNotExists(
            trx('tax_reports as n').whereRaw('n.shop_id = r.shop_id and n.previous_hash = r.hash').select(trx.raw('1')),
          )
          .select('r.hash')
          .first()) as Pick<Row, 'hash'> | undefined;
        const earlier = (await trx('tax_reports')
          .where({ shop_id: own.shop_id, period: own.period })
          .whereNotNull('hash')
          .orderBy('build_no', 'desc')
          .first()) as Row | undefined;
        const previousHash = head?.hash ?? null;
        const hash = chainHash({
          inputsDigest: input.inputsDigest,
          ruleVersions: input.ruleVersions,
          outputsDigest: input.outputsDigest,
          previousHash,
        });
        const same =
          earlier &&
          earlier.inputs_digest === input.inputsDigest &&
          earlier.outputs_digest === input.outputsDigest &&
          JSON.stringify([...(earlier.rule_versions ?? [])].sort()) === JSON.stringify([...input.ruleVersions].sort());
        const states = input.outputs.states.map((s) => {
          const nexus = input.outputs.nexus.find((n) => n.state === s.state);
          return {
            report_id: reportId,
            state: s.state,
            group: s.group,
            gross: money(s.grossCents),
            marketplace_deduction: money(s.marketplaceDeductionCents),
            exempt: money(s.exemptCents),
            taxable: money(s.taxableCents),
            tax_due: money(s.taxDueCents),
            nexus_from: nexus?.nexusFrom ?? null,
            must_register_by: nexus?.mustRegisterBy ?? null,
            due_date: s.filing?.due ?? null,
            line: JSON.stringify({ ...s, nexus: nexus ?? null }),
          };
        });
        for (let i = 0; i < states.length; i += 500) await trx('tax_report_states').insert(states.slice(i, i + 500));
        const [row] = (await trx('tax_reports')
          .where({ id: reportId })
          .update({
            status: 'draft',
            inputs_digest: input.inputsDigest,
            rule_versions: JSON.stringify(input.ruleVersions),
            outputs: JSON.stringify(input.outputs),
            outputs_digest: input.outputsDigest,
            csv_file_id: input.csvFileId,
            pdf_file_id: input.pdfFileId,
            hash,
            previous_hash: previousHash,
            rebuild: earlier ? (same ? 'same' : 'differs') : 'first',
            rebuild_of: earlier?.id ?? null,
            progress: JSON.stringify({}),
            finished_at: trx.fn.now(),
            status_at: trx.fn.now(),
          })
          .returning('*')) as Row[];
        return toRecord(row!);
      });
    },

    /** Moves the status on (NEXT above); the same status again returns the row unchanged. */
    async setStatus(reportId: string, status: TaxReportStatus, by?: string): Promise<TaxReportRecord> {
      return db.transaction(async (trx) => {
        const row = (await trx('tax_reports').where({ id: reportId }).forUpdate().first()) as Row | undefined;
        if (!row) throw new TaxReportStatusError(`no tax report ${reportId}`);
        if (row.status === status) return toRecord(row);
        if (!NEXT[row.status].includes(status))
          throw new TaxReportStatusError(`tax report ${reportId} is ${row.status}: it cannot become ${status}`);
        const [updated] = (await trx('tax_reports')
          .where({ id: reportId })
          .update({ status, status_by: by ?? null, status_at: trx.fn.now() })
          .returning('*')) as Row[];
        return toRecord(updated!);
      });
    },

    /** A shop's finished reports, newest first (optionally one month's builds). */
    async list(shopId: string, opts: { period?: string; limit?: number } = {}): Promise<TaxReportRecord[]> {
      const q = db('tax_reports').where({ shop_id: shopId }).whereNotNull('hash');
      if (opts.period) q.andWhere({ period: opts.period });
      const rows = (await q
        .orderBy('finished_at', 'desc')
        .orderBy('created_at', 'desc')
        .limit(opts.limit ?? 100)) as Row[];
      return rows.map(toRecord);
    },

    /**
     * Checks the shop's chain: every finished report's hash is recomputed from its stored inputs digest, rule
     * versions, outputs (digested again) and previous hash, and every report but the first follows another. Answers
     * the first report that does not hold, if any.
     */
    async verifyChain(shopId: string): Promise<{ ok: boolean; reports: number; brokenAt?: string; reason?: string }> {
      const rows = ((await db('tax_reports').where({ shop_id: shopId }).whereNotNull('hash')) as Row[]).map(toRecord);
      const hashes = new Set(rows.map((r) => r.hash));
      const ordered = await this.chain(shopId);
      const broken = (r: TaxReportRecord, reason: string) => ({
        ok: false,
        reports: rows.length,
        brokenAt: r.id,
        reason,
      });
      if (ordered.length !== rows.length) {
        const lost = rows.find((r) => !ordered.includes(r))!;
        return broken(lost, 'not reachable from the first report');
      }
      for (const r of ordered) {
        if (r.previousHash !== null && !hashes.has(r.previousHash)) return broken(r, 'its previous report is missing');
        if (sha256Hex(canonicalJson(r.outputs)) !== r.outputsDigest)
          return broken(r, 'its outputs do not match their digest');
        const hash = chainHash({
          inputsDigest: r.inputsDigest!,
          ruleVersions: r.ruleVersions ?? [],
          outputsDigest: r.outputsDigest,
          previousHash: r.previousHash,
        });
        if (hash !== r.hash) return broken(r, 'its hash does not match its contents');
      }
      return { ok: true, reports: rows.length };
    },

    /** The shop's chain, oldest first (followed link by link from the report with no previous hash). */
    async chain(shopId: string): Promise<TaxReportRecord[]> {
      const rows = ((await db('tax_reports').where({ shop_id: shopId }).whereNotNull('hash')) as Row[]).map(toRecord);
      const next = new Map(rows.map((r) => [r.previousHash ?? '', r]));
      const out: TaxReportRecord[] = [];
      for (let r = next.get(''); r; r = next.get(r.hash ?? '')) out.push(r);
      return out;
    },
  };
}

export type TaxReportRepository = ReturnType<typeof createTaxReportRepository>;
