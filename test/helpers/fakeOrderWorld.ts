// The fake TikTok + database behind the order activities, with the real activity names: orders by id, and every
// activity call per order. Shared by the order and notification time-skipping tests.
import { ApplicationFailure } from '@temporalio/common';
import type { HumanStepActivities } from '../../activities/humanSteps';
import {
  createOrderActivities,
  type OrderActivities,
  type OrderInventoryActivities,
} from '../../activities/orderAcknowledgment';
import { DISPATCHED_STATUSES, SHIPPABLE_STATUSES } from '../../workflows/orderAcknowledgment/orderStatus';
import type { OrderSnapshot } from '../../workflows/orderAcknowledgment/types';

export interface FakeOrder {
  status: string;
  paidAt: number;
  ttsSlaAt?: number;
  fulfilledByTikTok?: boolean;
  cancellation?: { cancelId: string; deadline: number };
  /** Every read fails for good (a non-retryable failure): the order's workflow fails. */
  unreadable?: boolean;
}
export interface Call {
  name: string;
  input: any;
}

/** The fake TikTok + database behind the activities: orders by id, and every activity call per order. */
export function fakeOrderWorld() {
  const orders = new Map<string, FakeOrder>();
  const calls = new Map<string, Call[]>();
  /** A read of this order answers only once its gate opens (and then with the order as it is at that moment). */
  const gates = new Map<string, Promise<void>>();
  const record = (orderId: string, name: string, input: unknown) =>
    calls.set(orderId, [...(calls.get(orderId) ?? []), { name, input }]);
  const real = createOrderActivities({
    cfg: {},
    db: undefined as never,
    tiktok: { client: undefined as never },
    tokens: { shopRef: () => Promise.reject(new Error('not used')) },
    notifier: { notify: () => Promise.reject(new Error('not used')) },
  });
  const order = (id: string) => {
    const o = orders.get(id);
    if (!o) throw new Error(`unknown fake order ${id}`);
    return o;
  };
  const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const activities: OrderActivities & OrderInventoryActivities & HumanStepActivities = {
    readOrder: async (_shopId, orderId): Promise<OrderSnapshot> => {
      record(orderId, 'readOrder', {});
      await gates.get(orderId);
      if (orders.get(orderId)?.unreadable)
        throw ApplicationFailure.nonRetryable(`order ${orderId} is unreadable`, 'FakeFailure');
      const o = order(orderId);
      return {
        orderId,
        status: o.status,
        region: 'US',
        fulfilledByTikTok: o.fulfilledByTikTok ?? false,
        shippingType: 'SELLER',
        warehouseId: 'wh-1',
        paidAt: iso(o.paidAt),
        ttsSlaAt: iso(o.ttsSlaAt),
        rtsSlaAt: iso(o.ttsSlaAt),
        lineItemIds: ['li-1'],
        packages: [],
        cancellation: o.cancellation && { cancelId: o.cancellation.cancelId, deadline: iso(o.cancellation.deadline) },
      };
    },
    planOrderClocks: (input) => real.planOrderClocks(input),
    writeOutbox: (input) => (record(input.orderId, 'writeOutbox', input), Promise.resolve({ version: 1 })),
    sendToWms: (input) => (record(input.orderId, 'sendToWms', input), Promise.resolve({ sent: true, version: 1 })),
    handOffToWarehouse: (input) => {
      record(input.orderId, 'writeOutbox', input);
      record(input.orderId, 'sendToWms', input);
      if (input.registerReference) record(input.orderId, 'registerExternalReference', input);
      return Promise.resolve({ sent: true, version: 1 });
    },
    registerExternalReference: (input) => (
      record(input.orderId, 'registerExternalReference', input),
      Promise.resolve()
    ),
    shipPackages: (input) => {
      record(input.orderId, 'shipPackages', input);
      order(input.orderId).status = 'AWAITING_COLLECTION';
      return Promise.resolve(input.packages.map((p, i) => ({ ...p, packageId: `pkg-${i}`, shippingProviderId: 'p1' })));
    },
    shipWithTikTok: (input) => {
      record(input.orderId, 'shipWithTikTok', input);
      order(input.orderId).status = 'AWAITING_COLLECTION';
      return Promise.resolve([{ packageId: 'pkg-tt', labelUrl: 'https://label.test/pkg-tt.pdf' }]);
    },
    commitOrderUnits: (input) => {
      record(input.orderId, 'commitOrderUnits', input);
      return Promise.resolve([{ lineItemId: 'li-1', sellerSku: 'SKU-1', productId: 'prod-1' }]);
    },
    releaseOrderUnits: (input) => (record(input.orderId, 'releaseOrderUnits', input), Promise.resolve(1)),
    recordTracking: (input) => (record(input.orderId, 'recordTracking', input), Promise.resolve(2)),
    // The combined reads compose the fakes as the real activities compose theirs.
    readAndHandOff: async (input) => {
      record(input.orderId, 'readAndHandOff', input);
      const read = await activities.readOrder(input.shopId, input.orderId);
      if (read.fulfilledByTikTok || read.cancellation || !SHIPPABLE_STATUSES.includes(read.status))
        return { order: read, handedOff: false };
      await activities.handOffToWarehouse({ ...input, reuseRecentRead: true, registerReference: true });
      return { order: read, handedOff: true };
    },
    readDispatchedOrder: async (input) => {
      const read = await activities.readOrder(input.shopId, input.orderId);
      const dispatched = DISPATCHED_STATUSES.includes(read.status);
      return { order: read, trackingEvents: dispatched ? await activities.recordTracking(input) : 0 };
    },
    recordDispatchEvent: (input) => (record(input.orderId, 'recordDispatchEvent', input), Promise.resolve()),
    notifyOperators: (input) => (record(input.orderId, 'notifyOperators', input), Promise.resolve()),
    // The human-step record (activities/humanSteps/), per order: the order id is the case id / the workflow id's tail.
    openHumanStep: (input) => {
      record(input.caseId, 'openHumanStep', input);
      return Promise.resolve({ stepId: `step-${input.caseId}-${input.stepKey}` });
    },
    closeHumanStep: (input) => (record(input.workflowId.split(':')[2]!, 'closeHumanStep', input), Promise.resolve()),
    approveCancellation: (input) => {
      const orderId = [...orders].find(([, o]) => o.cancellation?.cancelId === input.cancelId)![0];
      record(orderId, 'approveCancellation', input);
      order(orderId).status = 'CANCELLED';
      order(orderId).cancellation = undefined;
      return Promise.resolve();
    },
    rejectCancellation: (input) => {
      const orderId = [...orders].find(([, o]) => o.cancellation?.cancelId === input.cancelId)![0];
      record(orderId, 'rejectCancellation', input);
      order(orderId).cancellation = undefined;
      return Promise.resolve('seller_reject_apply_product_has_been_packed');
    },
  };
  return { orders, calls, gates, activities };
}
