import type { Router } from 'express';
import type { ApiDeps } from '../deps';
import { reconciliationRoutes } from '../reconciliationRoutes';

/**
 * Order reconciliation of a shop: its `reconcile-orders:<shopId>` Schedule (state, next firings), watermark and
 * latest runs with their counts; operators can run it now.
 */
export function orderReconciliationRoutes(deps: ApiDeps): Router {
  return reconciliationRoutes(deps, 'orders', '/v1/shops/:shopId/reconciliation');
}
