// Admin API under /__admin (JSON, unsigned). Test and benchmark tooling; documented in README.md.
import express from 'express';
import type { Request, Response, Router } from 'express';
import { carrierScan, deliverPackages } from './fulfillment';
import { seedProduct } from './inventory';
import type { SeedProductInput } from './inventory';
import { withStockChange } from './inventory';
import { seedWarehouse } from './logistics';
import { orderJson, payOrder, placeOrder } from './orders';
import type { PlaceOrderInput } from './orders';
import type { Platform } from './platform';
import { AdminError, sec } from './platform';
import type { RateLimiter } from './rateLimit';
import {
  arbitrateReturn,
  buyerCancel,
  buyerCancelReturn,
  buyerShipReturn,
  escalateReturn,
  openReturn,
  returnRecordJson,
} from './returns';
import type { OpenReturnInput } from './returns';
import type { BusinessRules } from './rules';
import { seedAffiliate } from './affiliateSeed';
import {
  categoriesOfShop,
  decideApplication,
  moveProduct,
  setCategoryPermission,
  setCategoryScript,
  setPrerequisiteFailures,
  submitApplication,
} from './categories';
import { seedTaxMonth } from './taxSeed';
import { seedShop } from './seed';
import type { Order, ReturnRequest } from './state';
import type { Json } from './util';
import { asObject, asStringArray, optNumber, optString } from './util';
import { formatPacific } from './usBusinessCalendar';

export interface AdminDeps {
  p: Platform;
  limiter: RateLimiter;
  reset: () => void;
  initialRules: Partial<BusinessRules>;
}

function run(res: Response, fn: () => unknown): void {
  try {
    res.json(fn());
  } catch (err) {
    if (err instanceof AdminError) {
      res.status(err.httpStatus).json({ error: err.message });
    } else {
      res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
    }
  }
}

function body(req: Request): Json {
  return asObject(req.body);
}

function orderOr404(p: Platform, id: string): Order {
  const o = p.state.orders.get(id);
  if (!o) throw new AdminError(404, `unknown order ${id}`);
  return o;
}

/** The emulator record of one order: every transition with business and real timestamps. */
export function orderRecord(o: Order): Json {
  return {
    order_id: o.id,
    shop_id: o.shopId,
    status: o.status,
    create_time: sec(o.createTime),
    paid_time: sec(o.paidTime),
    awaiting_shipment_at: sec(o.awaitingShipmentAt),
    rts_time: sec(o.rtsTime),
    collection_time: sec(o.collectionTime),
    delivery_time: sec(o.deliveryTime),
    cancel_time: sec(o.cancelTime),
    cancellation_initiator: o.cancellationInitiator,
    late_dispatch: o.lateDispatch,
    tts_sla_time: sec(o.sla.tts),
    tts_sla_pacific: formatPacific(o.sla.tts),
    shipping_due_time: sec(o.sla.shippingDue),
    line_item_count: o.lineItems.length,
    package_ids: o.packageIds,
    transitions: o.transitions.map((t) => ({
      status: t.status,
      at: sec(t.at),
      at_ms: t.at,
      real_at: new Date(t.realAt).toISOString(),
      cause: t.cause,
    })),
  };
}

export function adminRouter(deps: AdminDeps): Router {
  const { p, limiter } = deps;
  const r = express.Router();
  r.use(express.json({ limit: '20mb' }));

  r.get('/health', (_req, res) => run(res, () => ({ ok: true, business_time: p.clock.now() })));
  r.post('/reset', (_req, res) =>
    run(res, () => {
      deps.reset();
      return { ok: true };
    }),
  );

  // ---- seeding
  r.post('/shops', (req, res) => {
    run(res, () => {
      const out = seedShop(p, body(req));
      return { shop: out.shop, seller: out.seller, warehouses: out.warehouses };
    });
  });
  r.get('/shops', (_req, res) => run(res, () => ({ shops: [...p.state.shops.values()] })));
  r.post('/warehouses', (req, res) => {
    run(res, () => {
      const b = body(req);
      return { warehouse: seedWarehouse(p, optString(b.shop_id) ?? '', b) };
    });
  });
  r.get('/products', (req, res) =>
    run(res, () => {
      const shopId = typeof req.query.shop_id === 'string' ? req.query.shop_id : undefined;
      const products = [...p.state.products.values()].filter((pr) => !shopId || pr.shopId === shopId);
      return {
        products: products.map((pr) => ({
          id: pr.id,
          shop_id: pr.shopId,
          title: pr.title,
          status: pr.status,
          skus: pr.skus.map((s) => ({ id: s.id, seller_sku: s.sellerSku, inventory: Object.fromEntries(s.inventory) })),
        })),
      };
    }),
  );
  r.post('/products', (req, res) => {
    run(res, () => {
      const b = body(req);
      const input = (b.product ?? b) as SeedProductInput;
      if (!Array.isArray(input.skus)) throw new AdminError(400, 'skus[] is required');
      const product = seedProduct(p, optString(b.shop_id) ?? '', input);
      return {
        product: {
          id: product.id,
          status: product.status,
          category_id: product.categoryId,
          audit_status: product.auditStatus,
          skus: product.skus.map((s) => ({
            id: s.id,
            seller_sku: s.sellerSku,
            inventory: Object.fromEntries(s.inventory),
          })),
        },
      };
    });
  });
  r.post('/products/:id/status', (req, res) => {
    run(res, () => {
      const product = p.state.products.get(req.params.id ?? '');
      if (!product) throw new AdminError(404, 'unknown product');
      const status = optString(body(req).status);
      if (!status) throw new AdminError(400, 'status is required');
      product.status = status as typeof product.status;
      product.updateTime = p.clock.now();
      p.webhooks.emit(product.shopId, 'PRODUCT_STATUS_CHANGE', {
        product_id: product.id,
        status: 'PRODUCT_STATUS_CHANGED',
        suspended_reason: status === 'PLATFORM_DEACTIVATED' ? 'Platform deactivated (emulator)' : '',
        update_time: p.clock.nowSeconds(),
      });
      return { id: product.id, status: product.status };
    });
  });
  r.post('/stock', (req, res) => {
    run(res, () => {
      const b = body(req);
      const sku = p.state.skus.get(optString(b.sku_id) ?? '');
      if (!sku) throw new AdminError(404, 'unknown sku');
      const wid = optString(b.warehouse_id) ?? [...sku.inventory.keys()][0];
      const qty = optNumber(b.quantity);
      if (!wid || !p.state.warehouses.has(wid) || qty === undefined || qty < 0)
        throw new AdminError(400, 'warehouse_id and quantity ≥ 0 are required');
      withStockChange(p, sku, () => {
        const lvl = sku.inventory.get(wid);
        if (lvl) lvl.available = qty;
        else sku.inventory.set(wid, { available: qty, committed: 0 });
      });
      return { sku_id: sku.id, inventory: Object.fromEntries(sku.inventory) };
    });
  });

  // ---- tokens
  r.post('/tokens', (req, res) => {
    run(res, () => {
      const b = body(req);
      const appKey = optString(b.app_key) ?? [...p.state.apps.keys()][0] ?? '';
      if (!p.state.apps.has(appKey)) throw new AdminError(404, 'unknown app_key');
      let openId = optString(b.open_id);
      const shopId = optString(b.shop_id);
      if (!openId && shopId) openId = p.state.shops.get(shopId)?.openId;
      if (!openId || !p.state.sellers.has(openId))
        throw new AdminError(404, 'unknown seller (give open_id or shop_id)');
      for (const shop of p.state.shops.values()) {
        if (shop.openId === openId && !shop.authorizedAppKeys.includes(appKey)) shop.authorizedAppKeys.push(appKey);
      }
      return p.tokens.issueDirect(appKey, openId);
    });
  });
  r.post('/tokens/revoke', (req, res) => {
    run(res, () => {
      const b = body(req);
      const filter = {
        accessToken: optString(b.access_token),
        openId: optString(b.open_id),
        appKey: optString(b.app_key),
      };
      const revoked = p.tokens.revoke(filter);
      if (b.deauthorize === true) {
        // Seller deauthorization: webhook 6 to the app, then the app loses the shop (ref §11.4).
        for (const shop of p.state.shops.values()) {
          if (filter.openId && shop.openId !== filter.openId) continue;
          for (const appKey of [...shop.authorizedAppKeys]) {
            if (filter.appKey && appKey !== filter.appKey) continue;
            const app = p.state.apps.get(appKey);
            if (app)
              p.webhooks.emitFor(app, shop.id, 'SELLER_DEAUTHORIZATION', {
                message: 'The seller has deauthorized the app',
              });
            shop.authorizedAppKeys = shop.authorizedAppKeys.filter((k) => k !== appKey);
          }
        }
      }
      return { revoked };
    });
  });

  // ---- orders
  r.post('/orders', (req, res) => run(res, () => orderJson(p, placeOrder(p, body(req) as unknown as PlaceOrderInput))));
  r.post('/orders/bulk', (req, res) => {
    run(res, () => {
      const b = body(req);
      let inputs: PlaceOrderInput[] = [];
      if (Array.isArray(b.orders)) inputs = b.orders as PlaceOrderInput[];
      else {
        const count = optNumber(b.count) ?? 0;
        const tpl = b as unknown as PlaceOrderInput;
        inputs = Array.from({ length: count }, () => tpl);
      }
      const placed: string[] = [];
      const refused: { index: number; error: string }[] = [];
      inputs.forEach((input, index) => {
        try {
          placed.push(placeOrder(p, input).id);
        } catch (err) {
          refused.push({ index, error: err instanceof Error ? err.message : String(err) });
        }
      });
      return { placed, refused };
    });
  });
  r.get('/orders/:id', (req, res) =>
    run(res, () => ({
      ...orderJson(p, orderOr404(p, req.params.id ?? '')),
      record: orderRecord(orderOr404(p, req.params.id ?? '')),
    })),
  );
  r.post('/orders/:id/pay', (req, res) =>
    run(res, () => {
      const o = orderOr404(p, req.params.id ?? '');
      payOrder(p, o);
      return orderRecord(o);
    }),
  );
  r.post('/orders/:id/carrier-scan', (req, res) =>
    run(res, () =>
      orderRecord(carrierScan(p, { order_id: req.params.id, package_id: optString(body(req).package_id) })),
    ),
  );
  r.post('/orders/:id/deliver', (req, res) =>
    run(res, () =>
      orderRecord(deliverPackages(p, { order_id: req.params.id, package_id: optString(body(req).package_id) })),
    ),
  );
  r.post('/orders/:id/buyer-cancel', (req, res) =>
    run(res, () => {
      const c = buyerCancel(p, { order_id: req.params.id ?? '', reason: optString(body(req).reason) });
      return { cancel_id: c.id, cancel_status: c.status, deadline: sec(c.deadline) };
    }),
  );
  const returnOr404 = (id: string | undefined): ReturnRequest => {
    const ret = p.state.returns.get(id ?? '');
    if (!ret) throw new AdminError(404, `unknown return ${id}`);
    return ret;
  };
  const opened = (ret: ReturnRequest) => ({
    return_id: ret.id,
    order_id: ret.orderId,
    return_type: ret.type,
    return_status: ret.status,
    deadline: sec(ret.nextAction?.deadline ?? null),
  });
  const returnInput = (b: Json, orderId: string): OpenReturnInput => ({
    order_id: orderId,
    line_item_ids: Array.isArray(b.line_item_ids) ? asStringArray(b.line_item_ids) : undefined,
    return_type: optString(b.return_type),
    reason: optString(b.reason),
  });
  r.post('/orders/:id/returns', (req, res) =>
    run(res, () => opened(openReturn(p, returnInput(body(req), req.params.id ?? '')))),
  );
  // Many returns in one call (benchmarks): each entry names an order, or a SKU for which a delivered order is
  // created on the spot (no order webhooks, see PlaceOrderInput.delivered_before).
  r.post('/returns/bulk', (req, res) =>
    run(res, () => {
      const b = body(req);
      const shopId = optString(b.shop_id);
      if (!Array.isArray(b.returns)) throw new AdminError(400, 'returns[] is required');
      const out: (ReturnType<typeof opened> & { index: number })[] = [];
      const refused: { index: number; error: string }[] = [];
      b.returns.forEach((raw: unknown, index) => {
        const e = asObject(raw);
        try {
          let orderId = optString(e.order_id);
          if (!orderId) {
            const skuId = optString(e.sku_id);
            if (!shopId || !skuId)
              throw new AdminError(400, "shop_id and each entry's sku_id (or order_id) are required");
            orderId = placeOrder(p, { shop_id: shopId, items: [{ sku_id: skuId }], delivered_before: true }).id;
          }
          out.push({ index, ...opened(openReturn(p, returnInput(e, orderId))) });
        } catch (err) {
          refused.push({ index, error: err instanceof Error ? err.message : String(err) });
        }
      });
      return { opened: out, refused };
    }),
  );
  r.get('/returns', (req, res) =>
    run(res, () => {
      const shopId = typeof req.query.shop_id === 'string' ? req.query.shop_id : undefined;
      const list = [...p.state.returns.values()].filter((x) => !shopId || x.shopId === shopId);
      return { returns: list.map((x) => returnRecordJson(p, x)) };
    }),
  );
  r.get('/returns/:id', (req, res) => run(res, () => returnRecordJson(p, returnOr404(req.params.id))));
  r.post('/returns/:id/buyer-ship', (req, res) =>
    run(res, () => {
      const ret = buyerShipReturn(p, {
        return_id: returnOr404(req.params.id).id,
        tracking_number: optString(body(req).tracking_number),
      });
      return opened(ret);
    }),
  );
  r.post('/returns/:id/buyer-cancel', (req, res) =>
    run(res, () => opened(buyerCancelReturn(p, { return_id: returnOr404(req.params.id).id }))),
  );
  r.post('/returns/:id/escalate', (req, res) =>
    run(res, () => returnRecordJson(p, escalateReturn(p, { return_id: returnOr404(req.params.id).id }))),
  );
  r.post('/returns/:id/arbitrate', (req, res) =>
    run(res, () =>
      returnRecordJson(
        p,
        arbitrateReturn(p, { return_id: returnOr404(req.params.id).id, outcome: optString(body(req).outcome) ?? '' }),
      ),
    ),
  );

  // ---- tax (issue 20): a month of orders settled through the Finance API, FBT stock, planted findings; the answer
  // lists what was planted (taxSeed.ts)
  r.post('/tax/seed', (req, res) =>
    run(res, () => {
      const b = body(req);
      const bulkOrders = optNumber(b.bulk_orders);
      if (bulkOrders !== undefined && !(Number.isInteger(bulkOrders) && bulkOrders >= 0 && bulkOrders <= 1_000_000))
        throw new AdminError(400, 'bulk_orders is a whole number from 0 to 1000000');
      return seedTaxMonth(p, { shopId: optString(b.shop_id) ?? '', month: optString(b.month), bulkOrders });
    }),
  );

  // ---- affiliate (issue 21): seed a shop's affiliate data with planted problems; the answer lists what was planted
  r.post('/affiliate/seed', (req, res) =>
    run(res, () => {
      const b = body(req);
      return seedAffiliate(p, { shopId: optString(b.shop_id) ?? '', extraOrders: optNumber(b.extra_orders) });
    }),
  );
  r.get('/affiliate/collaborations', (req, res) =>
    run(res, () => {
      const shopId = typeof req.query.shop_id === 'string' ? req.query.shop_id : undefined;
      const a = p.state.affiliate;
      return {
        open: [...a.openCollaborations.values()]
          .filter((c) => !shopId || c.shopId === shopId)
          .map((c) => ({ ...c, removedCreators: Object.fromEntries(c.removedCreators) })),
        target: [...a.targetCollaborations.values()]
          .filter((t) => !shopId || t.shopId === shopId)
          .map((t) => ({ ...t, products: Object.fromEntries(t.products), creators: Object.fromEntries(t.creators) })),
      };
    }),
  );

  // ---- clock and rules
  // ---- category qualification (issue 19; categories.ts): the Qualification Center has no API, so tests and demos
  // submit and decide applications here; decisions follow the shop and category's script
  r.get('/categories', (req, res) =>
    run(res, () => categoriesOfShop(p, typeof req.query.shop_id === 'string' ? req.query.shop_id : '')),
  );
  r.post('/categories/script', (req, res) => run(res, () => setCategoryScript(p, body(req))));
  r.post('/categories/applications', (req, res) => run(res, () => submitApplication(p, body(req))));
  r.post('/categories/decide', (req, res) => run(res, () => decideApplication(p, body(req))));
  r.post('/categories/permission', (req, res) => run(res, () => setCategoryPermission(p, body(req))));
  r.post('/prerequisites', (req, res) => run(res, () => setPrerequisiteFailures(p, body(req))));
  r.post('/products/:id/category', (req, res) => run(res, () => moveProduct(p, req.params.id, body(req))));

  r.get('/clock', (_req, res) =>
    run(res, () => ({ now_ms: p.clock.now(), now: p.clock.nowSeconds(), pacific: formatPacific(p.clock.now()) })),
  );
  r.post('/clock/advance', (req, res) =>
    run(res, () => {
      const b = body(req);
      const ms = optNumber(b.ms) ?? (optNumber(b.seconds) ?? 0) * 1000;
      if (ms < 0) throw new AdminError(400, 'ms must be ≥ 0');
      return { now_ms: p.clock.advance(ms) };
    }),
  );
  r.post('/clock/set', (req, res) =>
    run(res, () => {
      const at = optNumber(body(req).epoch_ms);
      if (at === undefined) throw new AdminError(400, 'epoch_ms is required');
      return { now_ms: p.clock.set(at) };
    }),
  );
  r.get('/rules', (_req, res) => run(res, () => p.clock.rules));
  r.post('/rules', (req, res) => run(res, () => p.clock.setRules(body(req))));
  r.get('/rate-limit', (_req, res) => run(res, () => limiter.config));
  r.post('/rate-limit', (req, res) => run(res, () => limiter.configure(body(req))));

  // ---- error codes (errorCodes.ts): the table with the codes answered now; POST {situation: code} overrides
  r.get('/error-codes', (_req, res) => run(res, () => ({ rows: p.errors.list() })));
  r.post('/error-codes', (req, res) =>
    run(res, () => {
      const overrides: Record<string, number> = {};
      for (const [situation, code] of Object.entries(body(req))) {
        if (typeof code !== 'number') throw new AdminError(400, `code for ${situation} must be a number`);
        overrides[situation] = code;
      }
      try {
        p.errors.set(overrides);
      } catch (err) {
        throw new AdminError(400, (err as Error).message);
      }
      return { rows: p.errors.list() };
    }),
  );

  // ---- faults
  r.get('/faults', (_req, res) => run(res, () => p.faults.config));
  r.post('/faults', (req, res) => run(res, () => p.faults.configure(body(req))));
  r.post('/faults/reset', (_req, res) =>
    run(res, () => {
      p.faults.reset();
      return p.faults.config;
    }),
  );

  // ---- webhooks
  r.get('/webhooks', (_req, res) => run(res, () => ({ deliveries: p.webhooks.log, options: p.webhooks.options })));
  // Which apps have subscribed which events of a shop (Event API): a tool can tell whether this emulator (state in
  // memory) has seen the shop connected since it started.
  r.get('/webhook-subscriptions', (req, res) =>
    run(res, () => {
      const shopId = typeof req.query.shop_id === 'string' ? req.query.shop_id : undefined;
      const subs = [...p.state.webhookSubscriptions.values()].filter((w) => !shopId || w.shopId === shopId);
      return {
        subscriptions: subs.map((w) => ({
          app_key: w.appKey,
          shop_id: w.shopId,
          event_type: w.eventType,
          address: w.address,
          update_time: sec(w.updateTime),
        })),
      };
    }),
  );
  // The notifications a fault dropped (optionally of one event type), with their data: what a benchmark must recover.
  r.get('/webhooks/dropped', (req, res) =>
    run(res, () => {
      const eventType = typeof req.query.event_type === 'string' ? req.query.event_type : undefined;
      const dropped = p.webhooks.log.filter(
        (d) => d.state === 'dropped_by_fault' && (!eventType || d.eventType === eventType),
      );
      return {
        dropped: dropped.map((d) => ({
          notification_id: d.notificationId,
          event_type: d.eventType,
          shop_id: d.shopId,
          app_key: d.appKey,
          dropped_by: d.droppedBy,
          data: (JSON.parse(d.body) as { data: unknown }).data,
        })),
      };
    }),
  );
  r.post('/webhooks/config', (req, res) =>
    run(res, () => {
      const b = body(req);
      return p.webhooks.configure({
        ...(Array.isArray(b.retry_delays_ms) ? { retryDelaysMs: b.retry_delays_ms.map(Number) } : {}),
        ...(optNumber(b.retry_time_scale) !== undefined ? { retryTimeScale: optNumber(b.retry_time_scale) } : {}),
        ...(optNumber(b.timeout_ms) !== undefined ? { timeoutMs: optNumber(b.timeout_ms) } : {}),
        ...(optString(b.default_url) !== undefined ? { defaultUrl: optString(b.default_url) } : {}),
      });
    }),
  );

  // ---- the emulator record
  r.get('/record', (_req, res) =>
    run(res, () => {
      const orders = [...p.state.orders.values()].map(orderRecord);
      const applied = p.state.mutations.filter((m) => m.applied);
      return {
        summary: {
          orders: orders.length,
          refused_orders: p.state.refusedOrders.length,
          late_dispatch: orders.filter((o) => o.late_dispatch).length,
          mutations: p.state.mutations.length,
          applied_mutations: applied.length,
          lost_responses: p.state.mutations.filter((m) => m.responseLost).length,
          rate_limited: limiter.refusedByApi(),
          by_status: orders.reduce<Record<string, number>>((acc, o) => {
            const s = String(o.status);
            acc[s] = (acc[s] ?? 0) + 1;
            return acc;
          }, {}),
        },
        orders,
        mutations: p.state.mutations,
        refused_orders: p.state.refusedOrders,
      };
    }),
  );
  r.get('/record/orders', (_req, res) => run(res, () => ({ orders: [...p.state.orders.values()].map(orderRecord) })));
  r.get('/record/mutations', (_req, res) => run(res, () => ({ mutations: p.state.mutations })));
  return r;
}
