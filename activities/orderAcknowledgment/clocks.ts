import { durationMs } from '../../config';
import { dispatchDeadline, escalationTimes } from '../../policy/dispatch';
import type { OrderClocks } from '../../workflows/orderAcknowledgment/types';
import type { OrderActivityDeps } from './deps';

// Product cadence (ours, not TikTok's): how often a waiting order is read back, and how long before a cancellation
// request's own deadline we stop waiting for the warehouse and decide by rule.
const POLL_EVERY_MS = 60 * 60_000;
const CANCELLATION_DECISION_MARGIN_MS = 2 * 60 * 60_000;
// How long after the remorse window's end a missing status webhook is presumed lost (TikTok's own tick and the
// webhook's delivery take a moment), and the first interval of the read-backs while TikTok keeps the order ON_HOLD.
const REMORSE_GRACE_MS = 2_000;

/** Step: plan the order's clocks (deadlines, escalations, cadence) from the order and the policy rows. */
export function createOrderClockActivities(deps: Pick<OrderActivityDeps, 'cfg'>) {
  return {
    /**
     * The order's deadlines, from policy rows read here (so history records them): ready-to-ship from rts_sla_time,
     * carrier scan from tts_sla_time else dispatchDeadline(); escalation instants from escalationTimes().
     */
    planOrderClocks(input: {
      region: string;
      paidAt?: string;
      rtsSlaAt?: string;
      ttsSlaAt?: string;
    }): Promise<OrderClocks> {
      const base: OrderClocks = {
        pollEveryMs: POLL_EVERY_MS,
        cancellationDecisionMarginMs: CANCELLATION_DECISION_MARGIN_MS,
        onHoldRecheckMs: REMORSE_GRACE_MS,
        ...(deps.cfg.TEMPORAL_PRIORITY_LEVELS
          ? {
              taskPriority: {
                levels: deps.cfg.TEMPORAL_PRIORITY_LEVELS,
                deadlineStepMs: (deps.cfg.TEMPORAL_PRIORITY_STEP_SECONDS ?? 60) * 1000,
              },
            }
          : {}),
      };
      if (!input.paidAt) return Promise.resolve(base);
      const paidAt = new Date(input.paidAt);
      const policyDeadline = dispatchDeadline({ region: input.region, orderType: 'standard', paidAt });
      const carrierScanBy = input.ttsSlaAt ? new Date(input.ttsSlaAt) : policyDeadline.shipBy;
      const window = deps.cfg.ORDER_REMORSE_WINDOW;
      const remorseEndsAt =
        !window || window === 'policy' ? policyDeadline.remorseEndsAt : new Date(paidAt.getTime() + durationMs(window));
      return Promise.resolve({
        ...base,
        deadlines: {
          readyToShipBy: input.rtsSlaAt ?? carrierScanBy.toISOString(),
          carrierScanBy: carrierScanBy.toISOString(),
          remorseEndsAt: remorseEndsAt.toISOString(),
          remorseCheckAt: new Date(remorseEndsAt.getTime() + REMORSE_GRACE_MS).toISOString(),
          escalations: escalationTimes(input.region, carrierScanBy, paidAt).map((e) => ({
            offset: e.offset,
            fireAt: e.fireAt.toISOString(),
          })),
          source: input.ttsSlaAt ? 'tts_sla_time' : 'dispatch_policy',
        },
      });
    },
  };
}
