// The shared search attributes on the dev server: every example query README.md shows runs and finds what it says,
// and registration makes room for the set where the retired per-process attributes are still registered.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { REPO_ROOT } from '../../config';
import { registerSearchAttributes } from '../../temporal/devServer';
import {
  ALL_SEARCH_ATTRIBUTES,
  CaseId,
  CaseRisk,
  CaseStage,
  HardDeadline,
  NextDeadline,
  RETIRED_SEARCH_ATTRIBUTES,
  ShopId,
  ShopRegion,
} from '../../workflows/shared/searchAttributes';
import { devServerEnv } from '../helpers/temporal';
import { until } from '../helpers/until';

/** Every `--query '…'` of README.md, and every query in the example column of its search attribute table. */
function readmeQueries(): string[] {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const cli = [...readme.matchAll(/--query '([^']+)'/g)].map((m) => m[1]!);
  const start = readme.indexOf('### Search attributes');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const table = [...section.matchAll(/^\| `\w+`\s*\|.*\| `([^`]+)`\s*\|$/gm)].map((m) => m[1]!);
  return [...new Set([...cli, ...table])];
}

describe('search attributes on the dev server', () => {
  let env: TestWorkflowEnvironment;
  const taskQueue = `sa-${crypto.randomBytes(4).toString('hex')}`;
  const started: string[] = [];

  before(async () => {
    env = await devServerEnv();
    // What the README's examples describe, as the processes publish it; on a queue no worker polls (never run).
    const seeds: { type: string; id: string; attributes: SearchAttributePair[] }[] = [
      {
        type: 'orderAcknowledgment',
        id: 'order:7495:576461413038785752',
        attributes: [
          { key: ShopId, value: '7495' },
          { key: CaseId, value: '576461413038785752' },
          { key: CaseStage, value: 'AWAITING_SHIPMENT' },
          { key: CaseRisk, value: 'at_risk' },
          { key: NextDeadline, value: new Date('2026-12-29T08:00:00Z') },
          { key: HardDeadline, value: new Date('2026-12-30T06:00:00Z') },
        ],
      },
      {
        type: 'orderAcknowledgment',
        id: 'order:7495:576461413038785753',
        attributes: [
          { key: ShopId, value: '7495' },
          { key: CaseId, value: '576461413038785753' },
          { key: CaseStage, value: 'AWAITING_COLLECTION' },
          { key: CaseRisk, value: 'late' },
          { key: NextDeadline, value: new Date('2026-12-28T06:00:00Z') },
          { key: HardDeadline, value: new Date('2026-12-28T06:00:00Z') },
        ],
      },
      {
        type: 'shopLifecycle',
        id: 'shop:7495',
        attributes: [
          { key: ShopId, value: '7495' },
          { key: ShopRegion, value: 'US' },
          { key: CaseStage, value: 'revoked' },
        ],
      },
    ];
    for (const seed of seeds) {
      const workflowId = `${seed.id}:${taskQueue}`;
      await env.client.workflow.start(seed.type, {
        taskQueue,
        workflowId,
        args: [],
        typedSearchAttributes: seed.attributes,
      });
      started.push(workflowId);
    }
  });
  after(async () => {
    for (const id of started) await env?.client.workflow.getHandle(id).terminate('test done');
    await env?.teardown();
  });

  test("each of README.md's example queries runs and finds the workflows it describes", async () => {
    const queries = readmeQueries();
    assert.ok(queries.length >= 8, `README's example queries found: ${queries.join(' | ')}`);
    for (const query of queries) {
      await until(`README query ${query}`, async () => {
        for await (const wf of env.client.workflow.list({ query: `(${query}) AND TaskQueue = '${taskQueue}'` }))
          return Boolean(wf.workflowId);
        return false;
      });
    }
  });

  test('registration removes the retired attributes first, where the set would not fit beside them', async () => {
    // A namespace of its own: slots are counted per namespace, and the shared one already holds the set.
    const namespace = `sa-retire-${crypto.randomBytes(4).toString('hex')}`;
    const conn = env.connection;
    await conn.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const datetimes = new Set(['OrderReadyToShipBy', 'OrderCarrierScanBy']);
    const oldSet = [
      ShopId,
      ShopRegion,
      ...RETIRED_SEARCH_ATTRIBUTES.map((name) =>
        defineSearchAttributeKey(
          name,
          datetimes.has(name) ? SearchAttributeType.DATETIME : SearchAttributeType.KEYWORD,
        ),
      ),
    ];
    // The namespace reaches the operator service's cache shortly after it is registered.
    await until('the old set registered', () => registerSearchAttributes(conn, namespace, oldSet).then(() => true));
    await assert.rejects(
      registerSearchAttributes(conn, namespace, ALL_SEARCH_ATTRIBUTES),
      'without retirement the set needs more Datetime slots than SQL visibility has',
    );
    await registerSearchAttributes(conn, namespace, ALL_SEARCH_ATTRIBUTES, RETIRED_SEARCH_ATTRIBUTES);
    const { customAttributes } = await conn.operatorService.listSearchAttributes({ namespace });
    assert.deepEqual(Object.keys(customAttributes ?? {}).sort(), ALL_SEARCH_ATTRIBUTES.map((k) => k.name).sort());
  });
});
