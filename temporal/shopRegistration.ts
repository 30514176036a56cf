import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config';
import { shopWorkflowId } from '../workflows/ids';
import { registerShopSignal, type ShopRegistration } from '../workflows/shopLifecycle/messages';
import { shopLifecycle } from '../workflows/shopLifecycle/workflow';
import { ShopId, ShopRegion } from '../workflows/shared/searchAttributes';

/**
 * Registers a shop (or updates its registration) by signal-with-start on `shop:<id>`: idempotent, and the one path
 * used by POST /v1/shops and by the TikTok authorization callback.
 */
export async function registerShop(
  deps: { temporal: Client; cfg: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE'> },
  body: ShopRegistration,
) {
  return deps.temporal.workflow.signalWithStart(shopLifecycle, {
    workflowId: shopWorkflowId(body.shopId),
    taskQueue: deps.cfg.TEMPORAL_TASK_QUEUE,
    args: [{ registration: body }],
    signal: registerShopSignal,
    signalArgs: [body],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: ShopId, value: body.shopId },
      { key: ShopRegion, value: body.region },
    ],
  });
}
