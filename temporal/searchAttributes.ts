import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes: every SLA clock and risk level is listable in the Web UI and with
// `temporal workflow list --query`. Registered on the dev server at start and in tests.
export const ShopId = defineSearchAttributeKey('ShopId', SearchAttributeType.KEYWORD);
export const ShopRegion = defineSearchAttributeKey('ShopRegion', SearchAttributeType.KEYWORD);
export const AuthorizationState = defineSearchAttributeKey('AuthorizationState', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [ShopId, ShopRegion, AuthorizationState] as const;
