import type { Severity } from '../../notifications/notifier';
import type { OrderActivityDeps } from './deps';

/**
 * Step: tell operators (a deduplicated notification). What they are asked to decide is a human step of its own
 * (activities/humanSteps/, opened by the workflow), so the notification only points at it.
 */
export function createEscalationActivities(deps: Pick<OrderActivityDeps, 'notifier'>) {
  return {
    /** A notification once per order and kind, e.g. an escalation before the dispatch deadline. */
    async notifyOperators(input: {
      shopId: string;
      orderId: string;
      kind: string;
      severity: Severity;
      title: string;
      body: string;
    }): Promise<void> {
      await deps.notifier.notify({ ...input, dedupKey: `order:${input.shopId}:${input.orderId}:${input.kind}` });
    },
  };
}
