import { ACCOUNT_HEALTH_ROWS } from './accountHealthRows';
import { APPEAL_ROWS } from './appealRows';
import { DISPATCH_ROWS } from './dispatchRows';
import { DISPUTE_ROWS } from './disputeRows';
import { INVENTORY_ROWS } from './inventoryRows';
import { REGION_ROWS } from './regions';
import { RETURN_ROWS } from './returnRows';
import { policyValue, type PolicyRow } from './table';

export { SUPPORTED_REGIONS, type Region } from './regions';
export { PolicyNotFoundError, type PolicyRow } from './table';

/** Every policy row the product knows; later modules append their own tables here. */
export const POLICY_ROWS: readonly PolicyRow[] = [
  ...REGION_ROWS,
  ...DISPATCH_ROWS,
  ...INVENTORY_ROWS,
  ...RETURN_ROWS,
  ...ACCOUNT_HEALTH_ROWS,
  ...DISPUTE_ROWS,
  ...APPEAL_ROWS,
];

export function policy<T>(region: string, key: string, at: Date = new Date()): PolicyRow<T> {
  return policyValue<T>(POLICY_ROWS, region, key, at);
}
