// The shop workflow's messages: its input, registration and authorization signals, the query the API reads, and
// their shapes.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export type ShopAuthorization = 'not_connected' | 'authorized' | 'revoked';

export interface ShopRegistration {
  shopId: string;
  region: string;
  displayName: string;
}

/** A change of the seller's consent, from the OAuth callback, a webhook or a refused token refresh. */
export interface AuthorizationChange {
  status: 'authorized' | 'revoked';
  reason: string;
  /** When the sender observed it (ISO); also makes the resulting notification idempotent. */
  at: string;
}

export interface ShopState extends ShopRegistration {
  authorization: ShopAuthorization;
  authorizationReason?: string;
  authorizationChangedAt?: string;
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

/** TikTok's UPCOMING_AUTHORIZATION_EXPIRATION webhook: the seller's authorization expires soon. */
export interface AuthorizationExpiring {
  /** ISO, or `soon` when the webhook gave no time. */
  expiresAt: string;
  /** The webhook's event time (ISO); also makes the resulting notification idempotent. */
  at: string;
}

export const registerShopSignal = defineSignal<[ShopRegistration]>('registerShop');
export const authorizationChangedSignal = defineSignal<[AuthorizationChange]>('authorizationChanged');
export const authorizationExpiringSignal = defineSignal<[AuthorizationExpiring]>('authorizationExpiring');
export const getShopQuery = defineQuery<ShopState>('getShop');
