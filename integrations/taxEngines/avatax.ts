/**
 * The AvaTax implementation of TaxEngine, through Avalara's official SDK (`avatax` on npm). Sales go to
 * `POST /api/v2/transactions/createoradjust` as committed SalesInvoices whose code is derived from the order id: a
 * second attempt with the same code adjusts the transaction in place instead of creating a duplicate
 * (https://developer.avalara.com/api-reference/avatax/rest/v2/methods/Transactions/CreateOrAdjustTransaction/).
 * Refunds go through the refund call on the original sale (a committed ReturnInvoice dated the refund date:
 * https://developer.avalara.com/api-reference/avatax/rest/v2/methods/Transactions/RefundTransaction/).
 */
import os from 'node:os';
import Avatax from 'avatax';
import type { CreateOrAdjustTransactionModel, RefundTransactionModel, TransactionModel } from 'avatax/lib/models';
import type { AvaTaxSettings } from '../../config/taxEngines';
import {
  collectedTax,
  failedOutcome,
  mapLimit,
  refundTransactionCode,
  roundMoney,
  saleTransactionCode,
  type CommitOutcome,
  type JurisdictionTax,
  type SellerOwedLine,
  type SellerOwedRefund,
  type SellerOwedTransaction,
  type TaxAddress,
  type TaxEngine,
  type TaxExemption,
} from './types';

/** AvaTax entity use codes (G resale, B state government, L other): https://help.avalara.com/000_Avalara_AvaTax/Exemption_Reason_Matrices_for_US_and_Canada */
const ENTITY_USE: Record<TaxExemption['reason'], string> = { resale: 'G', government: 'B', other: 'L' };
/** Shipping by common carrier, FOB destination: https://developer.avalara.com/avatax/dev-guide/shipping-and-handling/taxability-of-shipping-charges/ */
const SHIPPING_TAX_CODE = 'FR020100';
/** Errors of the transaction itself: retrying the same request cannot succeed (docs/tax-engines-sources.md §AvaTax). */
const REFUSALS = new Set([
  'ValueRequiredError',
  'RangeError',
  'InvalidAddress',
  'MissingLine',
  'ModelRequiredException',
  'EntityNotFoundError',
  'CannotModifyLockedTransaction',
  'DocumentCodeConflict',
]);

const address = (a: TaxAddress) => ({
  line1: a.line1,
  city: a.city,
  region: a.region,
  postalCode: a.postalCode,
  country: a.country,
});

const avataxLine = (l: SellerOwedLine) => ({
  number: l.lineId,
  quantity: l.quantity,
  amount: l.amount,
  taxCode: l.taxCode,
  itemCode: l.itemCode,
  description: l.description,
  entityUseCode: l.exemption ? ENTITY_USE[l.exemption.reason] : undefined,
  exemptionCode: l.exemption?.certificateId,
});

const JURIS_TYPES: Record<string, JurisdictionTax['type']> = {
  State: 'State',
  STA: 'State',
  County: 'County',
  CNT: 'County',
  City: 'City',
  CIT: 'City',
  Special: 'Special',
  STJ: 'Special',
};

/** The transaction's `summary[]` (one row per jurisdiction): the natural key of a liability report. */
export function avataxJurisdictions(tx: TransactionModel): JurisdictionTax[] {
  return (tx.summary ?? []).map((s) => ({
    name: String(s.jurisName),
    type: JURIS_TYPES[String(s.jurisType)] ?? 'Special',
    rate: Number(s.rate ?? 0),
    taxable: Number(s.taxable ?? 0),
    tax: Number(s.tax ?? 0),
  }));
}

function errorOf(err: unknown): NonNullable<CommitOutcome['error']> {
  const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'NetworkError';
  const message = err instanceof Error ? err.message : String(err);
  return { code, message, retryable: !REFUSALS.has(code) };
}

export function createAvaTaxEngine(settings: AvaTaxSettings): TaxEngine {
  const client = new Avatax({
    appName: 'tiktok-shop-ops',
    appVersion: '0.1.0',
    machineName: os.hostname().replace(/;/g, ''),
    environment: settings.baseUrl,
    timeout: settings.timeoutMs ?? 60_000,
  }).withSecurity({ accountId: settings.accountId, licenseKey: settings.licenseKey });
  const concurrency = settings.concurrency ?? 8;

  const commitOne = async (sale: SellerOwedTransaction): Promise<CommitOutcome> => {
    const base = { transactionCode: saleTransactionCode(sale.orderId), orderId: sale.orderId, kind: 'sale' as const };
    const lines = sale.lines.map(avataxLine);
    if (sale.shipping) lines.push({ ...avataxLine(shippingLine(sale)), taxCode: SHIPPING_TAX_CODE });
    // Enums travel as strings in AvaTax JSON (the SDK's typings declare numeric enums) and dates as YYYY-MM-DD.
    const model = {
      createTransactionModel: {
        type: 'SalesInvoice',
        code: base.transactionCode,
        companyCode: settings.companyCode,
        date: sale.date,
        customerCode: sale.customerCode,
        currencyCode: 'USD',
        commit: true,
        referenceCode: sale.orderId,
        addresses: { shipFrom: address(sale.shipFrom), shipTo: address(sale.shipTo) },
        lines,
      },
    } as unknown as CreateOrAdjustTransactionModel;
    try {
      const tx = await client.createOrAdjustTransaction({ model });
      const version = Number((tx as { version?: number }).version ?? 1);
      return {
        ...base,
        action: version > 1 ? 'adjusted' : 'created',
        engineTax: Number(tx.totalTax ?? 0),
        collectedTax: collectedTax(sale),
        jurisdictions: avataxJurisdictions(tx),
      };
    } catch (err) {
      return failedOutcome(base, errorOf(err));
    }
  };

  return {
    name: 'avatax',
    commitTransactions: (batch) => mapLimit(batch, concurrency, commitOne),
    async refundTransaction(refund: SellerOwedRefund): Promise<CommitOutcome> {
      const base = {
        transactionCode: refundTransactionCode(refund.refundId),
        orderId: refund.orderId,
        kind: 'refund' as const,
      };
      const model = {
        refundTransactionCode: base.transactionCode,
        refundDate: refund.date,
        refundType: refund.full ? 'Full' : 'Partial',
        refundLines: refund.full
          ? undefined
          : [...refund.lines.map((l) => l.lineId), ...(refund.shipping ? ['shipping'] : [])],
        referenceCode: refund.refundId,
      } as unknown as RefundTransactionModel;
      const outcome = (tx: TransactionModel, action: CommitOutcome['action']): CommitOutcome => ({
        ...base,
        action,
        engineTax: Number(tx.totalTax ?? 0),
        collectedTax: -collectedTax(refund),
        jurisdictions: avataxJurisdictions(tx),
      });
      try {
        const tx = await client.refundTransaction({
          companyCode: settings.companyCode,
          transactionCode: saleTransactionCode(refund.orderId),
          model,
        });
        return outcome(tx, 'created');
      } catch (err) {
        const error = errorOf(err);
        if (error.code !== 'DocumentCodeConflict') return failedOutcome(base, error);
        // Recorded by an attempt whose answer was lost: read it back instead of refunding twice.
        try {
          const tx = await client.getTransactionByCode({
            companyCode: settings.companyCode,
            transactionCode: base.transactionCode,
            documentType: 'ReturnInvoice' as never,
          });
          return outcome(tx, 'existing');
        } catch (readErr) {
          return failedOutcome(base, errorOf(readErr));
        }
      }
    },
  };
}

/** Shipping as its own line (AvaTax taxes freight by its tax code); its collected tax is the order's shipping tax. */
function shippingLine(tx: SellerOwedTransaction): SellerOwedLine {
  return {
    lineId: 'shipping',
    collector: 'seller',
    amount: roundMoney(tx.shipping),
    quantity: 1,
    description: 'Shipping',
    salesTaxCollected: tx.shippingTaxCollected ?? 0,
  };
}
