// Issue 17 item 1: events the webhook relay records (a DELIVERED status for a closed order workflow) mark the shop
// dirty and signal its accountHealth workflow: the relay's routes get that signal by default.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/knex';
import { relayRouteContext } from '../../webhooks/relay';
import { accountHealthWorkflowId } from '../../workflows/ids';

test("the relay's routes signal the shop's accountHealth workflow (signal-with-start) unless told otherwise", async () => {
  const started: { workflowId: string; taskQueue: string; signal: { name: string } }[] = [];
  const temporal = {
    workflow: {
      signalWithStart: (
        _type: unknown,
        options: { workflowId: string; taskQueue: string; signal: { name: string } },
      ) => {
        started.push(options);
        return Promise.resolve();
      },
    },
  } as unknown as Client;
  const ctx = relayRouteContext({ db: {} as Db, temporal, taskQueue: 'q1' }, undefined);
  await ctx.onShopHealthDirty!('shop-1');
  assert.deepEqual(
    started.map((s) => [s.workflowId, s.taskQueue]),
    [[accountHealthWorkflowId('shop-1'), 'q1']],
  );
  assert.equal(accountHealthWorkflowId('shop-1'), 'account-health:shop-1');

  const told: string[] = [];
  const own = relayRouteContext(
    { db: {} as Db, temporal, taskQueue: 'q1', onShopHealthDirty: (s) => (told.push(s), Promise.resolve()) },
    undefined,
  );
  await own.onShopHealthDirty!('shop-2');
  assert.deepEqual([told, started.length], [['shop-2'], 1]);
});
