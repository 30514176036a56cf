// Every workflow type the worker registers (the worker bundles this file). Keep this file to exports only: one folder
// per process, named after its workflow type (workflows/<type>/workflow.ts, messages.ts, small pure helpers).
export { shopConnection } from './shopConnection/workflow';
export { shopLifecycle } from './shopLifecycle/workflow';
export { orderAcknowledgment } from './orderAcknowledgment/workflow';
export { catalogImport } from './catalogImport/workflow';
export { inventoryFeed } from './inventoryFeed/workflow';
export { orderReconciliation } from './orderReconciliation/workflow';
export { returnReconciliation } from './returnReconciliation/workflow';
export { notificationDelivery } from './notificationDelivery/workflow';
export { retention } from './retention/workflow';
export { returnRequest } from './returnRequest/workflow';
export { evidenceBundle } from './evidenceBundle/workflow';
export { chargeback } from './chargeback/workflow';
export { disputeAppeal } from './disputeAppeal/workflow';
export { affiliateAudit } from './affiliateAudit/workflow';
export { accountHealth } from './accountHealth/workflow';
export { certificateExpiry } from './certificateExpiry/workflow';
export { suspensionAppeal } from './suspensionAppeal/workflow';
export { categoryUngating } from './categoryUngating/workflow';
export { taxHistoryBackfill } from './taxHistoryBackfill/workflow';
export { monthlyTaxReport } from './monthlyTaxReport/workflow';
