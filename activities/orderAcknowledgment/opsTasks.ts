import { createOrderRepository } from '../../db/orders';
import type { Severity } from '../../notifications/notifier';
import type { OrderActivityDeps } from './deps';

/** Step: escalate to operators (a deduplicated notification plus an ops task) and close the tasks when done. */
export function createOpsTaskActivities(deps: Pick<OrderActivityDeps, 'db' | 'notifier'>) {
  const orders = createOrderRepository(deps.db);
  return {
    /** Notification (deduplicated) plus an ops task row, e.g. an escalation before the dispatch deadline. */
    async raiseOpsTask(input: {
      shopId: string;
      orderId: string;
      kind: string;
      severity: Severity;
      title: string;
      body: string;
      dueAt?: string;
    }): Promise<void> {
      const task = { ...input, dedupKey: `order:${input.shopId}:${input.orderId}:${input.kind}` };
      await orders.openOpsTask(task);
      await deps.notifier.notify(task);
    },

    /** Closes the order's open ops tasks (the order was dispatched or cancelled). */
    async closeOpsTasks(input: { shopId: string; orderId: string }): Promise<number> {
      return orders.closeOpsTasks(input.shopId, input.orderId);
    },
  };
}
