import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { productAuditSignal, type ProductAuditEvent } from '../workflows/categoryUngating/messages';
import { categoryUngatingWorkflowId } from '../workflows/ids';

export type { ProductAuditEvent };

export interface CategoryUngatingSignalOutcome {
  workflowId: string;
  /** False when no categoryUngating workflow runs for the shop and category (nothing was applied for). */
  delivered: boolean;
}

/**
 * Signals `ungating:<shopId>:<categoryId>` with a product audit event (webhook 37, routed through our product →
 * category mapping: webhooks/routes.ts). Never starts a workflow: an audit event for a category nobody applied for (or
 * whose application finished) is the caller's to record, not a reason to start one.
 */
export async function signalCategoryUngating(
  client: Client,
  shopId: string,
  categoryId: string,
  event: ProductAuditEvent,
): Promise<CategoryUngatingSignalOutcome> {
  const workflowId = categoryUngatingWorkflowId(shopId, categoryId);
  try {
    await client.workflow.getHandle(workflowId).signal(productAuditSignal, event);
    return { workflowId, delivered: true };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { workflowId, delivered: false };
    throw err;
  }
}
