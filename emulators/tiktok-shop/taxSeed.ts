// POST /__admin/tax/seed (issue 20): a month of orders of one shop across states, settled through the Finance API,
// with what the monthly tax report must find PLANTED, and an answer that lists what was planted — built while
// planting, never by running the report:
// - a state (WA) crossing $100,000 of gross sales on the 15th (cumulative from the 1st; no earlier sales seeded);
// - FBT stock arriving in a Texas FBT warehouse on the 12th (TX orders from then on are FULFILLMENT_BY_TIKTOK);
// - refunds in this month of orders paid in the previous month (CA);
// - creator samples (`is_sample_order`, NY);
// - one line over-charged and one under-charged against the emulators' synthetic rate table
//   (emulators/taxRates/table.ts). TikTok's charge elsewhere is round2((original − seller discount) × combined rate):
//   the platform-funded discount stays in the base (a conservative reading; the reference marks it unverified).
// Times: paid at 15:00 UTC (the same calendar day in every US time zone), delivered 3 days later, settled 10 days
// after payment; a settlement after the emulator's "now" stays unsettled (Get Unsettled Transactions).
import { combinedRate, round2, zipRate } from '../taxRates/table';
import { computeSla } from './orders';
import type { Platform } from './platform';
import { AdminError } from './platform';
import type { LineItem, Order } from './state';

const DAY_MS = 24 * 3600 * 1000;
const PAID_HOUR_UTC = 15;

interface Place {
  state: string;
  stateName: string;
  city: string;
  zip: string;
}

const PLACES: Record<string, Place> = {
  CA: { state: 'CA', stateName: 'California', city: 'Los Angeles', zip: '90012' },
  TX: { state: 'TX', stateName: 'Texas', city: 'Austin', zip: '78701' },
  NY: { state: 'NY', stateName: 'New York', city: 'New York', zip: '10001' },
  FL: { state: 'FL', stateName: 'Florida', city: 'Miami', zip: '33131' },
  WA: { state: 'WA', stateName: 'Washington', city: 'Seattle', zip: '98101' },
};

export interface TaxSeedInput {
  shopId: string;
  /** 'YYYY-MM'; default: the month before the emulator's business clock. */
  month?: string;
  /**
   * Extra orders of two kettles each (two sale lines), round-robin over the five places and spread evenly over the
   * month: volume for the Finance import benchmark (bench/taxImport.ts). Counted in the gross and line figures of the
   * answer; the threshold and nexus answers do not account for them.
   */
  bulkOrders?: number;
}

export interface PlantedTaxCharge {
  kind: 'over' | 'under';
  orderId: string;
  lineId: string;
  state: string;
  zip: string;
  expected: string;
  charged: string;
  difference: string;
}

export interface TaxSeedAnswer {
  shopId: string;
  month: string;
  orders: number;
  /** Sale lines paid in the month (samples excluded). */
  saleLines: number;
  /** Per state: Σ original price of the month's sale lines (before discounts; refunds and samples excluded). */
  expectedGross: Record<string, string>;
  /** Per state: Σ item tax + shipping tax TikTok charged on the month's sales. */
  chargedTax: Record<string, string>;
  threshold: { state: string; amount: string; basis: string; crossingDay: string };
  fbt: { state: string; warehouseId: string; arrivalDay: string; units: number };
  refunds: {
    orderId: string;
    lineId: string;
    state: string;
    paidDay: string;
    refundDay: string;
    gross: string;
    tax: string;
  }[];
  samples: { orderId: string; lineId: string; state: string; day: string; value: string }[];
  taxCharges: PlantedTaxCharge[];
  taxBase: string;
}

const money = (n: number): string => n.toFixed(2);
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function previousMonth(nowMs: number): string {
  const d = new Date(nowMs);
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  return m.toISOString().slice(0, 7);
}

export function seedTaxMonth(p: Platform, input: TaxSeedInput): TaxSeedAnswer {
  const shop = p.state.shops.get(input.shopId);
  if (!shop) throw new AdminError(404, `unknown shop ${input.shopId}`);
  const month = input.month ?? previousMonth(p.clock.now());
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new AdminError(400, 'month must be YYYY-MM');
  const monthStart = Date.parse(`${month}-01T00:00:00Z`);
  const prevStart = Date.parse(`${previousMonth(monthStart)}-01T00:00:00Z`);
  const fin = p.state.taxFinance;
  const answer: TaxSeedAnswer = {
    shopId: shop.id,
    month,
    orders: 0,
    saleLines: 0,
    expectedGross: {},
    chargedTax: {},
    threshold: { state: 'WA', amount: '100000.00', basis: 'gross sales from the 1st of the month', crossingDay: '' },
    fbt: { state: 'TX', warehouseId: '', arrivalDay: isoDay(monthStart + 11 * DAY_MS), units: 500 },
    refunds: [],
    samples: [],
    taxCharges: [],
    taxBase: 'original_price - seller_discount (platform discount taxable)',
  };

  // FBT: a Texas warehouse receives 500 units on the 12th, ships 20 on the 20th.
  const fbtId = p.state.newId('74');
  answer.fbt.warehouseId = fbtId;
  fin.fbtWarehouses.push({
    shopId: shop.id,
    id: fbtId,
    name: 'FBT Dallas',
    state: 'TX',
    city: 'Dallas',
    postalCode: '75241',
  });
  const arrival = monthStart + 11 * DAY_MS + 9 * 3600 * 1000;
  fin.inventory.push(
    {
      shopId: shop.id,
      warehouseId: fbtId,
      goodsId: 'G-KETTLE',
      goodsName: 'Tea Kettle',
      createTime: arrival / 1000,
      before: 0,
      after: 500,
      orderType: 'INBOUND',
      orderId: p.state.newId('75'),
    },
    {
      shopId: shop.id,
      warehouseId: fbtId,
      goodsId: 'G-KETTLE',
      goodsName: 'Tea Kettle',
      createTime: (arrival + 8 * DAY_MS) / 1000,
      before: 500,
      after: 480,
      orderType: 'OUTBOUND',
      orderId: p.state.newId('75'),
    },
  );

  const place = (
    state: string,
    paidMs: number,
    units: { original: number; sellerDiscount: number; platformDiscount: number }[],
    opts: { shipping?: number; sample?: boolean; fbt?: boolean } = {},
  ): Order => {
    const where = PLACES[state]!;
    const rate = zipRate(where.zip);
    const r = rate ? combinedRate(rate) : 0;
    const lineItems: LineItem[] = units.map((u) => {
      const tax = opts.sample ? 0 : round2((u.original - u.sellerDiscount) * r);
      return {
        id: p.state.newId('57'),
        skuId: u.original > 100 ? 'SKU-ESPRESSO' : 'SKU-KETTLE',
        productId: u.original > 100 ? 'P-ESPRESSO' : 'P-KETTLE',
        productName: u.original > 100 ? 'Espresso Machine' : 'Tea Kettle',
        skuName: 'Default',
        sellerSku: u.original > 100 ? 'ESP-1' : 'KET-1',
        salePrice: money(u.original - u.sellerDiscount - u.platformDiscount),
        currency: 'USD',
        warehouseId: opts.fbt ? fbtId : 'W-SELLER',
        packageId: null,
        cancelled: false,
        cancelUser: null,
        cancelReason: null,
        rtsTime: paidMs + DAY_MS,
        refunded: false,
        tax: {
          originalPrice: money(u.original),
          sellerDiscount: money(u.sellerDiscount),
          platformDiscount: money(u.platformDiscount),
          itemTax: money(tax),
          taxRate: String(r),
        },
      };
    });
    const shipping = opts.shipping ?? 0;
    const delivered = paidMs + 3 * DAY_MS;
    const createTime = paidMs - 5 * 60 * 1000;
    const order: Order = {
      id: p.state.newId('57'),
      shopId: shop.id,
      status: delivered <= p.clock.now() ? 'COMPLETED' : 'IN_TRANSIT',
      buyerUserId: p.state.newId('70'),
      buyerEmail: `v${p.state.randomToken(12).toLowerCase()}@scs.tiktokw.us`,
      buyerMessage: '',
      shippingType: 'TIKTOK',
      warehouseId: lineItems[0]!.warehouseId,
      deliveryOptionId: '7208502187360519982',
      createTime,
      updateTime: Math.min(delivered, p.clock.now()),
      paidTime: paidMs,
      rtsTime: paidMs + DAY_MS,
      collectionTime: paidMs + DAY_MS,
      deliveryTime: delivered <= p.clock.now() ? delivered : null,
      cancelTime: null,
      requestCancelTime: null,
      cancelReason: null,
      cancellationInitiator: null,
      isBuyerRequestCancel: false,
      sampleOrder: opts.sample === true,
      lateDispatch: false,
      sla: computeSla(p.clock.rules, createTime),
      lineItems,
      packageIds: [],
      address: {
        name: 'Tax Buyer',
        phoneNumber: '(+1)213-555-1234',
        addressLine1: '1 Market St',
        city: where.city,
        state: where.stateName,
        postalCode: where.zip,
        regionCode: 'US',
      },
      shippingFee: money(shipping),
      externalOrders: [],
      transitions: [],
      awaitingShipmentAt: null,
      shippingFeeTax: money(rate?.freightTaxable && !opts.sample ? round2(shipping * r) : 0),
      fulfillmentType: opts.fbt ? 'FULFILLMENT_BY_TIKTOK' : 'FULFILLMENT_BY_SELLER',
    };
    p.state.orders.set(order.id, order);
    answer.orders += 1;
    const settleMs = paidMs + 10 * DAY_MS;
    if (settleMs + DAY_MS <= p.clock.now()) {
      fin.settlements.push({
        shopId: shop.id,
        orderId: order.id,
        day: isoDay(settleMs),
        kind: 'sale',
        lineIds: lineItems.map((l) => l.id),
      });
    } else fin.unsettled.push({ shopId: shop.id, orderId: order.id });
    return order;
  };

  const count = (state: string, order: Order) => {
    if (order.paidTime === null || order.paidTime < monthStart || order.sampleOrder) return;
    let gross = 0;
    let tax = Number(order.shippingFeeTax ?? '0');
    for (const li of order.lineItems) {
      gross += Number(li.tax!.originalPrice);
      tax += Number(li.tax!.itemTax);
      answer.saleLines += 1;
    }
    answer.expectedGross[state] = money(Number(answer.expectedGross[state] ?? '0') + gross);
    answer.chargedTax[state] = money(Number(answer.chargedTax[state] ?? '0') + tax);
  };

  const start = new Date(monthStart);
  const lastDay = Math.round((Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) - monthStart) / DAY_MS);

  // Refunds: three CA orders paid on the previous month's 20th, one unit of each refunded on this month's 8th.
  const refundDay = isoDay(monthStart + 7 * DAY_MS);
  for (let i = 0; i < 3; i++) {
    const paid = prevStart + 19 * DAY_MS + PAID_HOUR_UTC * 3600 * 1000 + i * 60_000;
    const o = place('CA', paid, [
      { original: 40, sellerDiscount: 0, platformDiscount: 0 },
      { original: 40, sellerDiscount: 0, platformDiscount: 0 },
    ]);
    const li = o.lineItems[0]!;
    li.refunded = true;
    fin.settlements.push({ shopId: shop.id, orderId: o.id, day: refundDay, kind: 'refund', lineIds: [li.id] });
    answer.refunds.push({
      orderId: o.id,
      lineId: li.id,
      state: 'CA',
      paidDay: isoDay(paid),
      refundDay,
      gross: '-40.00',
      tax: money(-Number(li.tax!.itemTax)),
    });
  }

  // Regular orders: every day, one order per state of two kettles; discounts on some days; TX by FBT from the 12th.
  for (let day = 1; day <= Math.min(28, lastDay); day++) {
    const paid = monthStart + (day - 1) * DAY_MS + PAID_HOUR_UTC * 3600 * 1000;
    for (const state of ['CA', 'TX', 'NY', 'FL']) {
      const unit = { original: 40, sellerDiscount: day % 2 === 0 ? 4 : 0, platformDiscount: day % 3 === 0 ? 2 : 0 };
      const o = place(state, paid, [unit, unit], { shipping: 5, fbt: state === 'TX' && day >= 12 });
      if (state === 'CA' && day === 5) plant(o, 'over');
      if (state === 'TX' && day === 6) plant(o, 'under');
      count(state, o);
    }
  }

  // WA: one $7,000 order a day (four espresso machines) from the 1st to the 15th: $98,000 by the 14th, over on the 15th.
  let waTotal = 0;
  for (let day = 1; day <= 15; day++) {
    const paid = monthStart + (day - 1) * DAY_MS + PAID_HOUR_UTC * 3600 * 1000 + 30 * 60_000;
    const unit = { original: 1750, sellerDiscount: 0, platformDiscount: 0 };
    const o = place('WA', paid, [unit, unit, unit, unit]);
    count('WA', o);
    waTotal += 7000;
    if (!answer.threshold.crossingDay && waTotal >= 100_000) answer.threshold.crossingDay = isoDay(paid);
  }

  // Bulk volume (bench/taxImport.ts): paid from the 1st at 00:00 to the month's last second, evenly.
  const bulk = input.bulkOrders ?? 0;
  const monthMs = lastDay * DAY_MS;
  const states = Object.keys(PLACES);
  for (let i = 0; i < bulk; i++) {
    const state = states[i % states.length]!;
    const unit = { original: 20 + (i % 7), sellerDiscount: 0, platformDiscount: 0 };
    count(state, place(state, monthStart + Math.floor((i * monthMs) / bulk), [unit, unit], { shipping: 5 }));
  }

  // Samples: two creator samples shipped to New York on the 10th.
  for (let i = 0; i < 2; i++) {
    const paid = monthStart + 9 * DAY_MS + PAID_HOUR_UTC * 3600 * 1000 + i * 60_000;
    const o = place('NY', paid, [{ original: 40, sellerDiscount: 40, platformDiscount: 0 }], { sample: true });
    answer.samples.push({ orderId: o.id, lineId: o.lineItems[0]!.id, state: 'NY', day: isoDay(paid), value: '40.00' });
  }

  function plant(o: Order, kind: 'over' | 'under'): void {
    const li = o.lineItems[0]!;
    const expected = Number(li.tax!.itemTax);
    const charged = kind === 'over' ? round2(expected + 1.5) : round2(expected / 2);
    li.tax!.itemTax = money(charged);
    answer.taxCharges.push({
      kind,
      orderId: o.id,
      lineId: li.id,
      state: PLACES[o.address.state === 'Texas' ? 'TX' : 'CA']!.state,
      zip: o.address.postalCode,
      expected: money(expected),
      charged: money(charged),
      difference: money(charged - expected),
    });
  }

  return answer;
}
