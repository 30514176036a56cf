import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTikTokClient } from '../../integrations/tiktok/client';
import { createTokenStore, type TokenStore } from '../../integrations/tiktok/tokenStore';
import { decrypt, type Keyring } from '../../secrets/keyring';
import { DAY, startHarness, type Harness } from '../contract/harness';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

// The encrypted PostgreSQL token store against the emulator's auth host: refresh before expiry, after 105002,
// exactly once across processes (refresh tokens are single-use), and a refused refresh pauses the seller's shops.
describe('TikTok token store (PostgreSQL + emulator)', () => {
  let h: Harness;
  let database: TestDatabase;
  const keyring: Keyring = { activeKeyId: 'k1', keys: new Map([['k1', crypto.randomBytes(32)]]) };
  const lost: { shopIds: string[]; reason: string }[] = [];

  const store = (now: () => number = Date.now): TokenStore =>
    createTokenStore({
      db: database.db,
      keyring,
      auth: h.auth,
      refreshMarginMs: 3600_000,
      now,
      onAuthorizationLost: (shopIds, reason) => {
        lost.push({ shopIds, reason });
        return Promise.resolve();
      },
    });

  const open = (data: Buffer) => Promise.resolve(decrypt(keyring.keys.get('k1')!, data).toString('utf8'));

  before(async () => {
    h = await startHarness();
    database = await testDatabase();
    const s = store();
    const openId = await s.saveGrant(h.grant);
    assert.equal(openId, h.sellerOpenId);
    await s.saveShops(openId, [h.authorizedShop]);
  });
  after(async () => {
    await database?.drop();
    await h?.close();
  });

  test('tokens are stored encrypted and read back', async () => {
    const row = await database.db('tiktok_authorizations').first();
    assert.ok(!row.access_token_enc.toString('latin1').includes(h.grant.accessToken));
    assert.equal(await store().provider.getAccessToken(h.shop.shopId), h.grant.accessToken);
    assert.deepEqual(await store().shopRef(h.shop.shopId), h.shop);
  });

  test('a token close to its absolute expiry is refreshed before use', async () => {
    const nearExpiry = () => h.grant.accessTokenExpiresAt.getTime() - 60_000;
    const token = await store(nearExpiry).provider.getAccessToken(h.shop.shopId);
    assert.notEqual(token, h.grant.accessToken);
    const row = await database.db('tiktok_authorizations').first();
    assert.ok(row.access_token_expires_at.getTime() > h.grant.accessTokenExpiresAt.getTime() - 1000);
  });

  test('two processes refreshing at once spend the single-use refresh token once', async () => {
    const row = await database.db('tiktok_authorizations').first();
    const nearExpiry = () => row.access_token_expires_at.getTime() - 60_000;
    // Clocks in this file jump around; say the token was last refreshed a day before that moment.
    await database.db('tiktok_authorizations').update({ refreshed_at: new Date(nearExpiry() - DAY) });
    const [a, b] = [store(nearExpiry), store(nearExpiry)];
    const tokens = await Promise.all([
      a.provider.getAccessToken(h.shop.shopId),
      b.provider.getAccessToken(h.shop.shopId),
    ]);
    assert.equal(tokens[0], tokens[1], 'both see the one refreshed token');
    assert.notEqual(tokens[0], await open(row.access_token_enc));
    // A forced refresh right after (another worker's 105002) reuses it instead of spending the refresh token again.
    assert.equal(await a.provider.refresh(h.shop.shopId), tokens[0]);
    // The stored token works on the API.
    const client = createTikTokClient({
      baseUrl: h.url,
      authBaseUrl: h.url,
      appKey: 'contract_app_key',
      appSecret: 'contract_app_secret_0123456789',
      tokens: store().provider,
    });
    assert.ok((await callEndpoint(client, endpoints.getWarehouses, h.shop)).length >= 1);
  });

  test('after 105002 (expired on TikTok side) the client refreshes through the store and retries', async () => {
    await h.admin('/clock/advance', { ms: 8 * DAY });
    const client = createTikTokClient({
      baseUrl: h.url,
      authBaseUrl: h.url,
      appKey: 'contract_app_key',
      appSecret: 'contract_app_secret_0123456789',
      tokens: store().provider, // real clock: our store does not know TikTok's clock moved
    });
    assert.ok((await callEndpoint(client, endpoints.getWarehouses, h.shop)).length >= 1);
  });

  test('a refused refresh pauses every shop of the seller and reports it', async () => {
    await h.admin('/tokens/revoke', { open_id: h.sellerOpenId });
    // A minute later than the last refresh, so the store really asks the auth host.
    await assert.rejects(store(() => Date.now() + 60_000).provider.refresh(h.shop.shopId), /TikTok|revoked|refus/i);
    assert.deepEqual(lost.at(-1)?.shopIds, [h.shop.shopId]);
    await assert.rejects(store().shopRef(h.shop.shopId), (err: Error & { type?: string }) => {
      assert.equal(err.type, 'ShopAuthorizationPaused');
      return true;
    });
  });
});
