import type { Router } from 'express';
import type { ApiDeps } from '../deps';
import { reconciliationRoutes } from '../reconciliationRoutes';

/**
 * Return reconciliation of a shop: its `reconcile-returns:<shopId>` Schedule (interval: the shop's
 * `reconciliation.returnsEvery` setting), watermark and latest runs with their counts; operators can run it now.
 * Registered before the returns' own routes (`/v1/shops/:shopId/returns/:returnId`), which would take
 * "reconciliation" for a return id.
 */
export function returnReconciliationRoutes(deps: ApiDeps): Router {
  return reconciliationRoutes(deps, 'returns', '/v1/shops/:shopId/returns/reconciliation');
}
