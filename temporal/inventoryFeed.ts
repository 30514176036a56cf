import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config';
import { inventoryFeedWorkflowId } from '../workflows/ids';
import { inventoryFeed } from '../workflows/inventoryFeed/workflow';
import {
  stockChangedSignal,
  unitsCommittedSignal,
  type StockChanged,
  type UnitsCommitted,
} from '../workflows/inventoryFeed/messages';
import { ShopId } from '../workflows/shared/searchAttributes';
import { URGENT } from '../workflows/shared/taskPriority';

type Deps = { temporal: Client; cfg: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE'> };

function start(deps: Deps, shopId: string, productId: string) {
  return {
    workflowId: inventoryFeedWorkflowId(shopId, productId),
    taskQueue: deps.cfg.TEMPORAL_TASK_QUEUE,
    args: [{ shopId, productId }] as [{ shopId: string; productId: string }],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    typedSearchAttributes: [{ key: ShopId, value: shopId }],
    // A feed's few workflow tasks (a stock-out to push) go ahead of the orders' (set when the feed starts).
    priority: URGENT,
  };
}

/** Tells the product's inventory feed that stock levels changed (signal-with-start: the workflow may not exist). */
export async function signalStockChanged(deps: Deps, shopId: string, productId: string, change: StockChanged) {
  return deps.temporal.workflow.signalWithStart(inventoryFeed, {
    ...start(deps, shopId, productId),
    signal: stockChangedSignal,
    signalArgs: [change],
  });
}

/**
 * For the order workflows (through an activity): units of a SKU handed to the warehouse (+n) or shipped/released
 * (−n). See UnitsCommitted in workflows/inventoryFeed/messages.ts for the contract.
 */
export async function sendUnitsCommitted(deps: Deps, shopId: string, productId: string, units: UnitsCommitted) {
  return deps.temporal.workflow.signalWithStart(inventoryFeed, {
    ...start(deps, shopId, productId),
    signal: unitsCommittedSignal,
    signalArgs: [units],
  });
}
