// Every demo scenario (demo/index.ts) on ONE in-process stack and emulator, in the order `npm run demo --list` shows
// them, through the same preparation the runner does (find and connect the shop, compress time, put it back). After
// each, the emulator's own state is checked (orders dispatched, stock, authorization, returns decided), not only the
// summary line. Then the runner's command line: `--list`, and a broken scenario ends in its FAILED line and exit 1.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { REPO_ROOT } from '../../config';
import { taxEngineSettings } from '../../config/taxEngines';
import { openDemo, type DemoTarget } from '../../demo/context';
import { DEMO_SCENARIOS } from '../../demo/index';
import type { DemoShop } from '../../demo/scenario';
import { saleTransactionCode } from '../../integrations/taxEngines/types';
import { startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import type { TestStack } from '../helpers/stack';
import { devServerEnv } from '../helpers/temporal';
import { pdfText } from '../helpers/pdfText';
import { until } from '../helpers/until';

const APP_KEY = 'demo_app_key';
const APP_SECRET = 'demo_app_secret_0123456789abcdef';
// TikTok's 48-hour return window in 30 s; the escalation 24 h before it fires after 15 s.
const COMPRESSION = 5760;

/** What the scenario left in the emulator (and, where the emulator cannot tell, in the product). */
type Check = (world: EmulatorStack, shop: DemoShop, summary: string, before: Snapshot) => Promise<void>;
interface Snapshot {
  orderIds: Set<string>;
}

const newOrders = async (world: EmulatorStack, before: Snapshot) =>
  ((await world.admin('/record/orders')).orders as { order_id: string; shop_id: string; status: string }[]).filter(
    (o) => o.shop_id === world.shopId && !before.orderIds.has(o.order_id),
  );

const marksOf = async (world: EmulatorStack, orderId: string) =>
  (
    (await world.admin('/record/mutations')).mutations as { action: string; applied: boolean; orderIds: string[] }[]
  ).filter((m) => m.action === 'mark_package_as_shipped' && m.applied && m.orderIds.includes(orderId)).length;

/** Completed executions of a workflow type on the stack's Temporal (the scenario's process, not only its effects). */
const completed = async (world: EmulatorStack, type: string): Promise<number> => {
  let n = 0;
  for await (const _ of world.stack.client.workflow.list({
    query: `WorkflowType = '${type}' AND ExecutionStatus = 'Completed'`,
  }))
    n += 1;
  return n;
};

const CHECKS: Record<string, Check> = {
  async evidence(world, shop, summary) {
    const parts = summary.split(' — ')[1]!.split(' | ');
    assert.equal(parts.length, 4, summary);
    const [normal, noScan, late, otherZip] = parts as [string, string, string, string];
    assert.match(normal, /^normal: \d+ scans, label → first scan .*, delivered 0\.0 km from the address \(ZIP 07030\)/);
    assert.match(noScan, /^never scanned: \d+ scans, label → first scan never, carrier shows pre_transit/);
    const hours = (text: string) => Number(/\(([\d.]+) hours\)/.exec(text)?.[1]);
    assert.ok(hours(late) > hours(normal), `late first scan ${hours(late)} h vs normal ${hours(normal)} h`);
    const km = /delivered ([\d.]+) km from the address \(ZIP (\d{5})\) \[([0-9a-f-]+)\]/.exec(otherZip);
    assert.ok(km && Number(km[1]) > 15 && km[2] !== '07030', otherZip);
    // The distance the summary names is the one the bundle PDF prints.
    const pdf = await fetch(`${world.stack.baseUrl}/v1/shops/${shop.shopId}/evidence-bundles/${km[3]}/content`, {
      headers: { authorization: `Bearer ${world.stack.adminKey}` },
    });
    const text = (await pdfText(Buffer.from(await pdf.arrayBuffer()))).text;
    assert.ok(text.includes(`${km[1]} km`), `the PDF names ${km[1]} km`);
    assert.ok(text.includes(km[2]!), `the PDF names ZIP ${km[2]}`);
  },
  async chargeback(world, shop, summary) {
    const m =
      /^chargeback (cb-demo-[0-9a-f]+) on delivered order (\d+): bundle (\S+) \((\d+) pages\) ready [\d.]+ s after opening, downloaded to (\S+\.pdf);/.exec(
        summary,
      );
    assert.ok(m, summary);
    const [, chargebackId, orderId, bundleId, pages, file] = m;
    assert.equal((await world.admin(`/orders/${orderId}`)).status, 'DELIVERED');
    // The file the summary names is the bundle the API describes, byte for byte.
    const bytes = fs.readFileSync(file!);
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const described = await world.stack.call('GET', `/v1/shops/${shop.shopId}/evidence-bundles/${bundleId}`);
    assert.equal(described.status, 200);
    assert.equal(described.json.sha256, crypto.createHash('sha256').update(bytes).digest('hex'));
    assert.equal(described.json.pageCount, Number(pages));
    const recorded = (await world.stack.call('GET', `/v1/shops/${shop.shopId}/chargebacks?open=false`)).json
      .chargebacks;
    const row = recorded.find((c: { caseId: string }) => c.caseId === chargebackId);
    assert.deepEqual([row.orderId, row.outcome, row.bundleId], [orderId, 'won', bundleId]);
    assert.match(row.submittedBy, /\(key /);
  },
  async ungating(world, shop, summary) {
    const m =
      /^category (\d+) approved on submission 2 after a rejection \('missing COA lot'\) in [\d.]+ s; product (\d+) carries certifications ([\d, ]+) \(audit APPROVED\); re-qualification at (\S+); packet → (\S+\.pdf)$/.exec(
        summary,
      );
    assert.ok(m, summary);
    const [, categoryId, productId, certifications, requalifyAt, file] = m;
    // On TikTok (the emulator): the category open to the shop after a rejection and an approval, the product
    // carrying the COA and the FDA registration (the brand authorization did not apply).
    const { categories } = await world.admin(`/categories?shop_id=${shop.shopId}`);
    const category = (categories as any[]).find((c) => c.id === categoryId);
    assert.equal(category.permission, 'AVAILABLE');
    assert.deepEqual(
      category.application.attempts.map((a: any) => a.outcome),
      ['rejected', 'approved'],
    );
    const product = category.products.find((p: any) => p.id === productId);
    assert.deepEqual([...product.certifications].sort(), ['8200101', '8200102']);
    assert.equal(certifications, product.certifications.join(', '));
    // Ours: two attempts recorded with TikTok's reason, the round asleep until 30 days before the COA expires.
    const db = world.stack.database.db;
    const application = await db('category_ungating_applications')
      .where({ shop_id: shop.shopId, category_id: categoryId })
      .orderBy('round', 'desc')
      .first();
    assert.deepEqual([application.stage, application.outcome], ['qualified', 'qualified']);
    assert.equal(new Date(application.requalify_at).toISOString(), requalifyAt);
    const attempts = await db('category_ungating_attempts')
      .where({ application_id: application.application_id })
      .orderBy('attempt');
    assert.deepEqual(
      attempts.map((a: any) => [a.attempt, a.decision, a.decided_by, a.reasons]),
      [
        [1, 'rejected', 'TikTok audit', ['missing COA lot']],
        [2, 'approved', 'TikTok audit', []],
      ],
    );
    // The packet the demo downloaded is the second submission's, with its checklist.
    const bytes = fs.readFileSync(file!);
    assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), attempts[1].packet_file_id);
    const text = (await pdfText(bytes)).text.replace(/\s+/g, ' ');
    assert.match(text, /Category application: Dietary Supplements/);
    assert.match(text, /missing COA lot/);
    assert.match(text, /LOT-2611-07/);
  },
  async appeal(world, shop, summary) {
    const m =
      /^notice (cf-[0-9a-f]+) refused \(counterfeit, go to [^)]+\); late-dispatch notice (ld-[0-9a-f]+): late orders ([\d, ]+) in the evidence, draft v1 edited to v2 by demo-operator through the CLI, approved, submitted \((SC-[0-9a-f]+)\) and approved by TikTok in round 1; v2 PDF (\d+) pages → (\S+\.pdf)$/.exec(
        summary,
      );
    assert.ok(m, summary);
    const [, refusedId, noticeId, lateList, reference, pages, file] = m;
    const lateIds = lateList!.split(', ');
    // Each late order was scanned after its dispatch deadline, as the emulator records it.
    for (const id of lateIds) assert.equal((await world.admin(`/orders/${id}`)).record.late_dispatch, true, id);
    const db = world.stack.database.db;
    const refused = await db('suspension_appeals').where({ shop_id: shop.shopId, notice_id: refusedId }).first();
    assert.deepEqual([refused.stage, refused.refusal.category], ['refused', 'counterfeit']);
    assert.ok(refused.closed_at);
    assert.equal((await db('suspension_appeal_versions').where({ notice_id: refusedId })).length, 0);
    const row = await db('suspension_appeals').where({ shop_id: shop.shopId, notice_id: noticeId }).first();
    assert.deepEqual(
      [row.stage, row.decision, row.approved_version, row.submission_reference],
      ['approved', 'approved', 2, reference],
    );
    assert.match(row.submitted_by, /^demo-operator\b/);
    const versions = await db('suspension_appeal_versions').where({ notice_id: noticeId }).orderBy('version');
    assert.deepEqual(
      versions.map((v: { version: number; kind: string }) => [v.version, v.kind]),
      [
        [1, 'draft'],
        [2, 'edit'],
      ],
    );
    assert.match(versions[1].created_by, /^demo-operator\b/);
    // The file the summary names is version 2's PDF, byte for byte; it names the late orders and carries the edit.
    const bytes = fs.readFileSync(file!);
    assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), versions[1].sha256);
    assert.equal(versions[1].page_count, Number(pages));
    const text = (await pdfText(bytes)).text;
    // The evidence table's narrow order column wraps long ids: compare without line breaks.
    const joined = text.replace(/\s+/g, '');
    for (const id of lateIds) assert.ok(joined.includes(id), `the PDF names order ${id}`);
    assert.ok(text.includes('Checked by the operations lead'), 'the PDF carries the edit');
    await until('completed suspensionAppeal workflows', async () => (await completed(world, 'suspensionAppeal')) >= 2);
  },
  async orders(world, _shop, summary, before) {
    assert.match(summary, /^3 orders placed, handed to the warehouse in [\d.]+ s/);
    const orders = await newOrders(world, before);
    assert.equal(orders.length, 3);
    for (const o of orders) {
      assert.equal(o.status, 'IN_TRANSIT', `order ${o.order_id}`);
      assert.equal(await marksOf(world, o.order_id), 1, `order ${o.order_id} marked shipped once`);
    }
  },
  async catalog(world, shop, summary) {
    assert.match(summary, new RegExp(`^${shop.skus.length} variants imported \\(0 rejected\\)`));
    // What the summary says each SKU shows on TikTok (on-hand − buffer) is what the emulator has.
    const claimed = [...summary.matchAll(/([A-Z-]+) (\d+) − buffer 2 = (\d+)/g)].map(
      (m) => [m[1]!, Number(m[3])] as const,
    );
    assert.equal(claimed.length, shop.skus.length, summary);
    const { products } = await world.admin(`/products?shop_id=${shop.shopId}`);
    const onTikTok = products
      .flatMap((p: { skus: unknown[] }) => p.skus)
      .map((s: any) => [s.seller_sku as string, s.inventory[shop.warehouseId].available as number] as const);
    assert.deepEqual(new Map(claimed), new Map(onTikTok));
    // The import ran as its process does in production: a catalogImport workflow, completed.
    await until('a completed catalogImport workflow', async () => (await completed(world, 'catalogImport')) >= 1);
    for (const sku of shop.skus) {
      assert.equal(new Map(onTikTok).get(sku.sellerSku), sku.available + 10 + shop.skus.indexOf(sku), sku.sellerSku);
    }
  },
  async connection(world, shop, summary) {
    assert.match(summary, /^revoked in TikTok → shop paused after [\d.]+ s/);
    const { shops } = await world.admin('/shops');
    assert.deepEqual(shops.find((s: { id: string }) => s.id === shop.shopId).authorizedAppKeys, [APP_KEY]);
    const { subscriptions } = await world.admin(`/webhook-subscriptions?shop_id=${shop.shopId}`);
    assert.ok(subscriptions.some((s: { event_type: string }) => s.event_type === 'RETURN_STATUS_CHANGE'));
    const kinds = (await world.stack.call('GET', `/v1/notifications?shopId=${shop.shopId}`)).json.notifications.map(
      (n: { kind: string }) => n.kind,
    );
    assert.ok(kinds.includes('authorization_revoked') && kinds.includes('authorization_restored'), kinds.join());
    // The re-consent went through the consent link's shopConnection workflow (the runner's first connection too).
    await until('two completed shopConnection workflows', async () => (await completed(world, 'shopConnection')) >= 2);
  },
  async returns(world, _shop, summary) {
    const ids = [...summary.matchAll(/(\d{10,}) (?:refund|return)/g)].map((m) => m[1]!);
    assert.equal(ids.length, 3, summary);
    const [auto, person, escalated] = await Promise.all(ids.map((id) => world.admin(`/returns/${id}`)));
    assert.deepEqual([auto.return_status, auto.role], ['RETURN_OR_REFUND_REQUEST_SUCCESS', 'SELLER']);
    assert.deepEqual([person.return_status, person.role], ['AWAITING_BUYER_SHIP', 'SELLER']);
    assert.equal(escalated.return_status, 'RETURN_OR_REFUND_REQUEST_PENDING');
    // Each decision reached TikTok once.
    const { mutations } = await world.admin('/record/mutations');
    for (const id of [ids[0], ids[1]]) {
      const decisions = mutations.filter(
        (m: { path: string; applied: boolean; replayOf?: number }) =>
          m.applied && !m.replayOf && m.path.includes(`/returns/${id}/`),
      );
      assert.equal(decisions.length, 1, `return ${id} decided once: ${JSON.stringify(decisions)}`);
    }
    const step = await world.stack.database.db('human_steps').where({ case_id: ids[1] }).first();
    assert.match(step.decided_by, /^demo-operator\b/);
    assert.match(summary, / approved by demo-operator through the CLI /);
  },
  async health(world, shop, summary) {
    assert.match(
      summary,
      /^LDR [\d.]+% \(\d+\/\d+\) with late orders [\d, ]+, SFCR [\d.]+% \(\d+\/\d+\) with order \d+ cancelled by TikTok; warning "/,
    );
    const late = /with late orders ([\d, ]+), SFCR/.exec(summary)?.[1]?.split(', ') ?? [];
    assert.equal(late.length, 3, summary);
    for (const id of late) {
      const order = await world.admin(`/orders/${id}`);
      assert.equal(order.status, 'IN_TRANSIT', `order ${id}`);
      // Scanned after its dispatch deadline, as the emulator records it.
      assert.equal(order.record.late_dispatch, true, `order ${id} dispatched late`);
    }
    const { orders } = await world.admin('/record/orders');
    const cancelled = (orders as { shop_id: string; status: string; cancellation_initiator: string | null }[]).filter(
      (o) => o.shop_id === shop.shopId && o.status === 'CANCELLED' && o.cancellation_initiator === 'SYSTEM',
    );
    assert.ok(cancelled.length >= 1, 'an order cancelled by TikTok');
    // The warning went out through the notifier, once per warning and day.
    const notes = (await world.stack.call('GET', `/v1/notifications?shopId=${shop.shopId}&limit=200`)).json
      .notifications as { kind: string; dedup_key: string }[];
    const health = notes.filter((n) => n.kind.startsWith('account_health_'));
    assert.ok(health.length >= 1);
    assert.equal(new Set(health.map((n) => n.dedup_key)).size, health.length);
    // The shop's account-health workflow and its daily Schedule run.
    const d = await world.stack.client.schedule.getHandle(`account-health-daily:${shop.shopId}`).describe();
    assert.equal(d.state.paused, false);
  },
  async tax(world, shop, summary) {
    const m =
      /^(\d{4}-\d{2}) reported through the monthly Schedule .* must register in ([A-Z]{2}) .* (\d+) tax differences .* approved by demo-operator through the CLI; imported (\d+) own-site rows, committed (\d+) transactions \((\d+) sales, (\d+) refund\) to AvaTax as AvaTax holds them: tax (-?\d+\.\d\d) USD, 0 TikTok orders among them$/.exec(
        summary,
      );
    assert.ok(m, summary);
    const [, month, state, differences, imported, committed, sales, refunds] = m;
    assert.ok(Number(differences) >= 2, 'the planted over- and under-charge');
    assert.ok(state);
    // Every imported row (sales and the refund) became one committed transaction.
    assert.equal(Number(committed), Number(imported));
    assert.deepEqual([Number(sales), Number(refunds)], [Number(imported) - 1, 1]);
    // The ledger holds each of them once, committed (none refused)…
    const rows = await world.stack.database
      .db('tax_engine_commits')
      .where({ shop_id: shop.shopId, engine: 'avatax', period: month })
      .select('transaction_code', 'status');
    assert.equal(rows.length, Number(committed));
    assert.ok(rows.every((r: { status: string }) => r.status === 'committed'));
    // …and so does the AvaTax emulator, read through its API: the same codes, and no TikTok order among them.
    const account = taxEngineSettings(world.stack.cfg).avatax!;
    const res = await fetch(`${account.baseUrl}/api/v2/companies/${account.companyCode}/transactions?$top=1000`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${account.accountId}:${account.licenseKey}`).toString('base64')}`,
      },
    });
    const held = ((await res.json()) as { value: { code: string; status: string; customerCode: string }[] }).value;
    assert.deepEqual(
      held.map((t) => t.code).sort(),
      rows.map((r: { transaction_code: string }) => r.transaction_code).sort(),
    );
    assert.ok(held.every((t) => t.status === 'Committed' && t.customerCode.startsWith('website:')));
    const tiktokCodes = new Set(
      ((await world.admin('/record/orders')).orders as { order_id: string; shop_id: string }[])
        .filter((o) => o.shop_id === shop.shopId)
        .map((o) => saleTransactionCode(o.order_id)),
    );
    assert.ok(tiktokCodes.size > 0);
    assert.deepEqual(
      held.filter((t) => tiktokCodes.has(t.code)),
      [],
    );
    // Approved by the person through the human step; the month came from the Schedule (a firing or a backfill).
    const step = await world.stack.database
      .db('human_steps')
      .where({ case_kind: 'tax_report', case_id: month, step_key: 'approve' })
      .whereNotNull('decided_by')
      .first();
    assert.match(step.decided_by, /^demo-operator\b/);
    const d = await world.stack.client.schedule.getHandle(`tax-report-monthly:${shop.shopId}`).describe();
    assert.ok(d.info.numActionsTaken >= 1, 'the Schedule fired');
  },
  async affiliate(world, shop, summary) {
    const m =
      /^\d+ affiliate lines of (\S+) audited through the weekly Schedule .* (\S+) removed from open collaboration (\d+) by demo-operator through the CLI$/.exec(
        summary,
      );
    assert.ok(m, summary);
    assert.match(summary, / [1-9]\d* double credit\(s\)/);
    assert.match(summary, / [1-9]\d* commission\(s\) on refunded units/);
    // On TikTok: the creator out of the open collaboration, removed once.
    const { open } = await world.admin(`/affiliate/collaborations?shop_id=${shop.shopId}`);
    const collab = open.find((c: { id: string }) => c.id === m[3]);
    assert.equal(Object.keys(collab.removedCreators).length, 1);
    const { mutations } = await world.admin('/record/mutations');
    const removals = mutations.filter(
      (x: { action: string; applied: boolean; path: string }) =>
        x.action === 'remove_creator_from_open_collaboration' && x.applied && x.path.includes(m[3]!),
    );
    assert.equal(removals.length, 1);
    // The audit ran as its process: the firing's workflow and the audit of the period, through the Schedule.
    await until('a completed affiliate audit firing', async () => (await completed(world, 'affiliateAudit')) >= 1);
    const step = await world.stack.database
      .db('human_steps')
      .where({ case_kind: 'affiliate_audit', case_id: m[1] })
      .whereNotNull('decided_by')
      .first();
    assert.match(step.decided_by, /^demo-operator\b/);
  },
};

/** Runs the demo runner as `npm run demo` does (compiled), against the test stack. */
function runDemoCli(
  stack: TestStack,
  emulatorUrl: string,
  args: string[],
  onOutput?: (out: string, child: ChildProcess) => void,
) {
  return new Promise<{ code: number; lines: string[] }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'scripts', 'demo.js'), ...args], {
      env: {
        NODE_ENV: 'test',
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'demo-cli-')),
        OPS_API_URL: stack.baseUrl,
        OPS_API_KEY: stack.adminKey,
        EMULATOR_PORT: new URL(emulatorUrl).port,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      onOutput?.(out, child);
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, lines: out.trimEnd().split('\n') }));
  });
}

describe('demos: every scenario on one stack and emulator, checked in the emulator', () => {
  let env: TestWorkflowEnvironment;
  let world: EmulatorStack;
  let target: DemoTarget;
  const progress: string[] = [];

  before(async () => {
    env = await devServerEnv();
    // The shop `npm start`'s emulator seeds (emulators/tiktok-shop/seed.ts seedDemoShop), not yet connected.
    world = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Demo Shop',
      sellerName: 'Demo Seller',
      products: ([wh]) => [
        {
          title: 'Demo T-shirt',
          skus: [
            { seller_sku: 'TSHIRT-RED-M', price: '19.99', inventory: [{ warehouse_id: wh, quantity: 100 }] },
            { seller_sku: 'TSHIRT-RED-L', price: '19.99', inventory: [{ warehouse_id: wh, quantity: 50 }] },
          ],
        },
        {
          title: 'Demo Mug',
          skus: [{ seller_sku: 'MUG-WHITE', price: '9.50', inventory: [{ warehouse_id: wh, quantity: 3 }] }],
        },
      ],
    });
    target = {
      apiUrl: world.stack.baseUrl,
      apiKey: world.stack.adminKey,
      emulatorUrl: world.emulator.url,
      compression: COMPRESSION,
      log: (line) => progress.push(line),
      avatax: taxEngineSettings(world.stack.cfg).avatax,
    };
  });

  after(async () => {
    await world?.stop();
    await env?.teardown();
  });

  test('every scenario has checks of its own here', () => {
    assert.deepEqual(
      DEMO_SCENARIOS.map((s) => s.name).filter((name) => !(name in CHECKS)),
      [],
    );
  });

  for (const scenario of DEMO_SCENARIOS) {
    test(`demo ${scenario.name}`, async () => {
      const rulesBefore = await world.admin('/rules');
      const settingsPath = `/v1/shops/${world.shopId}/settings`;
      const settingsBefore = await world.stack.call('GET', settingsPath);
      const before: Snapshot = {
        orderIds: new Set((await newOrders(world, { orderIds: new Set() })).map((o) => o.order_id)),
      };
      const open = await openDemo(target);
      let summary: string;
      try {
        summary = await scenario.run(open.ctx);
      } finally {
        await open.restore();
      }
      await CHECKS[scenario.name]!(world, open.ctx.shop, summary, before);
      // Time is back to normal: the emulator's windows and the shop's offsets as they were (the audit trail shows
      // the compression and its undoing).
      assert.deepEqual(await world.admin('/rules'), rulesBefore);
      const settingsAfter = await world.stack.call('GET', settingsPath);
      if (settingsBefore.status === 200) assert.deepEqual(settingsAfter.json.settings, settingsBefore.json.settings);
      const changes = (await world.stack.call('GET', `${settingsPath}/changes`)).json.changes;
      assert.ok(
        changes.some((c: any) => c.after.returns.criticalBeforeDeadline === '625ms'),
        JSON.stringify(changes.slice(0, 2)),
      );
    });
  }

  test('the first demo connected the shop through the consent link; compression was announced', () => {
    assert.ok(
      progress.some((l) => /^connecting Demo Shop \(\d+\) through the consent link/.test(l)),
      progress.join('\n'),
    );
    assert.ok(progress.some((l) => l.startsWith(`time compressed ×${COMPRESSION}: remorseWindowMs 1h → 625ms`)));
  });

  test('the runner lists the scenarios; a broken or interrupted one ends in its FAILED line, time put back', async () => {
    const list = await runDemoCli(world.stack, world.emulator.url, ['--list']);
    assert.equal(list.code, 0);
    assert.deepEqual(
      list.lines.map((l) => l.split(/\s+/)[0]),
      DEMO_SCENARIOS.map((s) => s.name),
    );

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-broken-'));
    const file = path.join(dir, 'broken.js');
    fs.writeFileSync(
      file,
      "exports.brokenDemo = { name: 'broken', summary: 'waits for what never happens', " +
        "run: (ctx) => ctx.until('a state that never comes', async () => false, 1000) };\n",
    );
    const rulesBefore = await world.admin('/rules');
    const broken = await runDemoCli(world.stack, world.emulator.url, [file]);
    assert.equal(broken.code, 1, broken.lines.join('\n'));
    assert.equal(broken.lines.at(-1), 'demo broken: FAILED — timed out after 1 s waiting for a state that never comes');
    assert.deepEqual(await world.admin('/rules'), rulesBefore, 'time put back after a failure too');

    // Ctrl-C while a scenario waits: time is put back before the process ends.
    fs.writeFileSync(
      file,
      "exports.hangingDemo = { name: 'hanging', summary: 'waits until interrupted', " +
        "run: (ctx) => ctx.until('the end of time', async () => false, 600000) };\n",
    );
    let interrupted = false;
    const hanging = await runDemoCli(world.stack, world.emulator.url, [file], (out, child) => {
      if (interrupted || !out.includes('running "hanging"')) return;
      interrupted = true;
      child.kill('SIGINT');
    });
    assert.equal(hanging.code, 130, hanging.lines.join('\n'));
    assert.equal(hanging.lines.at(-1), 'demo hanging: FAILED — interrupted');
    assert.deepEqual(await world.admin('/rules'), rulesBefore, 'time put back after Ctrl-C');

    const unknown = await runDemoCli(world.stack, world.emulator.url, ['nosuchdemo']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.lines.at(-1)!, /^demo nosuchdemo: FAILED — no demo named "nosuchdemo"; there are: orders, /);
  });
});
