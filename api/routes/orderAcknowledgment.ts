import crypto from 'node:crypto';
import {
  WorkflowClient,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
  type Client,
} from '@temporalio/client';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { computeAccountHealth } from '../../accountHealth';
import { dispatchMetricsView } from '../../accountHealth/dispatchMetrics';
import { createShopRepository } from '../../db/shops';
import {
  CaseId,
  CaseRisk,
  CaseStage,
  HardDeadline,
  NextDeadline,
  ShopId,
} from '../../workflows/shared/searchAttributes';
import { orderWorkflowId } from '../../workflows/ids';
import { cancellationDecisionUpdate, getOrderQuery, shippedUpdate } from '../../workflows/orderAcknowledgment/messages';
import { decidedByCaller, requireRole, requireShop, shopFilter } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"');
const OrderParams = z.object({ shopId: id, orderId: id });
const ShopParams = z.object({ shopId: id });

export const ShipmentBody = z.union([
  z.strictObject({
    packages: z
      .array(
        z.strictObject({
          trackingNumber: z.string().trim().min(1).max(128),
          carrier: z.string().trim().min(1).max(128),
          lineItemIds: z.array(id).min(1).optional(),
        }),
      )
      .min(1)
      .max(50),
  }),
  z.strictObject({ tiktokShipping: z.literal(true), lineItemIds: z.array(id).min(1).optional() }),
]);
const DecisionBody = z.strictObject({ stopped: z.boolean() });
const ListQuery = z.object({
  shopId: id.optional(),
  risk: z.enum(['on_track', 'at_risk', 'late', 'done']).optional(),
  state: z
    .string()
    .regex(/^[A-Z_]{1,40}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * `Idempotency-Key` (optional): requests with the same key are one update (Temporal keeps one outcome per update id
 * while the order's workflow runs), so a warehouse retrying a request that was cut gets the first one's answer.
 * Without a key, a repeat of a shipment still in progress joins it inside the workflow; a failed one may be sent again.
 */
const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'Idempotency-Key: 1-200 visible ASCII characters');
const shipmentUpdateId = (req: Request): string | undefined => {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  const valid = parseOr400(IdempotencyKey, key, 'headers');
  return `shipment-${crypto.createHash('sha256').update(valid).digest('hex').slice(0, 32)}`;
};

/** RFC 7240 `Prefer: respond-async`: answer once the work is accepted instead of when it is done. */
const prefersAsync = (req: Request): boolean => /(^|[,\s])respond-async($|[,;\s])/i.test(req.get('prefer') ?? '');

/**
 * A workflow client for updates answered at acceptance. SDK 1.24's startUpdate(ACCEPTED) returns a handle even when
 * the workflow's validator refused the update (the refusal only surfaces from handle.result()); this client's
 * interceptor keeps each refusal by update id so the route answers 409 instead of 202.
 */
function acceptingUpdates(temporal: Client): { client: WorkflowClient; refusal(updateId: string): string | undefined } {
  const refusals = new Map<string, string>();
  const client = new WorkflowClient({
    connection: temporal.connection,
    namespace: temporal.options.namespace,
    dataConverter: temporal.options.loadedDataConverter,
    interceptors: [
      {
        async startUpdate(input, next) {
          const out = await next(input);
          const failure = out.outcome?.failure;
          if (failure) refusals.set(out.updateId, failure.cause?.message || failure.message || 'update refused');
          return out;
        },
      },
    ],
  });
  return {
    client,
    refusal(updateId) {
      const reason = refusals.get(updateId);
      refusals.delete(updateId);
      return reason;
    },
  };
}

/** Runs an update on an order workflow; unknown order → 404, refused or failed update → 409 with the reason. */
async function orderUpdate<T>(run: () => Promise<T>, orderId: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new HttpError(404, 'not_found', `no workflow for order ${orderId}`);
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause as (Error & { cause?: Error }) | undefined;
      throw new HttpError(409, 'update_refused', cause?.cause?.message ?? cause?.message ?? err.message);
    }
    throw err;
  }
}

/**
 * Orders: the warehouse reports shipments and cancellation decisions (updates on the order's workflow, recording which
 * key sent them); operators list orders by risk from visibility and a shop's dispatch metrics. What people are asked
 * to decide is listed by api/routes/humanSteps.ts.
 */
export function orderAcknowledgmentRoutes(deps: ApiDeps): Router {
  const router = Router();
  const shops = createShopRepository(deps.db);
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const handle = (shopId: string, orderId: string) =>
    deps.temporal.workflow.getHandle(orderWorkflowId(shopId, orderId));
  const accepting = acceptingUpdates(deps.temporal);

  router.post('/v1/orders/:shopId/:orderId/shipments', operator, async (req, res) => {
    const { shopId, orderId } = parseOr400(OrderParams, req.params, 'params');
    requireShop(req, shopId);
    // Who reported it: the order's dispatch step (docs/case-contract.md) records it.
    const body = { ...parseOr400(ShipmentBody, req.body, 'body'), decidedBy: decidedByCaller(req) };
    const updateId = shipmentUpdateId(req);
    if (prefersAsync(req)) {
      // Accepted (validated by the workflow) is durable: the marking then waits its turn in the shop's rate budget,
      // which near a deadline crunch can take longer than an HTTP request should stay open. Progress: GET the order.
      const started = await orderUpdate(
        () =>
          accepting.client.getHandle(orderWorkflowId(shopId, orderId)).startUpdate(shippedUpdate, {
            args: [body],
            updateId,
            waitForStage: WorkflowUpdateStage.ACCEPTED,
          }),
        orderId,
      );
      const refused = accepting.refusal(started.updateId);
      if (refused !== undefined) throw new HttpError(409, 'update_refused', refused);
      res
        .status(202)
        .set({ 'Preference-Applied': 'respond-async', Location: `/v1/orders/${shopId}/${orderId}` })
        .json({ shopId, orderId, status: 'accepted' });
      return;
    }
    const packages = await orderUpdate(
      () => handle(shopId, orderId).executeUpdate(shippedUpdate, { args: [body], updateId }),
      orderId,
    );
    res.status(200).json({ shopId, orderId, packages });
  });

  router.post('/v1/orders/:shopId/:orderId/cancellation-decision', operator, async (req, res) => {
    const { shopId, orderId } = parseOr400(OrderParams, req.params, 'params');
    requireShop(req, shopId);
    const body = { ...parseOr400(DecisionBody, req.body, 'body'), decidedBy: decidedByCaller(req) };
    const result = await orderUpdate(
      () => handle(shopId, orderId).executeUpdate(cancellationDecisionUpdate, { args: [body] }),
      orderId,
    );
    res.status(200).json({ shopId, orderId, ...result });
  });

  router.get('/v1/orders/:shopId/:orderId', viewer, async (req, res) => {
    const { shopId, orderId } = parseOr400(OrderParams, req.params, 'params');
    requireShop(req, shopId);
    try {
      res.json(await handle(shopId, orderId).query(getOrderQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError)
        throw new HttpError(404, 'not_found', `no workflow for order ${orderId}`);
      throw err;
    }
  });

  /** From Temporal visibility: `WorkflowType = 'orderAcknowledgment' AND CaseRisk = 'at_risk' …` (README.md). */
  router.get('/v1/orders', viewer, async (req, res) => {
    const q = parseOr400(ListQuery, req.query, 'query');
    const clauses = [`WorkflowType = 'orderAcknowledgment'`];
    // Values are validated above (ids, enum, upper-case state), so they cannot break out of the quotes.
    if (q.shopId) clauses.push(`${ShopId.name} = '${q.shopId}'`);
    // Shop ids of keys are validated at creation (same pattern), so they cannot break out of the quotes either.
    const shops = shopFilter(req);
    if (shops) clauses.push(`${ShopId.name} IN (${shops.map((s) => `'${s}'`).join(', ')})`);
    if (q.risk) clauses.push(`${CaseRisk.name} = '${q.risk}'`);
    if (q.state) clauses.push(`${CaseStage.name} = '${q.state}'`);
    const query = clauses.join(' AND ');
    const orders = [];
    for await (const wf of deps.temporal.workflow.list({ query })) {
      const sa = wf.typedSearchAttributes.getAll();
      const get = (key: { name: string }): unknown => sa.find((p) => p.key.name === key.name)?.value;
      const date = (v: unknown) => (v instanceof Date ? v.toISOString() : (v ?? null));
      orders.push({
        workflowId: wf.workflowId,
        status: wf.status.name,
        shopId: get(ShopId) ?? null,
        orderId: get(CaseId) ?? null,
        state: get(CaseStage) ?? null,
        risk: get(CaseRisk) ?? null,
        // Ready to ship until the package is marked shipped, then the carrier scan; null once done.
        nextDeadline: date(get(NextDeadline)),
        carrierScanBy: date(get(HardDeadline)),
        startTime: wf.startTime.toISOString(),
      });
      if (orders.length >= q.limit) break;
    }
    res.json({ query, orders });
  });

  router.get('/v1/shops/:shopId/metrics', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const region = await shops.region(shopId);
    if (region === undefined) throw new HttpError(404, 'not_found', `shop ${shopId} is not registered`);
    res.json(dispatchMetricsView(await computeAccountHealth(deps, shopId, new Date())));
  });

  return router;
}
