import knexFactory, { type Knex } from 'knex';
import { migrationSource } from './migrations';

export type Db = Knex;

export function createDb(databaseUrl: string, poolMax = 10): Db {
  return knexFactory({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: poolMax },
  });
}

/** Whether PostgreSQL answers (GET /healthz). */
export async function ping(db: Db): Promise<void> {
  await db.raw('select 1');
}

/** Forward-only migrations, applied on every start; the list lives in db/migrations/index.ts. */
export async function migrate(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

/**
 * Limits a query to the rows of `shopIds` (the caller's shop scope, api/scope.ts shopFilter); null: every row. Rows
 * without a shop are left out by the filter, so only agency-wide callers see them.
 */
export function whereShopIn<Q extends Knex.QueryBuilder>(
  query: Q,
  shopIds: readonly string[] | null | undefined,
  column = 'shop_id',
): Q {
  return shopIds ? (query.whereIn(column, [...shopIds]) as Q) : query;
}
