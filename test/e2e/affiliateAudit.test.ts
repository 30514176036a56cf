// The affiliate commission audit end to end on the dev server, the TikTok emulator and the HTTP API, with the REAL
// activities. The emulator's seed plants problems and lists them itself (emulators/tiktok-shop/affiliateSeed.ts,
// never by running an audit): the audit must find every one of them and nothing else. Then a person approves the
// removal of a creator through the human-step route (TikTok shows the creator removed, once) and the shop's weekly
// Schedule is fired on the dev server (its firing starts the audit of the period its scheduled time covers).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createAffiliateSyncActivities } from '../../activities/affiliateSync';
import { describeAffiliateAuditSchedule } from '../../temporal/affiliateAudit';
import { getAffiliateAuditQuery, type AuditView } from '../../workflows/affiliateAudit/messages';
import { periodOfFiring } from '../../workflows/affiliateAudit/period';
import { affiliateAuditWorkflowId } from '../../workflows/ids';
import { startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import type { TestStack } from '../helpers/stack';
import { devServerEnv } from '../helpers/temporal';

const APP_KEY = 'e2e_affiliate_app_key';
const APP_SECRET = 'e2e_affiliate_app_secret_0123456789';
const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The seed's planted problems as the audit names its findings: kind, subject, money at stake, source lines. */
function expectedFindings(planted: any[]): { kind: string; subject: string; money?: string; lines?: string[] }[] {
  return planted.map((p) => {
    switch (p.kind) {
      case 'double_attribution': {
        const paid = p.commissions.map(Number);
        const beyondOne = paid.reduce((a: number, b: number) => a + b, 0) - Math.max(...paid);
        return {
          kind: 'double_credit',
          subject: p.orderId,
          money: beyondOne.toFixed(2),
          lines: p.lineNos.map((n: number) => `${p.orderId}:${n}`),
        };
      }
      case 'affiliate_and_shop_ads':
        return {
          kind: 'double_attribution',
          subject: p.orderId,
          money: Math.min(Number(p.commission), Number(p.shopAdsCommission)).toFixed(2),
          lines: [`${p.orderId}:${p.lineNo}`],
        };
      case 'commission_on_refunded_units':
        return { kind: 'refunded_units', subject: p.orderId, money: p.overpaid, lines: [`${p.orderId}:${p.lineNo}`] };
      case 'lowered_rate_before_30_days':
        return { kind: 'early_rate_cut', subject: p.orderId, money: p.underpaid, lines: [`${p.orderId}:${p.lineNo}`] };
      case 'high_return_to_origin':
        return { kind: 'creator_rto', subject: p.creator, lines: undefined };
      case 'low_gmv_per_view':
        return { kind: 'creator_gmv_per_view', subject: p.creator };
      default:
        throw new Error(`a planted kind the audit does not know: ${p.kind}`);
    }
  });
}

describe('affiliate audit: the seeded problems found, a removal approved, the Schedule fired', () => {
  let env: TestWorkflowEnvironment;
  let es: EmulatorStack;
  let stack: TestStack;
  let shopId: string;
  let seeded: any;
  let periodKey: string;

  before(async () => {
    env = await devServerEnv();
    // The business clock starts 6 days back, so the seed's rate cut (at its next midnight) and the lines after it are
    // in the past by the time the audit runs, and the syncs before and after the cut fall on different days.
    es = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Affiliate Beauty',
      sellerName: 'Affiliate Seller',
      emulator: { startTime: Date.now() - 6 * DAY_MS },
    });
    ({ stack, shopId } = es);
    await es.connect();
    seeded = await es.admin('/affiliate/seed', { shop_id: shopId });

    // Two daily syncs as the worker's would have run them on those days (their "today" is the emulator's): one at
    // the seed (the plan's old rate in that day's snapshot), one after the cut and the lines that came after it.
    const syncAt = async (at: number, from: number) => {
      const sync = createAffiliateSyncActivities({
        db: stack.database.db,
        tiktok: { client: stack.deps.tiktok.client },
        tokens: stack.deps.tokens,
        now: () => new Date(at),
      });
      await sync.syncAffiliateOrders({ shopId, from: new Date(from).toISOString(), to: new Date(at).toISOString() });
      await sync.syncAffiliateCollaborations({ shopId });
      await sync.syncAffiliateCreators({ shopId });
    };
    const T = Date.parse(seeded.seededAt);
    await syncAt(T, T - 25 * DAY_MS);
    const later = (await es.admin('/clock/advance', { ms: 2.6 * DAY_MS })).now_ms as number;
    await syncAt(later, T - 25 * DAY_MS);
    // Our own records: every affiliate order was shipped by our order workflow (order_shipments).
    const orders = await stack.database.db('affiliate_order_lines').where({ shop_id: shopId }).distinct('order_id');
    await stack.database.db('order_shipments').insert(
      orders.map((o: { order_id: string }) => ({
        shop_id: shopId,
        order_id: o.order_id,
        package_id: `pkg-${o.order_id}`,
        tracking_number: `TRK${o.order_id}`,
        carrier: 'USPS',
      })),
    );
    periodKey = `${day(T - 21 * DAY_MS)}..${day(Date.now() + DAY_MS)}`;
  });

  after(async () => {
    await es?.stop();
    await env?.teardown();
  });

  const auditView = (key: string) =>
    stack.client.workflow.getHandle(affiliateAuditWorkflowId(shopId, key)).query(getAffiliateAuditQuery);

  test('the golden audit: every planted problem found with its money and lines, nothing else', async () => {
    const started = await stack.call('POST', `/v1/shops/${shopId}/affiliate-audits`, { period: periodKey });
    assert.equal(started.status, 202, JSON.stringify(started.json));
    const view = await until('the audit waiting for decisions', async () => {
      const v = await auditView(periodKey);
      return v.stage === 'awaiting_decisions' ? v : undefined;
    });

    const { json } = await stack.call('GET', `/v1/shops/${shopId}/affiliate-findings?period=${periodKey}&limit=500`);
    const found = (json.findings as any[]).map((f) => ({
      kind: f.kind,
      subject: f.orderId ?? f.creatorUsername,
      money: f.moneyAtStake,
      lines: f.sourceLineIds,
    }));
    const expected = expectedFindings(seeded.planted);
    const key = (f: { kind: string; subject: string }) => `${f.kind} ${f.subject}`;
    assert.deepEqual(found.map(key).sort(), expected.map(key).sort(), 'every planted problem, nothing else');
    for (const e of expected) {
      const f = found.find((x) => key(x) === key(e))!;
      if (e.money !== undefined) assert.equal(f.money, e.money, `money at stake of ${key(e)}`);
      if (e.lines !== undefined) assert.deepEqual(f.lines, e.lines, `source lines of ${key(e)}`);
    }
    const rto = seeded.planted.find((p: any) => p.kind === 'high_return_to_origin');
    const rtoFinding = (json.findings as any[]).find((f) => f.kind === 'creator_rto');
    assert.deepEqual([...rtoFinding.detail.orderIds].sort(), [...rto.orderIds].sort());
    assert.equal(rtoFinding.detail.returnedToOrigin, rto.returnedToOrigin);
    assert.equal(rtoFinding.detail.trackedOrders, rto.shippedOrders);

    // What is put to a person: a claim per kind of money paid wrongly, the removal of the two creators outside the
    // targets from the open collaboration they sold through, and the Targeted Plan of those who pass.
    const kinds = view.actions.map(
      (a) => `${a.kind}${a.kind === 'remove_creator' ? ` ${String(a.context.creatorUsername)}` : ''}`,
    );
    assert.deepEqual(kinds.sort(), [
      'build_target_plan',
      'claim',
      'claim',
      'claim',
      'claim',
      'remove_creator cara.styles',
      'remove_creator dan.daily',
    ]);
    const plan = view.actions.find((a) => a.kind === 'build_target_plan')!;
    assert.deepEqual((plan.context.creators as { username: string }[]).map((c) => c.username).sort(), [
      'ava.reviews',
      'ben.unboxes',
      'eve.picks',
      'finn.finds',
    ]);

    // Audited again by hand: the same findings, the same ids.
    const again = await stack.call('GET', `/v1/shops/${shopId}/affiliate-audits/${periodKey}`);
    assert.equal(again.status, 200);
    assert.equal(again.json.stage, 'awaiting_decisions');
  });

  test('a person approves a removal through the human-step route: TikTok shows the creator removed', async () => {
    const steps = await stack.call('GET', `/v1/human-steps?shopId=${shopId}&caseKind=affiliate_audit&open=true`);
    const removal = (steps.json.steps as any[]).find(
      (s) => s.context?.kind === 'remove_creator' && s.context?.creatorUsername === 'dan.daily',
    );
    assert.ok(removal, 'the removal of dan.daily is a step');
    const decided = await stack.call('POST', `/v1/human-steps/${removal.id}/decision`, {
      actionId: removal.context.actionId,
      decision: 'approve',
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.json));
    assert.equal(decided.json.result.outcome, 'applied');
    const collabs = await es.admin(`/affiliate/collaborations?shop_id=${shopId}`);
    const open = (collabs.open as any[]).find((c) => c.id === removal.context.openCollaborationId);
    assert.ok(open.removedCreators[removal.context.creatorOpenId], 'removed on TikTok');
    // The same decision again: the step is closed.
    const twice = await stack.call('POST', `/v1/human-steps/${removal.id}/decision`, {
      actionId: removal.context.actionId,
      decision: 'approve',
    });
    assert.equal(twice.status, 409);
    const view: AuditView = await auditView(periodKey);
    assert.equal(view.actions.find((a) => a.actionId === removal.context.actionId)?.status, 'applied');
  });

  test("the shop's weekly Schedule, fired on the dev server, starts the audit of the 7 days before it", async () => {
    const schedule = await describeAffiliateAuditSchedule({ temporal: stack.client }, shopId, 'weekly');
    assert.ok(schedule, 'created with the shop (its authorization)');
    assert.equal(schedule.paused, false);
    const fired = await stack.call('POST', `/v1/shops/${shopId}/affiliate-audits/schedules/weekly/trigger`, {});
    assert.equal(fired.status, 202);
    const firedAt = Date.now();
    const period = periodOfFiring('weekly', new Date(firedAt));
    const view = await until('the audit started by the firing', async () => {
      const v = await auditView(period.key);
      return v.stage === 'awaiting_decisions' || v.stage === 'done' ? v : undefined;
    });
    assert.deepEqual(view.period, { key: period.key, from: period.from, to: period.to });
    assert.ok((view.summary?.linesSeen ?? 0) > 0, 'the week has affiliate lines');
    const audits = await stack.call('GET', `/v1/shops/${shopId}/affiliate-audits`);
    assert.ok((audits.json.audits as any[]).some((a) => a.periodKey === period.key));
  });
});
