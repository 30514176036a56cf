// RETURN_STATUS_CHANGE in the webhook routes (webhooks/routes.ts): a return of a shop that is not connected is skipped
// without touching Temporal, like an order's event. The connected path (signal-with-start of the return's workflow)
// runs end to end in test/e2e/returnRequest.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client } from '@temporalio/client';
import type { TikTokWebhookEvent } from '../../integrations/tiktok/webhooks';
import { WEBHOOK_ROUTES } from '../../webhooks/routes';
import { testDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database?.drop();
});

test('a return event of a shop that is not connected is skipped, and Temporal is never called', async () => {
  const route = WEBHOOK_ROUTES.RETURN_STATUS_CHANGE;
  assert.ok(route, 'RETURN_STATUS_CHANGE has a route');
  const event = {
    kind: 'RETURN_STATUS_CHANGE',
    type: 12,
    shop_id: '7495-not-connected',
    timestamp: 1_790_000_000,
    data: { order_id: 'o-1', return_id: 'r-1', return_status: 'RETURN_OR_REFUND_REQUEST_PENDING', update_time: 1 },
  } as unknown as TikTokWebhookEvent;
  const temporal = new Proxy({}, { get: () => assert.fail('Temporal must not be called') }) as Client;
  const outcome = await route(event, { db: database.db, temporal, taskQueue: 'unused' });
  assert.deepEqual(outcome, { status: 'skipped', reason: 'shop 7495-not-connected is not connected' });
});
