import type { Knex } from 'knex';

// A body kept as hash + 4 KB counts on one row per source, address, hash — and shop: two brands uploading the same
// oversized catalog each keep their own row in their own view (api/scope.ts), instead of one counting on the other's.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX dead_letters_unauthenticated_idx');
  await knex.raw(
    `CREATE UNIQUE INDEX dead_letters_unauthenticated_idx
       ON dead_letters (source, remote_address, body_sha256, (coalesce(shop_id, '')))
       WHERE NOT raw_kept`,
  );
}
