/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   Request bodies are arbitrary JSON here, checked field by field as the real API checks them. */
/**
 * A local emulator of the Avalara AvaTax REST v2 endpoints the product calls (docs/tax-engines-sources.md cites each
 * published page): ping, create, createoradjust, list and get by code, commit, void and refund. Basic auth with
 * accountId:licenseKey, string enums, the `{error:{code,message,target,details[]}}` envelope with AvaTax's numeric
 * codes, tax from the synthetic table in emulators/taxRates/table.ts (destination sourcing, one detail per
 * jurisdiction with `jurisName`). State in memory; `/__admin` (no auth) for tests.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import {
  adminRoutes,
  CallLog,
  callLogger,
  jsonBody,
  listenEmulator,
  RequestGate,
  type RunningTaxEmulator,
} from '../taxRates/http';
import { round2, zipRate, type JurisdictionType } from '../taxRates/table';

export interface AvaTaxEmulatorOptions {
  port?: number;
  host?: string;
  accountId: string;
  licenseKey: string;
  /** Company codes the account has (default ['DEFAULT']); the first is the default company. */
  companies?: string[];
}

export interface RunningAvaTaxEmulator extends RunningTaxEmulator {
  state: AvaTaxState;
}

type Json = Record<string, any>;

/** ErrorCodeId numbers (AvaTax-REST-V2-DotNet-SDK src/enums/ErrorCodeId.cs) and the HTTP status we answer with. */
const ERRORS = {
  EntityNotFoundError: { number: 4, status: 404 },
  ValueRequiredError: { number: 5, status: 400 },
  RangeError: { number: 8, status: 400 },
  AuthenticationException: { number: 30, status: 401 },
  ModelRequiredException: { number: 38, status: 400 },
  DocumentCodeConflict: { number: 303, status: 400 },
  InvalidAddress: { number: 309, status: 400 },
  MissingLine: { number: 311, status: 400 },
  InvalidDocumentStatusForRefund: { number: 700, status: 400 },
  CannotModifyLockedTransaction: { number: 1100, status: 400 },
} as const;
type ErrorCode = keyof typeof ERRORS;

class AvaTaxError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly target: string = 'IncorrectData',
    readonly refersTo: string | null = null,
  ) {
    super(message);
  }
}

function sendError(res: express.Response, err: AvaTaxError): void {
  const { number, status } = ERRORS[err.code];
  res.status(status).json({
    error: {
      code: err.code,
      message: err.message,
      target: err.target,
      details: [
        {
          code: err.code,
          number,
          message: err.message,
          description: err.message,
          faultCode: 'Client',
          helpLink: `http://developer.avalara.com/avatax/errors/${err.code}`,
          refersTo: err.refersTo,
          severity: 'Error',
        },
      ],
    },
  });
}

const JURIS_TYPE: Record<JurisdictionType, string> = { State: 'STA', County: 'CNT', City: 'CIT', Special: 'STJ' };
const INVOICE_TYPES = new Set(['SalesInvoice', 'ReturnInvoice', 'PurchaseInvoice', 'InventoryTransferInvoice']);
/** DocumentType names in the order of their numbers (the SDK's `Enums.DocumentType`: SalesOrder = 0 …). */
const DOCUMENT_TYPE_NAMES = [
  'SalesOrder',
  'SalesInvoice',
  'PurchaseOrder',
  'PurchaseInvoice',
  'ReturnOrder',
  'ReturnInvoice',
  'InventoryTransferOrder',
  'InventoryTransferInvoice',
];
const DOCUMENT_TYPES = new Set(DOCUMENT_TYPE_NAMES);
/** RefundType by number (the SDK's `Enums.RefundType`: Full = 0, Partial, TaxOnly, Percentage). */
const REFUND_TYPE_NAMES = ['Full', 'Partial', 'TaxOnly', 'Percentage'];

/** An enum as the API takes it: its name, or (as the SDK's typed enums send it) its number. */
const enumName = (value: unknown, names: string[]): unknown =>
  typeof value === 'number' ? (names[value] ?? value) : value;

/**
 * A stored document, compact: the request model as JSON plus what changes after creation. The full TransactionModel
 * is computed again on each read (deterministic for a given id), so a benchmark's 100,000 documents fit in memory.
 */
export interface StoredTransaction {
  id: number;
  code: string;
  type: string;
  companyCode: string;
  status: string;
  version: number;
  locked: boolean;
  totalAmount: number;
  totalTax: number;
  referenceCode: string | null;
  adjustmentReason: string;
  adjustmentDescription?: string;
  model: string;
}

export class AvaTaxState {
  private nextId = 1_000_001;
  /** key: companyCode|documentType|code */
  readonly transactions = new Map<string, StoredTransaction>();
  constructor(readonly companies: string[]) {}
  id(): number {
    return this.nextId++;
  }
  key(companyCode: string, type: string, code: string): string {
    return `${companyCode}|${type}|${code}`;
  }
  summary() {
    const all = [...this.transactions.values()];
    return {
      count: all.length,
      transactions: all.map((t) => ({
        code: t.code,
        type: t.type,
        status: t.status,
        version: t.version,
        totalAmount: t.totalAmount,
        totalTax: t.totalTax,
        companyCode: t.companyCode,
        refundOf: t.referenceCode,
      })),
    };
  }
}

const isoDate = (v: unknown): string | undefined =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v.slice(0, 10)))
    ? v.slice(0, 10)
    : undefined;

function requireValue(value: unknown, name: string): void {
  if (value === undefined || value === null || value === '')
    throw new AvaTaxError('ValueRequiredError', `The field ${name} is required.`, 'IncorrectData', name);
}

function shipToOf(addresses: Json | undefined): Json | undefined {
  return addresses?.shipTo ?? addresses?.singleLocation;
}

/** Computes a TransactionModel from a CreateTransactionModel (validated here, as AvaTax does before it stores). */
function computeTransaction(state: AvaTaxState, model: Json, companyCode: string, id = state.id()): Json {
  const type = (enumName(model.type, DOCUMENT_TYPE_NAMES) as string | undefined) ?? 'SalesOrder';
  if (!DOCUMENT_TYPES.has(type))
    throw new AvaTaxError('RangeError', `The value ${type} is not a valid DocumentType.`, 'IncorrectData', 'type');
  const date = isoDate(model.date);
  if (!date) throw new AvaTaxError('ValueRequiredError', 'The field date is required.', 'IncorrectData', 'date');
  requireValue(model.customerCode, 'customerCode');
  if (!Array.isArray(model.lines) || model.lines.length === 0)
    throw new AvaTaxError('MissingLine', 'A transaction must have at least one line.', 'IncorrectData', 'lines');
  const exemptHeader = Boolean(model.entityUseCode || model.exemptionNo);
  const summary = new Map<string, Json>();
  const lines = (model.lines as Json[]).map((line, index) => {
    if (typeof line.amount !== 'number' || !Number.isFinite(line.amount))
      throw new AvaTaxError(
        'ValueRequiredError',
        `Line ${index + 1}: the field amount is required.`,
        'IncorrectData',
        'amount',
      );
    const quantity = line.quantity ?? 1;
    if (typeof quantity !== 'number' || quantity < 0)
      throw new AvaTaxError('RangeError', `Line ${index + 1}: quantity must be positive.`, 'IncorrectData', 'quantity');
    const shipTo = shipToOf(line.addresses) ?? shipToOf(model.addresses);
    if (!shipTo?.postalCode || !shipTo.region)
      throw new AvaTaxError(
        'InvalidAddress',
        'An address (shipTo or singleLocation) with region and postalCode is required.',
        'IncorrectData',
        'addresses',
      );
    const rates = zipRate(String(shipTo.postalCode));
    if (!rates || rates.state !== String(shipTo.region).toUpperCase())
      throw new AvaTaxError(
        'InvalidAddress',
        `The address ${String(shipTo.postalCode)} ${String(shipTo.region)} could not be resolved to a jurisdiction.`,
        'IncorrectData',
        'postalCode',
      );
    const taxCode = (line.taxCode as string | undefined) ?? 'P0000000';
    const exempt = exemptHeader || Boolean(line.entityUseCode || line.exemptionCode);
    const freight = taxCode.startsWith('FR');
    const nonTaxable = taxCode === 'NT' || (freight && !rates.freightTaxable);
    const amount: number = line.amount;
    const taxableAmount = exempt || nonTaxable ? 0 : amount;
    const details = rates.jurisdictions.map((j, n) => {
      const tax = round2(taxableAmount * j.rate);
      const detail = {
        id: id * 100 + index * 10 + n,
        transactionLineId: id * 100 + index,
        transactionId: id,
        country: 'US',
        region: rates.state,
        exemptAmount: exempt ? amount : 0,
        jurisCode: j.code,
        jurisName: j.name,
        jurisdictionId: Number.parseInt(j.code, 36) % 1_000_000,
        jurisType: JURIS_TYPE[j.type],
        jurisdictionType: j.type,
        stateAssignedNo: j.stateAssignedNo ?? null,
        signatureCode: null,
        rate: j.rate,
        tax,
        taxCalculated: tax,
        taxableAmount,
        nonTaxableAmount: nonTaxable ? amount : 0,
        taxType: 'Sales',
        taxSubTypeId: 'S',
        taxName: `${rates.state} ${j.type === 'State' ? 'STATE' : j.type === 'Special' ? 'SPECIAL' : j.type.toUpperCase()} TAX`,
        rateTypeCode: 'G',
        sourcing: 'Destination',
        inState: false,
        liabilityType: 'Seller',
        chargedTo: 'Buyer',
        isNonPassThru: false,
        isFee: false,
        reportingTaxableUnits: taxableAmount,
        reportingTax: tax,
      };
      const key = `${j.code}|${j.type}`;
      const s = summary.get(key) ?? {
        country: 'US',
        region: rates.state,
        jurisType: j.type,
        jurisCode: j.code,
        jurisName: j.name,
        stateAssignedNo: j.stateAssignedNo ?? null,
        taxType: 'Sales',
        taxName: detail.taxName,
        rateTypeCode: 'G',
        rate: j.rate,
        taxable: 0,
        tax: 0,
        taxCalculated: 0,
        nonTaxable: 0,
        exemption: 0,
      };
      s.taxable = round2(s.taxable + taxableAmount);
      s.tax = round2(s.tax + tax);
      s.taxCalculated = s.tax;
      s.nonTaxable = round2(s.nonTaxable + detail.nonTaxableAmount);
      s.exemption = round2(s.exemption + detail.exemptAmount);
      summary.set(key, s);
      return detail;
    });
    const tax = round2(details.reduce((t, d) => t + d.tax, 0));
    return {
      id: id * 100 + index,
      transactionId: id,
      lineNumber: String(line.number ?? index + 1),
      itemCode: line.itemCode ?? '',
      description: line.description ?? '',
      taxCode,
      lineAmount: amount,
      quantity,
      tax,
      taxCalculated: tax,
      taxableAmount,
      exemptAmount: exempt ? amount : 0,
      exemptCertId: 0,
      entityUseCode: line.entityUseCode ?? model.entityUseCode ?? '',
      isItemTaxable: !nonTaxable,
      sourcing: 'Destination',
      reportingDate: date,
      taxDate: date,
      ref1: line.ref1 ?? null,
      ref2: line.ref2 ?? null,
      merchantSellerIdentifier: line.merchantSellerIdentifier ?? null,
      marketplaceLiabilityType: line.marketplaceLiabilityType ?? null,
      originationSite: line.originationSite ?? null,
      details,
    };
  });
  const sum = (f: (l: Json) => number) => round2(lines.reduce((t, l) => t + f(l), 0));
  const commit = Boolean(model.commit) && INVOICE_TYPES.has(type);
  const shipTo = shipToOf(model.addresses) ?? {};
  return {
    id,
    code: (model.code as string | undefined) || randomUUID(),
    companyId: state.companies.indexOf(companyCode) + 1,
    companyCode,
    date,
    taxDate: date,
    status: !INVOICE_TYPES.has(type) ? 'Temporary' : commit ? 'Committed' : 'Saved',
    type,
    currencyCode: model.currencyCode ?? 'USD',
    customerCode: model.customerCode,
    customerVendorCode: model.customerCode,
    entityUseCode: model.entityUseCode ?? '',
    exemptNo: model.exemptionNo ?? null,
    referenceCode: model.referenceCode ?? null,
    description: model.description ?? null,
    reconciled: false,
    locked: false,
    version: 1,
    region: shipTo.region ?? null,
    country: shipTo.country ?? 'US',
    totalAmount: sum((l) => l.lineAmount),
    totalExempt: sum((l) => l.exemptAmount),
    totalTax: sum((l) => l.tax),
    totalTaxable: sum((l) => l.taxableAmount),
    totalTaxCalculated: sum((l) => l.taxCalculated),
    adjustmentReason: 'NotAdjusted',
    modifiedDate: new Date().toISOString(),
    lines,
    addresses: Object.entries((model.addresses as Json | undefined) ?? {}).map(([boundaryLevel, a], n) => ({
      id: id * 10 + n,
      transactionId: id,
      boundaryLevel: 'Zip5',
      ...(a as Json),
      addressType: boundaryLevel,
    })),
    summary: [...summary.values()],
    messages: [],
  };
}

function companyOf(state: AvaTaxState, requested: unknown): string {
  const code = typeof requested === 'string' && requested ? requested : state.companies[0]!;
  if (!state.companies.includes(code))
    throw new AvaTaxError('EntityNotFoundError', `Company ${code} not found.`, 'IncorrectData', 'companyCode');
  return code;
}

function store(state: AvaTaxState, tx: Json, model: Json): Json {
  if (tx.status === 'Temporary') return tx;
  state.transactions.set(state.key(tx.companyCode, tx.type, tx.code), {
    id: tx.id,
    code: tx.code,
    type: tx.type,
    companyCode: tx.companyCode,
    status: tx.status,
    version: tx.version,
    locked: false,
    totalAmount: tx.totalAmount,
    totalTax: tx.totalTax,
    referenceCode: tx.referenceCode,
    adjustmentReason: tx.adjustmentReason,
    adjustmentDescription: tx.adjustmentDescription,
    model: JSON.stringify({ ...model, code: tx.code, type: tx.type, companyCode: tx.companyCode }),
  });
  return tx;
}

/** The full TransactionModel of a stored document, as it was answered when created, with its current status. */
function materialize(state: AvaTaxState, stored: StoredTransaction): Json {
  const tx = computeTransaction(state, JSON.parse(stored.model) as Json, stored.companyCode, stored.id);
  return {
    ...tx,
    status: stored.status,
    version: stored.version,
    locked: stored.locked,
    adjustmentReason: stored.adjustmentReason,
    ...(stored.adjustmentDescription ? { adjustmentDescription: stored.adjustmentDescription } : {}),
  };
}

function createTransaction(state: AvaTaxState, model: Json | undefined): Json {
  if (!model || typeof model !== 'object')
    throw new AvaTaxError(
      'ModelRequiredException',
      'Your request must include a model of type CreateTransactionModel.',
    );
  const companyCode = companyOf(state, model.companyCode);
  const tx = computeTransaction(state, model, companyCode);
  const existing = state.transactions.get(state.key(companyCode, tx.type, tx.code));
  if (existing && existing.status !== 'Cancelled' && existing.status !== 'Adjusted')
    throw new AvaTaxError(
      'DocumentCodeConflict',
      `Duplicate document code ${tx.code} for company ${companyCode}.`,
      'IncorrectData',
      'code',
    );
  return store(state, tx, model);
}

/** createoradjust: a new code is created; an existing one (not locked) is replaced with its version increased. */
function createOrAdjust(state: AvaTaxState, body: Json | undefined): Json {
  const model = body?.createTransactionModel as Json | undefined;
  if (!model || typeof model !== 'object')
    throw new AvaTaxError(
      'ModelRequiredException',
      'Your request must include a model of type CreateOrAdjustTransactionModel.',
    );
  const companyCode = companyOf(state, model.companyCode);
  const tx = computeTransaction(state, model, companyCode);
  const existing = state.transactions.get(state.key(companyCode, tx.type, tx.code));
  if (existing) {
    if (existing.locked)
      throw new AvaTaxError(
        'CannotModifyLockedTransaction',
        `Transaction ${tx.code} is locked (reported on a filed return).`,
      );
    tx.version = existing.version + 1;
    tx.adjustmentReason = 'Other';
    tx.adjustmentDescription = 'createoradjust';
  }
  return store(state, tx, model);
}

function findTransaction(
  state: AvaTaxState,
  companyCode: string,
  code: string,
  type = 'SalesInvoice',
): StoredTransaction {
  const tx = state.transactions.get(state.key(companyCode, type, code));
  if (!tx)
    throw new AvaTaxError(
      'EntityNotFoundError',
      `Transaction ${code} (${type}) not found.`,
      'IncorrectData',
      'transactionCode',
    );
  return tx;
}

const REFUND_TYPES = new Set(['Full', 'Partial', 'TaxOnly', 'Percentage']);

/** refund: a ReturnInvoice reversing (part of) the original sale, committed, dated refundDate. */
function refund(
  state: AvaTaxState,
  companyCode: string,
  code: string,
  documentType: string,
  body: Json | undefined,
): Json {
  if (!body || typeof body !== 'object')
    throw new AvaTaxError(
      'ModelRequiredException',
      'Your request must include a model of type RefundTransactionModel.',
    );
  body = { ...body, refundType: enumName(body.refundType, REFUND_TYPE_NAMES) };
  const refundDate = isoDate(body.refundDate);
  if (!refundDate)
    throw new AvaTaxError('ValueRequiredError', 'The field refundDate is required.', 'IncorrectData', 'refundDate');
  if (!REFUND_TYPES.has(body.refundType as string))
    throw new AvaTaxError(
      'ValueRequiredError',
      'The field refundType is required (Full, Partial, TaxOnly, Percentage).',
      'IncorrectData',
      'refundType',
    );
  if (typeof body.refundTransactionCode !== 'string' || !body.refundTransactionCode)
    throw new AvaTaxError(
      'ValueRequiredError',
      'The field refundTransactionCode is required.',
      'IncorrectData',
      'refundTransactionCode',
    );
  const stored = findTransaction(state, companyCode, code, documentType);
  // Only committed documents are permanent, so only they can be refunded.
  if (stored.status !== 'Committed')
    throw new AvaTaxError(
      'InvalidDocumentStatusForRefund',
      `The document status is ${stored.status}, we can only process refund on committed document.`,
    );
  const original = materialize(state, stored);
  const refundCode: string = body.refundTransactionCode;
  const existing = state.transactions.get(state.key(companyCode, 'ReturnInvoice', refundCode));
  if (existing && existing.status !== 'Cancelled')
    throw new AvaTaxError(
      'DocumentCodeConflict',
      `Duplicate document code ${refundCode} for company ${companyCode}.`,
      'IncorrectData',
      'refundTransactionCode',
    );
  let lines = original.lines as Json[];
  if (body.refundType === 'Partial') {
    const wanted = new Set(((body.refundLines as unknown[]) ?? []).map(String));
    if (wanted.size === 0)
      throw new AvaTaxError(
        'ValueRequiredError',
        'A Partial refund needs refundLines.',
        'IncorrectData',
        'refundLines',
      );
    lines = lines.filter((l) => wanted.has(String(l.lineNumber)));
    if (lines.length !== wanted.size)
      throw new AvaTaxError(
        'EntityNotFoundError',
        'A refund line is not a line of the original transaction.',
        'IncorrectData',
        'refundLines',
      );
  }
  const share = body.refundType === 'Percentage' ? Number(body.refundPercentage) / 100 : 1;
  if (!(share > 0 && share <= 1))
    throw new AvaTaxError(
      'RangeError',
      'refundPercentage must be between 0 and 100.',
      'IncorrectData',
      'refundPercentage',
    );
  const model = {
    type: 'ReturnInvoice',
    code: refundCode,
    companyCode,
    date: refundDate,
    customerCode: original.customerCode,
    entityUseCode: original.entityUseCode || undefined,
    referenceCode: body.referenceCode ?? original.code,
    commit: true,
    addresses: Object.fromEntries((original.addresses as Json[]).map((a) => [a.addressType, a])),
    lines: lines.map((l) => ({
      number: l.lineNumber,
      quantity: l.quantity,
      amount: body.refundType === 'TaxOnly' ? 0 : -round2(Math.abs(l.lineAmount as number) * share),
      taxCode: l.taxCode,
      itemCode: l.itemCode,
      description: l.description,
    })),
  };
  return store(state, computeTransaction(state, model, companyCode), model);
}

const LIST_MAX_TOP = 1000;

function listTransactions(state: AvaTaxState, companyCode: string, query: express.Request['query']): Json {
  if (query.$filter !== undefined)
    throw new AvaTaxError('RangeError', 'The emulator does not evaluate $filter.', 'IncorrectData', '$filter');
  const whole = (v: unknown, name: string, fallback: number): number => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new AvaTaxError('RangeError', `${name} must be a whole number.`, 'IncorrectData', name);
    return n;
  };
  const top = Math.min(whole(query.$top, '$top', LIST_MAX_TOP), LIST_MAX_TOP);
  const skip = whole(query.$skip, '$skip', 0);
  const include = typeof query.$include === 'string' ? query.$include : '';
  const withLines = include.split(',').some((s) => s.trim().toLowerCase() === 'lines');
  const all = [...state.transactions.values()].filter((t) => t.companyCode === companyCode);
  const value = all.slice(skip, skip + top).map((t) => {
    const tx = materialize(state, t);
    if (!withLines) delete tx.lines;
    return tx;
  });
  return {
    '@recordsetCount': all.length,
    value,
    ...(skip + top < all.length
      ? { '@nextLink': `/api/v2/companies/${companyCode}/transactions?$top=${top}&$skip=${skip + top}` }
      : {}),
  };
}

/** Basic accountId:licenseKey (docs: https://developer.avalara.com/avatax/authentication-in-avatax/). */
function authenticate(opts: AvaTaxEmulatorOptions, header: string | undefined): boolean {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  return decoded === `${opts.accountId}:${opts.licenseKey}`;
}

export function createAvaTaxApp(
  opts: AvaTaxEmulatorOptions,
  state: AvaTaxState,
  log: CallLog,
  gate = new RequestGate(),
): express.Express {
  const app = express();
  app.use(
    '/__admin',
    adminRoutes(
      log,
      () => state.summary(),
      () => state.transactions.clear(),
      gate,
    ),
  );
  const api = express.Router();
  api.use(callLogger(log));
  api.use(
    jsonBody((res) =>
      sendError(res, new AvaTaxError('ModelRequiredException', 'The request body is not valid JSON.', 'HttpRequest')),
    ),
  );
  // After the body is read: a held request runs once released even if its caller is gone.
  api.use(gate.middleware());
  // ping never fails: it reports whether the credentials authenticated.
  api.get('/utilities/ping', (req, res) => {
    const ok = authenticate(opts, req.headers.authorization);
    res.json({
      version: '26.9.0-emulator',
      authenticated: ok,
      authenticationType: ok ? 'AccountIdLicenseKey' : 'None',
      authenticatedUserName: ok ? opts.accountId : null,
      authenticatedUserId: ok ? 1 : null,
      authenticatedAccountId: ok ? Number(opts.accountId) || 1 : null,
      authenticatedCompanyId: null,
      crmid: null,
    });
  });
  api.use((req, res, next) => {
    if (authenticate(opts, req.headers.authorization)) return next();
    sendError(
      res,
      new AvaTaxError(
        'AuthenticationException',
        'Authentication failed. Missing or invalid Authorization header.',
        'HttpRequestHeaders',
      ),
    );
  });
  const handle =
    (fn: (req: express.Request) => Json) =>
    (req: express.Request, res: express.Response): void => {
      try {
        res.json(fn(req));
      } catch (err) {
        if (err instanceof AvaTaxError) sendError(res, err);
        else throw err;
      }
    };
  const docType = (req: express.Request) =>
    typeof req.query.documentType === 'string' ? req.query.documentType : 'SalesInvoice';
  api.post(
    '/transactions/create',
    handle((req) => createTransaction(state, req.body as Json)),
  );
  api.post(
    '/transactions/createoradjust',
    handle((req) => createOrAdjust(state, req.body as Json)),
  );
  // ListTransactionsByCompany (https://developer.avalara.com/api-reference/avatax/rest/v2/methods/Transactions/ListTransactionsByCompany/):
  // a FetchResult of the company's transactions, oldest first, paged by $top (at most 1000) and $skip; lines only with
  // $include=Lines. $filter is not emulated: asked for, it is refused rather than ignored.
  api.get(
    '/companies/:companyCode/transactions',
    handle((req) => listTransactions(state, companyOf(state, req.params.companyCode), req.query)),
  );
  api.get(
    '/companies/:companyCode/transactions/:transactionCode',
    handle((req) =>
      materialize(
        state,
        findTransaction(
          state,
          companyOf(state, req.params.companyCode),
          String(req.params.transactionCode),
          docType(req),
        ),
      ),
    ),
  );
  api.post(
    '/companies/:companyCode/transactions/:transactionCode/commit',
    handle((req) => {
      const tx = findTransaction(
        state,
        companyOf(state, req.params.companyCode),
        String(req.params.transactionCode),
        docType(req),
      );
      if (tx.locked) throw new AvaTaxError('CannotModifyLockedTransaction', `Transaction ${tx.code} is locked.`);
      if ((req.body as Json | undefined)?.commit === true) tx.status = 'Committed';
      return materialize(state, tx);
    }),
  );
  api.post(
    '/companies/:companyCode/transactions/:transactionCode/void',
    handle((req) => {
      const tx = findTransaction(
        state,
        companyOf(state, req.params.companyCode),
        String(req.params.transactionCode),
        docType(req),
      );
      const code = (req.body as Json | undefined)?.code as string | undefined;
      if (!code || !['Unspecified', 'PostFailed', 'DocDeleted', 'DocVoided', 'AdjustmentCancelled'].includes(code))
        throw new AvaTaxError(
          'ValueRequiredError',
          'The field code (VoidReasonCode) is required.',
          'IncorrectData',
          'code',
        );
      if (tx.locked) throw new AvaTaxError('CannotModifyLockedTransaction', `Transaction ${tx.code} is locked.`);
      tx.status = 'Cancelled';
      return materialize(state, tx);
    }),
  );
  api.post(
    '/companies/:companyCode/transactions/:transactionCode/refund',
    handle((req) =>
      refund(
        state,
        companyOf(state, req.params.companyCode),
        String(req.params.transactionCode),
        docType(req),
        req.body as Json,
      ),
    ),
  );
  api.use((req, res) =>
    sendError(res, new AvaTaxError('EntityNotFoundError', `No API at ${req.method} ${req.path}.`, 'HttpRequest')),
  );
  app.use('/api/v2', api);
  // Tests lock a transaction as if Avalara had filed it (Managed Returns), to see CannotModifyLockedTransaction.
  app.post('/__admin/lock/:companyCode/:code', (req, res) => {
    const tx = state.transactions.get(state.key(req.params.companyCode, 'SalesInvoice', req.params.code));
    if (!tx) return void res.status(404).json({ ok: false });
    tx.locked = true;
    res.json({ ok: true });
  });
  return app;
}

export async function startAvaTaxEmulator(opts: AvaTaxEmulatorOptions): Promise<RunningAvaTaxEmulator> {
  const state = new AvaTaxState(opts.companies ?? ['DEFAULT']);
  const running = await listenEmulator(createAvaTaxApp(opts, state, new CallLog()), opts.port, opts.host);
  return { ...running, state };
}
