import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defineSignal } from '@temporalio/workflow';
import { categoryUngatingWorkflowId } from '../workflows/ids';

/**
 * A product audit webhook (type 37) as the categoryUngating workflow takes it: the product, its audit status
 * (AUDITING, PRE_APPROVED, APPROVED, FAILED, …), the reasons TikTok gave (`pre_approved_reasons`, e.g.
 * RESTRICTED_CATEGORY_PENDING) and when the status changed (ISO).
 */
export interface ProductAuditEvent {
  productId: string;
  status: string;
  reasons?: string[];
  at: string;
}

/** The categoryUngating workflow's `productAudit` signal (declared by name: signals are matched by their name). */
export const productAuditSignal = defineSignal<[ProductAuditEvent]>('productAudit');

export interface CategoryUngatingSignalOutcome {
  workflowId: string;
  /** False when no categoryUngating workflow runs for the shop and category (nothing was applied for). */
  delivered: boolean;
}

/**
 * Signals `ungating:<shopId>:<categoryId>` with a product audit event. Never starts a workflow: an audit event for a
 * category nobody applied for (or whose application finished) is the caller's to record, not a reason to start one.
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
