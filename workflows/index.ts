// Every workflow type the worker registers. Keep this file to exports only.
export { shopConnection } from './shopConnection';
export { shopLifecycle } from './shopLifecycle';
export { orderAcknowledgment } from './orderAcknowledgment';
export { catalogImport } from './catalogImport';
export { inventoryFeed } from './inventoryFeed';
export { orderReconciliation } from './orderReconciliation';
export { notificationDelivery } from './notificationDelivery';
export { retention } from './retention';
