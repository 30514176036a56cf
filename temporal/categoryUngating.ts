import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ProductCategoryRepository } from '../db/productCategories';
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

/**
 * Routes the audit events recorded while their product was not in the mapping (outcome `unmapped`), now that the
 * mapping knows it (after a sync from Get Product, or a category-change webhook): each goes to its category's workflow
 * and is recorded again with what became of it. `productId` limits it to one product. Returns how many were delivered.
 */
export async function replayUnmappedAuditEvents(
  client: Client,
  mapping: ProductCategoryRepository,
  shopId: string,
  productId?: string,
): Promise<number> {
  const events = await mapping.auditEvents(shopId, { outcome: 'unmapped', limit: 500, productId });
  let delivered = 0;
  // Oldest first: the workflow sees them in the order TikTok sent them.
  for (const e of events.reverse()) {
    const categoryId = await mapping.categoryOf(shopId, e.product_id);
    if (!categoryId) continue;
    const signalled = await signalCategoryUngating(client, shopId, categoryId, {
      productId: e.product_id,
      status: e.audit_status,
      reasons: e.reasons,
      at: new Date(e.occurred_at).toISOString(),
    });
    await mapping.recordAuditEvent({
      shop_id: shopId,
      product_id: e.product_id,
      category_id: categoryId,
      audit_status: e.audit_status,
      reasons: e.reasons,
      occurred_at: e.occurred_at,
      outcome: signalled.delivered ? 'routed' : 'no_application',
      workflow_id: signalled.workflowId,
    });
    if (signalled.delivered) delivered += 1;
  }
  return delivered;
}
