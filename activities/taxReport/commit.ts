/**
 * After a person approved a month's report: `stageTaxReportCommit` puts the report's seller-owed transactions into the
 * commit ledger's input (db/taxEngineCommits.ts, read by activities/taxCommit/), and `setTaxReportStatus` moves the
 * report's status. Only the seller's own lines were kept as seller-owed (tax/classify.ts): TikTok-facilitated lines
 * never reach an engine as seller liability, and samples and withdrawals (use tax) are reported, not committed as
 * sales.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { createTaxEngineCommitRepository, type StagedTaxTransaction } from '../../db/taxEngineCommits';
import { createTaxReportRepository, TaxReportStatusError } from '../../db/taxReports';
import type { ReportLine } from '../../tax/classify';
import type { SellerOwedLineRecord, TaxReportStatus } from '../../tax/reportModel';
import {
  TAX_ENGINE_NAMES,
  type SellerOwedLine,
  type TaxAddress,
  type TaxEngineName,
  type TaxExemption,
} from '../../integrations/taxEngines/types';
import type { TaxReportDeps } from './deps';

const dollars = (cents: number): number => Math.abs(cents) / 100;

/** The import's and TikTok's exemption words onto the engines' three (integrations/taxEngines/types.ts). */
function exemptionOf(reason: string): TaxExemption {
  const r = reason.toLowerCase();
  return { reason: r.includes('resale') ? 'resale' : r.includes('gov') ? 'government' : 'other' };
}

function engineLine(rec: SellerOwedLineRecord): SellerOwedLine {
  const l = rec.line;
  return {
    lineId: l.lineId,
    collector: 'seller',
    amount: dollars(l.grossCents - l.sellerDiscountCents),
    quantity: Math.max(1, l.quantity),
    salesTaxCollected: dollars(l.itemTaxCents),
    ...(rec.cls === 'exempt' && l.exemptReason ? { exemption: exemptionOf(l.exemptReason) } : {}),
  };
}

/**
 * One engine transaction from its lines. Ship-from: the seller's origin address is not in the sales data; remote
 * sales are sourced at the destination, so the destination is given as both (the engines then tax at the buyer's
 * address) unless the caller names the origin.
 */
function transactionOf(
  kind: 'sale' | 'refund',
  lines: SellerOwedLineRecord[],
  shipFrom?: TaxAddress,
): StagedTaxTransaction {
  const first: ReportLine = lines[0]!.line;
  const shipTo: TaxAddress = {
    region: first.state,
    postalCode: first.zip,
    ...(first.city ? { city: first.city } : {}),
    country: 'US',
  };
  const common = {
    orderId: first.orderId,
    date: first.day,
    customerCode: `${first.channel}:${first.orderId}`.slice(0, 50),
    shipFrom: shipFrom ?? shipTo,
    shipTo,
    shipping: dollars(lines.reduce((s, r) => s + r.line.shippingCents, 0)),
    shippingTaxCollected: dollars(lines.reduce((s, r) => s + r.line.shippingTaxCents, 0)),
    lines: lines.map(engineLine),
  };
  if (kind === 'sale') return { kind: 'sale', sale: common };
  return { kind: 'refund', refund: { ...common, refundId: `${first.orderId}-${first.day}`, full: false } };
}

export function createTaxReportCommitActivities(deps: TaxReportDeps) {
  const reports = createTaxReportRepository(deps.db);
  const ledger = createTaxEngineCommitRepository(deps.db);

  return {
    /**
     * Stages the approved report's seller-owed transactions for its month (replacing whatever the month had staged),
     * sales before refunds; returns how many transactions were staged.
     */
    async stageTaxReportCommit(input: {
      shopId: string;
      reportId: string;
      engine: TaxEngineName;
      shipFrom?: TaxAddress;
    }): Promise<{ staged: number }> {
      if (!TAX_ENGINE_NAMES.includes(input.engine))
        throw ApplicationFailure.nonRetryable(`unknown tax engine ${String(input.engine)}`, 'TaxEngineNotConfigured');
      const report = await reports.get(input.reportId);
      if (!report || report.shopId !== input.shopId)
        throw ApplicationFailure.nonRetryable(
          `no tax report ${input.reportId} of ${input.shopId}`,
          'TaxReportNotFound',
        );
      if (report.status !== 'approved' && report.status !== 'committed')
        throw ApplicationFailure.nonRetryable(
          `tax report ${input.reportId} is ${report.status}: only an approved report is committed`,
          'TaxReportNotApproved',
        );
      let ctx: Context | undefined;
      try {
        ctx = Context.current();
      } catch {
        ctx = undefined;
      }
      await ledger.clearStaged(input.shopId, report.period);
      let staged = 0;
      for (const kind of ['sale', 'refund'] as const) {
        let after: { txnKey: string; lineRef: string } | undefined;
        let open: { key: string; lines: SellerOwedLineRecord[] } | undefined;
        let batch: StagedTaxTransaction[] = [];
        const flush = async () => {
          staged += await ledger.stage(input.shopId, report.period, batch);
          batch = [];
          ctx?.heartbeat({ staged });
        };
        for (;;) {
          const page = await reports.sellerLinesPage(report.id, kind, after, 5_000);
          for (const row of page) {
            if (open && open.key !== row.txnKey) {
              batch.push(transactionOf(kind, open.lines, input.shipFrom));
              open = undefined;
            }
            open ??= { key: row.txnKey, lines: [] };
            open.lines.push(row.record);
          }
          if (batch.length >= 1_000) await flush();
          if (page.length < 5_000) break;
          const last = page.at(-1)!;
          after = { txnKey: last.txnKey, lineRef: last.lineRef };
        }
        if (open) batch.push(transactionOf(kind, open.lines, input.shipFrom));
        await flush();
      }
      return { staged };
    },

    async setTaxReportStatus(input: {
      reportId: string;
      status: Extract<TaxReportStatus, 'approved' | 'committed' | 'rejected' | 'expired'>;
      by?: string;
    }): Promise<{ status: TaxReportStatus }> {
      try {
        const r = await reports.setStatus(input.reportId, input.status, input.by);
        return { status: r.status };
      } catch (err) {
        if (err instanceof TaxReportStatusError) throw ApplicationFailure.nonRetryable(err.message, 'TaxReportStatus');
        throw err;
      }
    },
  };
}
