// Every workflow type the worker registers (the worker bundles this file). Keep this file to these declarations:
// one folder per process, named after its workflow type (workflows/<type>/workflow.ts, messages.ts, small helpers).
//
// Each type's module is required on its first call, not when this file loads: in the worker's reused V8 context each
// cached workflow instantiates for itself every module it requires (a module cache per workflow,
// node_modules/@temporalio/worker/lib/workflow/reusable-vm.js), so re-exporting every process made each cached order
// workflow carry the modules of all twenty processes (flash-sale runs F11 and F13 in bench/RESULTS.md).
/* eslint-disable @typescript-eslint/no-require-imports -- the lazy requires above are the point of this file */
import { lazyWorkflow } from './shared/lazyWorkflow';
import type * as shopConnectionModule from './shopConnection/workflow';
import type * as shopLifecycleModule from './shopLifecycle/workflow';
import type * as orderAcknowledgmentModule from './orderAcknowledgment/workflow';
import type * as catalogImportModule from './catalogImport/workflow';
import type * as inventoryFeedModule from './inventoryFeed/workflow';
import type * as orderReconciliationModule from './orderReconciliation/workflow';
import type * as returnReconciliationModule from './returnReconciliation/workflow';
import type * as notificationDeliveryModule from './notificationDelivery/workflow';
import type * as retentionModule from './retention/workflow';
import type * as returnRequestModule from './returnRequest/workflow';
import type * as evidenceBundleModule from './evidenceBundle/workflow';
import type * as chargebackModule from './chargeback/workflow';
import type * as disputeAppealModule from './disputeAppeal/workflow';
import type * as affiliateAuditModule from './affiliateAudit/workflow';
import type * as accountHealthModule from './accountHealth/workflow';
import type * as certificateExpiryModule from './certificateExpiry/workflow';
import type * as suspensionAppealModule from './suspensionAppeal/workflow';
import type * as categoryUngatingModule from './categoryUngating/workflow';
import type * as taxHistoryBackfillModule from './taxHistoryBackfill/workflow';
import type * as monthlyTaxReportModule from './monthlyTaxReport/workflow';

export const shopConnection = lazyWorkflow(
  'shopConnection',
  () => require('./shopConnection/workflow') as typeof shopConnectionModule,
);
export const shopLifecycle = lazyWorkflow(
  'shopLifecycle',
  () => require('./shopLifecycle/workflow') as typeof shopLifecycleModule,
);
export const orderAcknowledgment = lazyWorkflow(
  'orderAcknowledgment',
  () => require('./orderAcknowledgment/workflow') as typeof orderAcknowledgmentModule,
);
export const catalogImport = lazyWorkflow(
  'catalogImport',
  () => require('./catalogImport/workflow') as typeof catalogImportModule,
);
export const inventoryFeed = lazyWorkflow(
  'inventoryFeed',
  () => require('./inventoryFeed/workflow') as typeof inventoryFeedModule,
);
export const orderReconciliation = lazyWorkflow(
  'orderReconciliation',
  () => require('./orderReconciliation/workflow') as typeof orderReconciliationModule,
);
export const returnReconciliation = lazyWorkflow(
  'returnReconciliation',
  () => require('./returnReconciliation/workflow') as typeof returnReconciliationModule,
);
export const notificationDelivery = lazyWorkflow(
  'notificationDelivery',
  () => require('./notificationDelivery/workflow') as typeof notificationDeliveryModule,
);
export const retention = lazyWorkflow('retention', () => require('./retention/workflow') as typeof retentionModule);
export const returnRequest = lazyWorkflow(
  'returnRequest',
  () => require('./returnRequest/workflow') as typeof returnRequestModule,
);
export const evidenceBundle = lazyWorkflow(
  'evidenceBundle',
  () => require('./evidenceBundle/workflow') as typeof evidenceBundleModule,
);
export const chargeback = lazyWorkflow('chargeback', () => require('./chargeback/workflow') as typeof chargebackModule);
export const disputeAppeal = lazyWorkflow(
  'disputeAppeal',
  () => require('./disputeAppeal/workflow') as typeof disputeAppealModule,
);
export const affiliateAudit = lazyWorkflow(
  'affiliateAudit',
  () => require('./affiliateAudit/workflow') as typeof affiliateAuditModule,
);
export const accountHealth = lazyWorkflow(
  'accountHealth',
  () => require('./accountHealth/workflow') as typeof accountHealthModule,
);
export const certificateExpiry = lazyWorkflow(
  'certificateExpiry',
  () => require('./certificateExpiry/workflow') as typeof certificateExpiryModule,
);
export const suspensionAppeal = lazyWorkflow(
  'suspensionAppeal',
  () => require('./suspensionAppeal/workflow') as typeof suspensionAppealModule,
);
export const categoryUngating = lazyWorkflow(
  'categoryUngating',
  () => require('./categoryUngating/workflow') as typeof categoryUngatingModule,
);
export const taxHistoryBackfill = lazyWorkflow(
  'taxHistoryBackfill',
  () => require('./taxHistoryBackfill/workflow') as typeof taxHistoryBackfillModule,
);
export const monthlyTaxReport = lazyWorkflow(
  'monthlyTaxReport',
  () => require('./monthlyTaxReport/workflow') as typeof monthlyTaxReportModule,
);
