import { createCancellationActivities } from './cancellation';
import { createOrderClockActivities } from './clocks';
import type { OrderActivityDeps } from './deps';
import { createDispatchActivities } from './dispatch';
import { createEscalationActivities } from './escalations';
import { createOrderDetailCache, createOrderReadActivities } from './orderRead';
import { createShipmentActivities } from './shipment';
import { createWarehouseHandOffActivities } from './warehouseHandOff';

export type { OrderActivityDeps } from './deps';
export {
  createOrderInventoryActivities,
  type OrderInventoryActivities,
  type OrderInventoryDeps,
} from './inventoryHolds';

/**
 * The orderAcknowledgment workflow's activities, one factory per step: read the order, plan its clocks, hand it to
 * the warehouse, ship, record dispatch, escalate, decide cancellations (the unit holds: ./inventoryHolds.ts). One Get
 * Order Detail cache is shared by the steps, so a hand-off right after the read reuses it.
 */
export function createOrderActivities(deps: OrderActivityDeps) {
  const orderDetail = createOrderDetailCache(deps);
  const read = createOrderReadActivities(deps, orderDetail);
  return {
    ...read,
    ...createOrderClockActivities(deps),
    ...createWarehouseHandOffActivities(deps, orderDetail, read),
    ...createShipmentActivities(deps, orderDetail),
    ...createDispatchActivities(deps, read),
    ...createEscalationActivities(deps),
    ...createCancellationActivities(deps),
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
