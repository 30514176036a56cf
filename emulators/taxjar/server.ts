/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   Request bodies are arbitrary JSON here, checked field by field as the real API checks them. */
/**
 * A local emulator of the TaxJar API v2 endpoints the product calls (docs/tax-engines-sources.md cites each published
 * page): POST /v2/taxes with its `breakdown`, the order and refund transactions (create, show, update, delete), and
 * the nexus regions. `Authorization: Bearer <key>` (or `Token token="<key>"`), errors as `{error, detail, status}`,
 * 406 for blank required transaction fields, 422 when a transaction_id already exists, the 2020-08-07 amount check
 * (amount = line items + shipping) when that API version applies. Money in transaction responses comes back as
 * strings ("17.0"), as in TaxJar's documented samples. Tax from the synthetic table in emulators/taxRates/table.ts.
 */
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
import { combinedRate, round2, SEEDED_ZIP_RATES, zipRate, type ZipRate } from '../taxRates/table';

export interface TaxJarEmulatorOptions {
  port?: number;
  host?: string;
  apiKey: string;
  /** States the account has nexus in (default: every seeded state with a sales tax). */
  nexusStates?: string[];
  /** The account's default x-api-version (accounts opened from 2021-07-01 on: 2020-08-07). */
  defaultApiVersion?: string;
}

export interface RunningTaxJarEmulator extends RunningTaxEmulator {
  state: TaxJarState;
}

type Json = Record<string, any>;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  406: 'Not Acceptable',
  422: 'Unprocessable Entity',
};

class TaxJarError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export class TaxJarState {
  readonly orders = new Map<string, Json>();
  readonly refunds = new Map<string, Json>();
  summary() {
    const list = (m: Map<string, Json>) =>
      [...m.values()].map((t) => ({
        transaction_id: t.transaction_id,
        transaction_reference_id: t.transaction_reference_id ?? null,
        amount: t.amount,
        sales_tax: t.sales_tax,
        version: t.version,
      }));
    return { orders: list(this.orders), refunds: list(this.refunds) };
  }
}

const money = (v: number): string => {
  const s = String(round2(v));
  return s.includes('.') ? s : `${s}.0`;
};
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const blank = (v: unknown) => v === undefined || v === null || v === '';
const lineTotal = (l: Json) => Number(l.unit_price ?? 0) * Number(l.quantity ?? 1) - Number(l.discount ?? 0);

/** Rates for a destination, checking the ZIP belongs to the state (TaxJar answers 400 on a mismatch). */
function destination(body: Json): ZipRate {
  const zip = String(body.to_zip ?? '');
  const rates = zipRate(zip);
  if (!rates)
    throw new TaxJarError(
      400,
      `to_zip ${zip} is not a valid ZIP code (the emulator seeds ${SEEDED_ZIP_RATES.length} ZIPs)`,
    );
  if (rates.state !== String(body.to_state).toUpperCase())
    throw new TaxJarError(400, `to_zip ${zip} is not used within to_state ${String(body.to_state)}`);
  return rates;
}

/** POST /v2/taxes: the tax to collect with its breakdown by jurisdiction and line. */
function taxForOrder(opts: TaxJarEmulatorOptions, body: Json): Json {
  for (const f of ['to_country', 'shipping']) if (blank(body[f])) throw new TaxJarError(406, `${f} is missing`);
  if (body.to_country !== 'US') throw new TaxJarError(400, 'the emulator computes US orders only');
  for (const f of ['to_zip', 'to_state'])
    if (blank(body[f])) throw new TaxJarError(406, `${f} is missing, required when to_country is US`);
  if (blank(body.amount) && !Array.isArray(body.line_items))
    throw new TaxJarError(406, 'amount or line_items is required');
  const rates = destination(body);
  const lines: Json[] = Array.isArray(body.line_items) ? body.line_items : [];
  const amount = lines.length ? round2(lines.reduce((s, l) => s + lineTotal(l), 0)) : Number(body.amount);
  const shipping = Number(body.shipping);
  const nexus = (
    opts.nexusStates ?? SEEDED_ZIP_RATES.filter((r) => r.jurisdictions.length).map((r) => r.state)
  ).includes(rates.state);
  const exemption = body.exemption_type as string | undefined;
  // marketplace: the facilitator collects (every seeded state with a sales tax has a facilitator law in force).
  const exempt = exemption !== undefined && exemption !== 'non_exempt';
  const exemptionType = exemption === 'marketplace' && rates.jurisdictions.length === 0 ? null : (exemption ?? null);
  const rateOf = (type: string) =>
    round2Rate(rates.jurisdictions.filter((j) => j.type === type).reduce((s, j) => s + j.rate, 0));
  const combined = combinedRate(rates);
  const base = {
    order_total_amount: round2(amount + shipping),
    shipping,
    freight_taxable: rates.freightTaxable,
    tax_source: 'destination',
    exemption_type: exemptionType,
    jurisdictions: { country: 'US', state: rates.state, county: rates.county, city: rates.city },
  };
  if (!nexus || exempt || rates.jurisdictions.length === 0)
    return { tax: { ...base, taxable_amount: 0, amount_to_collect: 0, rate: 0, has_nexus: nexus } };
  const shippingTaxable = rates.freightTaxable ? shipping : 0;
  const items = lines.map((l) => {
    const taxable = l.product_tax_code === '99999' ? 0 : round2(lineTotal(l));
    const part = (type: string) => round2(taxable * rateOf(type));
    return {
      id: String(l.id ?? ''),
      taxable_amount: taxable,
      tax_collectable: round2(part('State') + part('County') + part('City') + part('Special')),
      combined_tax_rate: taxable ? combined : 0,
      state_taxable_amount: taxable,
      state_sales_tax_rate: rateOf('State'),
      state_amount: part('State'),
      county_taxable_amount: taxable,
      county_tax_rate: rateOf('County'),
      county_amount: part('County'),
      city_taxable_amount: taxable,
      city_tax_rate: rateOf('City'),
      city_amount: part('City'),
      special_district_taxable_amount: taxable,
      special_tax_rate: rateOf('Special'),
      special_district_amount: part('Special'),
    };
  });
  const itemsTaxable = lines.length ? round2(items.reduce((s, i) => s + i.taxable_amount, 0)) : amount;
  const taxable = round2(itemsTaxable + shippingTaxable);
  const AMOUNT = {
    State: 'state_amount',
    County: 'county_amount',
    City: 'city_amount',
    Special: 'special_district_amount',
  };
  const collectable = (type: keyof typeof AMOUNT) => {
    const items_ = lines.length
      ? items.reduce((s, i) => s + (i as Json)[AMOUNT[type]], 0)
      : round2(itemsTaxable * rateOf(type));
    return round2(items_ + round2(shippingTaxable * rateOf(type)));
  };
  const total = round2(collectable('State') + collectable('County') + collectable('City') + collectable('Special'));
  const breakdown: Json = {
    taxable_amount: taxable,
    tax_collectable: total,
    combined_tax_rate: combined,
    state_taxable_amount: taxable,
    state_tax_rate: rateOf('State'),
    state_tax_collectable: collectable('State'),
    county_taxable_amount: taxable,
    county_tax_rate: rateOf('County'),
    county_tax_collectable: collectable('County'),
    city_taxable_amount: taxable,
    city_tax_rate: rateOf('City'),
    city_tax_collectable: collectable('City'),
    special_district_taxable_amount: taxable,
    special_tax_rate: rateOf('Special'),
    special_district_tax_collectable: collectable('Special'),
    line_items: items,
  };
  if (shippingTaxable) {
    breakdown.shipping = {
      taxable_amount: shippingTaxable,
      tax_collectable: round2(shippingTaxable * combined),
      combined_tax_rate: combined,
      state_taxable_amount: shippingTaxable,
      state_sales_tax_rate: rateOf('State'),
      state_amount: round2(shippingTaxable * rateOf('State')),
      county_taxable_amount: shippingTaxable,
      county_tax_rate: rateOf('County'),
      county_amount: round2(shippingTaxable * rateOf('County')),
      city_taxable_amount: shippingTaxable,
      city_tax_rate: rateOf('City'),
      city_amount: round2(shippingTaxable * rateOf('City')),
      special_taxable_amount: shippingTaxable,
      special_tax_rate: rateOf('Special'),
      special_district_amount: round2(shippingTaxable * rateOf('Special')),
    };
  }
  return {
    tax: { ...base, taxable_amount: taxable, amount_to_collect: total, rate: combined, has_nexus: true, breakdown },
  };
}

const round2Rate = (v: number) => Math.round(v * 1e6) / 1e6;

const ID = /^[A-Za-z0-9_-]+$/;

/** Validates a transaction body (create: every required field; update: those given) and returns the stored form. */
function transactionRecord(body: Json, kind: 'order' | 'refund', apiVersion: string, partial: Json | undefined): Json {
  const merged = { ...(partial ?? {}), ...body };
  const required = [
    'transaction_id',
    'transaction_date',
    'to_country',
    'to_zip',
    'to_state',
    'amount',
    'shipping',
    'sales_tax',
  ];
  if (kind === 'refund') required.push('transaction_reference_id');
  for (const f of required) if (blank(merged[f])) throw new TaxJarError(406, `${f} is missing`);
  if (!ID.test(String(merged.transaction_id)))
    throw new TaxJarError(400, 'transaction_id may contain only letters, digits, underscores and dashes');
  if (Number.isNaN(Date.parse(String(merged.transaction_date))))
    throw new TaxJarError(400, `transaction_date ${String(merged.transaction_date)} is not a date`);
  for (const f of ['amount', 'shipping', 'sales_tax'])
    if (!isNumber(Number(merged[f]))) throw new TaxJarError(400, `${f} must be a number`);
  destination(merged);
  const lines: Json[] = Array.isArray(merged.line_items) ? merged.line_items : [];
  for (const l of lines) {
    if (blank(l.sales_tax))
      throw new TaxJarError(406, 'line_items[].sales_tax is missing, required when line_items are given');
    if (typeof l.description === 'string' && l.description.length > 255)
      throw new TaxJarError(400, 'line_items[].description is longer than 255 characters');
  }
  // API version 2020-08-07 and later: amount must equal the line items plus shipping (sign aside: refunds).
  if (apiVersion >= '2020-08-07' && lines.length) {
    const expected = round2(Math.abs(lines.reduce((s, l) => s + lineTotal(l), 0)) + Math.abs(Number(merged.shipping)));
    if (round2(Math.abs(Number(merged.amount))) !== expected)
      throw new TaxJarError(
        400,
        `amount ${String(merged.amount)} does not equal the line items plus shipping (${expected})`,
      );
  }
  const marketplaceNull =
    merged.exemption_type === 'marketplace' && zipRate(String(merged.to_zip))?.jurisdictions.length === 0;
  return {
    transaction_id: String(merged.transaction_id),
    user_id: 10649,
    transaction_date: String(merged.transaction_date),
    ...(kind === 'refund' ? { transaction_reference_id: String(merged.transaction_reference_id) } : {}),
    provider: merged.provider ?? 'api',
    exemption_type: marketplaceNull ? null : (merged.exemption_type ?? null),
    from_country: merged.from_country ?? null,
    from_zip: merged.from_zip ?? null,
    from_state: merged.from_state ?? null,
    from_city: merged.from_city ?? null,
    from_street: merged.from_street ?? null,
    to_country: merged.to_country,
    to_zip: merged.to_zip,
    to_state: merged.to_state,
    to_city: merged.to_city ?? null,
    to_street: merged.to_street ?? null,
    amount: money(Number(merged.amount)),
    shipping: money(Number(merged.shipping)),
    sales_tax: money(Number(merged.sales_tax)),
    line_items: lines.map((l) => ({
      id: String(l.id ?? ''),
      quantity: Number(l.quantity ?? 1),
      product_identifier: l.product_identifier ?? null,
      product_tax_code: l.product_tax_code ?? null,
      description: l.description ?? null,
      unit_price: money(Number(l.unit_price ?? 0)),
      discount: money(Number(l.discount ?? 0)),
      sales_tax: money(Number(l.sales_tax)),
    })),
  };
}

/** `Authorization: Bearer <key>` or `Token token="<key>"` (https://developers.taxjar.com/api/reference/#authentication). */
function authenticated(apiKey: string, header: string | undefined): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '') ?? /^Token token="?([^"\s]+)"?$/i.exec(header ?? '');
  return m?.[1] === apiKey;
}

export function createTaxJarApp(
  opts: TaxJarEmulatorOptions,
  state: TaxJarState,
  log: CallLog,
  gate = new RequestGate(),
): express.Express {
  const app = express();
  app.use(
    '/__admin',
    adminRoutes(
      log,
      () => state.summary(),
      () => {
        state.orders.clear();
        state.refunds.clear();
      },
      gate,
    ),
  );
  const api = express.Router();
  const fail = (res: express.Response, status: number, detail: string) =>
    void res.status(status).json({ error: STATUS_TEXT[status] ?? 'Error', detail, status });
  api.use(callLogger(log));
  api.use((req, res, next) => {
    if (authenticated(opts.apiKey, req.headers.authorization)) return next();
    fail(res, 401, `Not authorized for route '${req.method} /v2${req.path}'`);
  });
  api.use(
    ((req, res, next) => {
      // TaxJar takes JSON bodies only: form-encoded arrays are refused with 406.
      if (req.method !== 'GET' && req.method !== 'DELETE' && !req.is('application/json'))
        return fail(res, 406, 'Request body must be JSON (Content-Type: application/json)');
      next();
    }) as express.RequestHandler,
    ...jsonBody((res) => fail(res, 400, 'The request body is not valid JSON')),
  );
  // After the body is read: a held request runs once released even if its caller is gone.
  api.use(gate.middleware());
  const handle =
    (fn: (req: express.Request) => Json) =>
    (req: express.Request, res: express.Response): void => {
      try {
        res.json(fn(req));
      } catch (err) {
        if (err instanceof TaxJarError) fail(res, err.status, err.detail);
        else throw err;
      }
    };
  const version = (req: express.Request) =>
    (typeof req.headers['x-api-version'] === 'string' ? req.headers['x-api-version'] : undefined) ??
    opts.defaultApiVersion ??
    '2020-08-07';
  api.post(
    '/taxes',
    handle((req) => taxForOrder(opts, (req.body as Json) ?? {})),
  );
  api.get(
    '/nexus/regions',
    handle(() => ({
      regions: [
        ...new Set(opts.nexusStates ?? SEEDED_ZIP_RATES.filter((r) => r.jurisdictions.length).map((r) => r.state)),
      ]
        .sort()
        .map((s) => ({ country_code: 'US', country: 'United States', region_code: s, region: s })),
    })),
  );
  for (const kind of ['order', 'refund'] as const) {
    const table = kind === 'order' ? state.orders : state.refunds;
    const path = `/transactions/${kind}s`;
    const wrap = (t: Json) => ({ [kind]: t });
    const find = (id: string) => {
      const t = table.get(id);
      if (!t) throw new TaxJarError(404, 'Resource can not be found');
      return t;
    };
    api.get(
      path,
      handle(() => ({ [`${kind}s`]: [...table.keys()] })),
    );
    api.post(
      path,
      handle((req) => {
        const body = (req.body as Json) ?? {};
        if (!blank(body.transaction_id) && table.has(String(body.transaction_id)))
          throw new TaxJarError(422, 'Provider tranx already imported for your user account');
        const record: Json = { ...transactionRecord(body, kind, version(req), undefined), version: 1 };
        table.set(record.transaction_id, record);
        return wrap(record);
      }),
    );
    api.get(
      `${path}/:transaction_id`,
      handle((req) => wrap(find(String(req.params.transaction_id)))),
    );
    api.put(
      `${path}/:transaction_id`,
      handle((req) => {
        const id = String(req.params.transaction_id);
        const existing = find(id);
        const record = {
          ...transactionRecord(
            { ...(req.body as Json), transaction_id: id },
            kind,
            version(req),
            numericFields(existing),
          ),
          version: (existing.version as number) + 1,
        };
        table.set(id, record);
        return wrap(record);
      }),
    );
    api.delete(
      `${path}/:transaction_id`,
      handle((req) => {
        const id = String(req.params.transaction_id);
        const existing = find(id);
        table.delete(id);
        return wrap({ ...existing, amount: null, shipping: null, sales_tax: null, line_items: [] });
      }),
    );
  }
  api.use((req, res) => fail(res, 404, `No route ${req.method} /v2${req.path}`));
  app.use('/v2', api);
  return app;
}

/** A stored record (money as strings) back in request form, for an update that gives some fields only. */
function numericFields(record: Json): Json {
  return {
    ...record,
    amount: Number(record.amount),
    shipping: Number(record.shipping),
    sales_tax: Number(record.sales_tax),
    line_items: (record.line_items as Json[]).map((l) => ({
      ...l,
      unit_price: Number(l.unit_price),
      discount: Number(l.discount),
      sales_tax: Number(l.sales_tax),
    })),
  };
}

export async function startTaxJarEmulator(opts: TaxJarEmulatorOptions): Promise<RunningTaxJarEmulator> {
  const state = new TaxJarState();
  const running = await listenEmulator(createTaxJarApp(opts, state, new CallLog()), opts.port, opts.host);
  return { ...running, state };
}
