import { POLICY_ROWS, PolicyNotFoundError, type PolicyRow } from '../policy';
import { policyValue } from '../policy/table';
import type { PolicyUse } from './model';

/** Rows that hold for every region (product defaults) use this region name. */
export const ANY_REGION = '*';

/**
 * The policy rows one account-health report reads, for one region and instant: each row read is kept (with its
 * source and whether it is unverified) so the report can show what it rests on.
 */
export function policyReader(region: string, at: Date, rows: readonly PolicyRow[] = POLICY_ROWS) {
  const used = new Map<string, PolicyUse>();
  function find<T>(key: string): PolicyRow<T> | undefined {
    for (const r of [region, ANY_REGION]) {
      try {
        const row = policyValue<T>(rows, r, key, at);
        used.set(`${row.region}:${key}`, {
          region: row.region,
          key,
          value: row.value,
          effectiveFrom: row.effectiveFrom,
          source: row.source,
          uncertain: row.uncertain === true,
        });
        return row;
      } catch (err) {
        if (!(err instanceof PolicyNotFoundError)) throw err;
      }
    }
    return undefined;
  }
  return {
    region,
    at,
    /** The row in force, or undefined when the region has none. */
    find,
    /** The row in force; throws PolicyNotFoundError when the region has none. */
    row<T>(key: string): PolicyRow<T> {
      const row = find<T>(key);
      if (!row) throw new PolicyNotFoundError(`no policy ${key} for region ${region} at ${at.toISOString()}`);
      return row;
    },
    used(): PolicyUse[] {
      return [...used.values()].sort((a, b) => a.key.localeCompare(b.key));
    },
  };
}

export type PolicyReader = ReturnType<typeof policyReader>;
