import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createShopActivities } from '../activities/shop';
export { shopWorkflowId } from './ids';
import { AuthorizationState, ShopId, ShopRegion } from '../temporal/searchAttributes';

export type ShopAuthorization = 'not_connected' | 'authorized' | 'revoked';

export interface ShopRegistration {
  shopId: string;
  region: string;
  displayName: string;
}

export interface ShopState extends ShopRegistration {
  authorization: ShopAuthorization;
  policy: { timezone: string; currency: string };
  registeredAt: string;
  updatedAt: string;
}

export interface ShopLifecycleInput {
  registration: ShopRegistration;
  /** State carried over by continue-as-new. */
  carried?: ShopState;
  /** Continue-as-new past this many history events (default 5,000; tests use a small value). */
  maxHistoryEvents?: number;
}

export const registerShopSignal = defineSignal<[ShopRegistration]>('registerShop');
export const getShopQuery = defineQuery<ShopState>('getShop');

// Well under the server's 50k-event limit; continueAsNewSuggested usually comes first.
const DEFAULT_MAX_HISTORY_EVENTS = 5_000;

const { loadRegionPolicy, recordShop } = proxyActivities<ReturnType<typeof createShopActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { nonRetryableErrorTypes: ['UnsupportedRegion'] },
});

/** One long-lived workflow per shop: its registration, policy region and authorization state. */
export async function shopLifecycle(input: ShopLifecycleInput): Promise<void> {
  let pending: ShopRegistration | undefined = input.carried ? undefined : input.registration;
  let state = input.carried;
  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const historyIsLarge = (): boolean => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > maxEvents;
  };

  setHandler(registerShopSignal, (registration) => {
    pending = registration;
  });
  setHandler(getShopQuery, () => {
    if (!state) throw new Error('shop is still being registered');
    return state;
  });

  for (;;) {
    if (pending) {
      const registration = pending;
      pending = undefined;
      state = await applyRegistration(state, registration);
    }
    await condition(() => pending !== undefined || historyIsLarge());
    if (pending === undefined && historyIsLarge()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof shopLifecycle>({ ...input, carried: state });
    }
  }
}

async function applyRegistration(previous: ShopState | undefined, registration: ShopRegistration): Promise<ShopState> {
  const policy = await loadRegionPolicy(registration.region);
  const now = new Date().toISOString();
  const next: ShopState = {
    shopId: registration.shopId,
    region: registration.region,
    displayName: registration.displayName,
    authorization: previous?.authorization ?? 'not_connected',
    policy,
    registeredAt: previous?.registeredAt ?? now,
    updatedAt: now,
  };
  await recordShop({ shopId: next.shopId, region: next.region, displayName: next.displayName });
  upsertSearchAttributes([
    { key: ShopId, value: next.shopId },
    { key: ShopRegion, value: next.region },
    { key: AuthorizationState, value: next.authorization },
  ]);
  return next;
}
