import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per seller authorization (TikTok's open_id); its tokens cover every shop the seller authorized.
  await knex.schema.createTable('tiktok_authorizations', (t) => {
    t.string('open_id', 128).primary();
    t.string('seller_name', 255);
    t.string('seller_base_region', 8);
    // Tokens are encrypted with SECRETS_ENCRYPTION_KEY (AES-256-GCM); the key id allows rotation.
    t.string('key_id', 64).notNullable();
    t.binary('access_token_enc').notNullable();
    t.timestamp('access_token_expires_at', { useTz: true }).notNullable();
    t.binary('refresh_token_enc').notNullable();
    t.timestamp('refresh_token_expires_at', { useTz: true }).notNullable();
    t.jsonb('granted_scopes').notNullable().defaultTo('[]');
    t.timestamp('refreshed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('tiktok_shops', (t) => {
    t.string('shop_id', 64).primary();
    t.string('open_id', 128).notNullable().references('open_id').inTable('tiktok_authorizations');
    t.string('shop_cipher', 255).notNullable();
    t.string('name', 255);
    t.string('region', 8);
    t.string('seller_type', 32);
    t.string('code', 64);
    // 'authorized' | 'revoked': while revoked every outbound call for the shop waits (activities retry).
    t.string('authorization_status', 16).notNullable().defaultTo('authorized');
    t.string('authorization_reason', 500);
    t.timestamp('authorization_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['open_id']);
  });

  // Single-use `state` values of authorization links (CSRF protection of the OAuth callback).
  await knex.schema.createTable('oauth_states', (t) => {
    t.string('state', 64).primary();
    t.string('purpose', 64).notNullable();
    t.string('shop_id', 64);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('used_at', { useTz: true });
  });

  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id').primary();
    // Makes a retried activity idempotent: the same event never notifies twice.
    t.string('dedup_key', 300).notNullable().unique();
    t.string('shop_id', 64);
    t.string('kind', 64).notNullable();
    t.enu('severity', ['info', 'warning', 'critical'], {
      useNative: true,
      enumName: 'notification_severity',
    }).notNullable();
    t.string('title', 300).notNullable();
    t.text('body').notNullable();
    t.jsonb('links').notNullable().defaultTo('[]');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('delivered_at', { useTz: true });
    t.text('delivery_error');
    t.timestamp('acknowledged_at', { useTz: true });
    t.string('acknowledged_by', 200);
    t.index(['shop_id', 'created_at']);
  });

  // Webhooks are answered once their row is here; the relay routes rows to workflows afterwards.
  await knex.schema.createTable('webhook_inbox', (t) => {
    t.bigIncrements('id').primary();
    t.string('dedup_key', 300).notNullable().unique();
    t.integer('type').notNullable();
    t.string('kind', 64).notNullable();
    t.string('shop_id', 64);
    // pending → routed | unrouted (no route yet) | skipped (nothing to deliver to) | failed (retried by the relay)
    t.string('status', 16).notNullable().defaultTo('pending');
    t.jsonb('event').notNullable();
    t.text('raw_body').notNullable();
    t.integer('deliveries').notNullable().defaultTo(1);
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.string('workflow_id', 300);
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('routed_at', { useTz: true });
    t.index(['status', 'next_attempt_at', 'id']);
  });
}
