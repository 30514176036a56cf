import type { InventoryFeedDeps } from './deps';
import { createListingActivities } from './listing';
import { createPushActivities } from './push';
import { createSnapshotActivities } from './snapshot';

export type { InventoryFeedDeps } from './deps';
export type { ListingItem } from './listing';
export { PRODUCT_STATUS_NOT_ALLOWED, QUANTITY_OUT_OF_RANGE, type PushItem } from './push';
export type { SnapshotSku } from './snapshot';

/** The inventoryFeed workflow's activities, one factory per step: snapshot, push and confirm, listing. */
export function createInventoryFeedActivities(deps: InventoryFeedDeps) {
  return {
    ...createSnapshotActivities(deps),
    ...createPushActivities(deps),
    ...createListingActivities(deps),
  };
}

export type InventoryFeedActivities = ReturnType<typeof createInventoryFeedActivities>;
