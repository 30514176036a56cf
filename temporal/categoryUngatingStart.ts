import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { CategoryUngatingInput } from '../workflows/categoryUngating/messages';
import { categoryUngating } from '../workflows/categoryUngating/workflow';
import { categoryUngatingWorkflowId } from '../workflows/ids';
import { CaseId, CaseKind, ShopId } from '../workflows/shared/searchAttributes';

/**
 * Starts the shop's application for a category (`ungating:<shopId>:<categoryId>`). One runs at a time: a start while
 * one runs (or sleeps until its re-qualification) answers the running one, `started: false`; a closed one (expired,
 * rejected) is started again.
 */
export async function startCategoryUngating(
  ctx: { temporal: Client; taskQueue: string },
  input: CategoryUngatingInput,
): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = categoryUngatingWorkflowId(input.shopId, input.categoryId);
  try {
    await ctx.temporal.workflow.start(categoryUngating, {
      workflowId,
      taskQueue: ctx.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: [
        { key: ShopId, value: input.shopId },
        { key: CaseKind, value: 'category_ungating' },
        { key: CaseId, value: input.categoryId },
      ],
    });
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}
