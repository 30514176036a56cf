import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { AccountHealthActivities } from '../../activities/accountHealth';
import type { ReconciliationActivities } from '../../activities/reconciliation';
import type { createShopActivities } from '../../activities/shopLifecycle';
import { UNSUPPORTED_REGION } from '../shared/failureTypes';
import { upsertCaseAttributes } from '../shared/searchAttributes';
import {
  authorizationChangedSignal,
  authorizationExpiringSignal,
  getShopQuery,
  registerShopSignal,
  type AuthorizationChange,
  type ShopLifecycleInput,
  type ShopRegistration,
  type ShopState,
} from './messages';

// Well under the server's 50k-event limit; continueAsNewSuggested usually comes first.
const DEFAULT_MAX_HISTORY_EVENTS = 5_000;

const { loadRegionPolicy, recordShop, applyShopAuthorization, notify, createAuthorizationLink } = proxyActivities<
  ReturnType<typeof createShopActivities>
>({
  startToCloseTimeout: '30 seconds',
  retry: { nonRetryableErrorTypes: [UNSUPPORTED_REGION] },
});

// The shop's reconciliation Schedules (`reconcile-orders:<shopId>`, `reconcile-returns:<shopId>`) follow its
// authorization: created (or updated) and running when authorized, paused while revoked.
const { ensureReconciliationSchedules, pauseReconciliationSchedules } = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '30 seconds',
});

// A connected shop's account health is watched: its `account-health:<shopId>` workflow runs and its daily Schedule
// (`account-health-daily:<shopId>`) exists. It reads only PostgreSQL, so it keeps running while the shop is revoked.
const { ensureAccountHealth } = proxyActivities<AccountHealthActivities>({ startToCloseTimeout: '30 seconds' });

type ShopEvent =
  | { type: 'registration'; registration: ShopRegistration }
  | { type: 'authorization'; change: AuthorizationChange }
  | { type: 'expiring'; expiresAt: string; at: string };

/** One long-lived workflow per shop: its registration, policy region and authorization state. */
export async function shopLifecycle(input: ShopLifecycleInput): Promise<void> {
  const inbox: ShopEvent[] = input.carried ? [] : [{ type: 'registration', registration: input.registration }];
  let state = input.carried;
  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const historyIsLarge = (): boolean => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > maxEvents;
  };

  setHandler(registerShopSignal, (registration) => void inbox.push({ type: 'registration', registration }));
  setHandler(authorizationChangedSignal, (change) => void inbox.push({ type: 'authorization', change }));
  setHandler(authorizationExpiringSignal, (e) => void inbox.push({ type: 'expiring', ...e }));
  setHandler(getShopQuery, () => {
    if (!state) throw new Error('shop is still being registered');
    return state;
  });

  for (;;) {
    await condition(() => inbox.length > 0 || historyIsLarge());
    const event = inbox.shift();
    if (event === undefined) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof shopLifecycle>({ ...input, carried: state });
      return;
    }
    if (event.type === 'registration') state = await applyRegistration(state, event.registration);
    else if (state && event.type === 'authorization') state = await applyAuthorization(state, event.change);
    else if (state && event.type === 'expiring') await warnAuthorizationExpiring(state, event.expiresAt, event.at);
  }
}

async function applyRegistration(previous: ShopState | undefined, registration: ShopRegistration): Promise<ShopState> {
  // signal-with-start delivers a new shop's registration twice (start input and signal): apply it once.
  if (previous && previous.region === registration.region && previous.displayName === registration.displayName) {
    return previous;
  }
  const policy = await loadRegionPolicy(registration.region);
  const now = new Date().toISOString();
  const next: ShopState = {
    ...previous,
    ...registration,
    authorization: previous?.authorization ?? 'not_connected',
    policy,
    registeredAt: previous?.registeredAt ?? now,
    updatedAt: now,
  };
  await recordShop({ shopId: next.shopId, region: next.region, displayName: next.displayName });
  publish(next);
  return next;
}

/**
 * Revoked: the shop's outbound calls pause (the token store refuses them, activities wait and retry), operators are
 * notified and the seller is asked to authorize again. Authorized again: calls resume and operators are told.
 */
async function applyAuthorization(state: ShopState, change: AuthorizationChange): Promise<ShopState> {
  if (state.authorization === change.status) return state;
  await applyShopAuthorization(state.shopId, change.status, change.reason);
  if (change.status === 'authorized') {
    await ensureReconciliationSchedules(state.shopId);
    await ensureAccountHealth(state.shopId);
  } else await pauseReconciliationSchedules(state.shopId, change.reason);
  const next: ShopState = {
    ...state,
    authorization: change.status,
    authorizationReason: change.reason,
    authorizationChangedAt: change.at,
    updatedAt: new Date().toISOString(),
  };
  publish(next);
  const dedupKey = `shop:${state.shopId}:authorization:${change.status}:${change.at}`;
  if (change.status === 'revoked') {
    const link = await createAuthorizationLink(state.shopId);
    await notify({
      dedupKey,
      shopId: state.shopId,
      kind: 'authorization_revoked',
      severity: 'critical',
      title: `TikTok authorization lost for ${state.displayName}`,
      body: `Calls to TikTok for this shop are paused (${change.reason}). Ask the seller to authorize the app again.`,
      links: [{ label: 'Re-authorize', url: link }],
    });
  } else if (state.authorization === 'revoked') {
    await notify({
      dedupKey,
      shopId: state.shopId,
      kind: 'authorization_restored',
      severity: 'info',
      title: `TikTok authorization restored for ${state.displayName}`,
      body: 'Paused calls to TikTok resume now.',
    });
  }
  return next;
}

async function warnAuthorizationExpiring(state: ShopState, expiresAt: string, at: string): Promise<void> {
  const link = await createAuthorizationLink(state.shopId);
  await notify({
    dedupKey: `shop:${state.shopId}:authorization-expiring:${expiresAt}:${at}`,
    shopId: state.shopId,
    kind: 'authorization_expiring',
    severity: 'warning',
    title: `TikTok authorization for ${state.displayName} expires ${expiresAt}`,
    body: 'Ask the seller to authorize the app again before it expires.',
    links: [{ label: 'Re-authorize', url: link }],
  });
}

function publish(state: ShopState): void {
  // The shop is its own case (ShopId is its key): its stage is the authorization state.
  upsertCaseAttributes({ shopId: state.shopId, region: state.region, stage: state.authorization });
}
