// Suspension appeals through the HTTP API on the dev server with the real workflow, activities and database: a
// counterfeit notice started twice (one appeal), refused and recorded with where to go; a notice whose window has
// closed refused with 422; a late-dispatch notice drafted (version 1, its PDF downloadable with the recorded hash),
// an invalid edit refused and a valid one stored as version 2 through the human-step route, the two versions
// compared, version 2 approved, the decision's body checked. demo/appeal.ts runs the same with late orders in the
// emulator; the plan's content is the appeal content's tests'.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { suspensionAppealWorkflowId } from '../../workflows/ids';
import { startTestStack, type TestStack } from '../helpers/stack';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { until } from '../helpers/until';

const DAY = 86_400_000;
const SHOP = 'shop-sa';

describe('suspension appeals through the API', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env);
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  const base = `/v1/shops/${SHOP}/suspension-appeals`;
  const notice = (noticeId: string, reason: string, policy: string, daysAgo = 0) => ({
    noticeId,
    reason,
    noticeDate: new Date(Date.now() - daysAgo * DAY).toISOString(),
    violatedPolicy: policy,
    quotedMetrics: { ldr: 0.12 },
  });
  const stage = (noticeId: string, wanted: string) =>
    until(`appeal ${noticeId} ${wanted}`, async () => {
      const r = await stack.call('GET', `${base}/${noticeId}`);
      return r.json?.stage === wanted ? r.json : undefined;
    });

  test('a counterfeit notice: one appeal for two POSTs, refused with where to go, recorded and listed', async () => {
    const id = uniqueId('cf');
    const body = notice(id, 'Counterfeit goods reported by the rights owner', 'Counterfeit policy');
    const first = await stack.call('POST', base, body);
    assert.equal(first.status, 201, JSON.stringify(first.json));
    assert.equal(first.json.appeal.workflowId, suspensionAppealWorkflowId(SHOP, id));
    assert.equal(first.json.appeal.notice.region, 'US', "the shop's region by default");
    const refused = await stage(id, 'refused');
    assert.equal(refused.refusal.category, 'counterfeit');
    assert.ok(refused.refusal.whereToGo.length > 0);
    const again = await stack.call('POST', base, body);
    assert.deepEqual([again.status, again.json.created, again.json.appeal.stage], [200, false, 'refused']);
    const listed = await until('the refusal recorded as closed', async () => {
      const r = await stack.call('GET', `${base}?open=false`);
      return (r.json.suspensionAppeals as { noticeId: string; closedAt: string | null }[]).find(
        (a) => a.noticeId === id && a.closedAt,
      );
    });
    assert.equal((listed as unknown as { refusal: { category: string } }).refusal.category, 'counterfeit');
    const versions = await stack.call('GET', `${base}/${id}/versions`);
    assert.deepEqual([versions.status, versions.json.versions], [200, []]);
  });

  test('a late-dispatch notice whose window has closed: 422 appeal_window_closed, nothing started', async () => {
    const id = uniqueId('old');
    const r = await stack.call('POST', base, notice(id, 'Late dispatch rate too high', 'Late dispatch rate', 45));
    assert.deepEqual([r.status, r.json.error?.code ?? r.json.code], [422, 'appeal_window_closed']);
    assert.equal((await stack.call('GET', `${base}/${id}`)).status, 404);
  });

  test('late dispatch: draft → PDF → invalid edit 422 → edit v2 → diff → approved, through the human-step route', async () => {
    const id = uniqueId('ld');
    assert.equal(
      (await stack.call('POST', base, notice(id, 'Late dispatch rate too high', 'Late dispatch rate'))).status,
      201,
    );
    const drafted = await stage(id, 'awaiting_review');
    assert.equal(drafted.currentVersion, 1);
    const review = drafted.humanSteps.find((s: { stepKey: string }) => s.stepKey === 'review:1');
    assert.ok(review, JSON.stringify(drafted.humanSteps));

    const { versions } = (await stack.call('GET', `${base}/${id}/versions`)).json;
    assert.equal(versions.length, 1);
    const v1 = versions[0];
    assert.deepEqual([v1.version, v1.kind, v1.round], [1, 'draft', 1]);
    const pdf = await fetch(`${stack.baseUrl}${base}/${id}/versions/1/pdf`, {
      headers: { authorization: `Bearer ${stack.adminKey}` },
    });
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), v1.file.sha256);

    const decide = (body: unknown) => stack.call('POST', `/v1/human-steps/${review.id}/decision`, body);
    const invalid = await decide({ action: 'edit', plan: { ...v1.plan, summary: '' } });
    assert.equal(invalid.status, 422, JSON.stringify(invalid.json));
    assert.equal((await decide({ action: 'approve', decidedBy: 'me' })).status, 400);
    const summary = `${v1.plan.summary as string} Reviewed by the owner.`;
    const edited = await decide({ action: 'edit', plan: { ...v1.plan, summary }, version: 1, note: 'owner' });
    assert.equal(edited.status, 200, JSON.stringify(edited.json));
    assert.equal(edited.json.result.currentVersion, 2);

    const diff = await stack.call('GET', `${base}/${id}/diff`);
    assert.deepEqual([diff.json.from.version, diff.json.to.version], [1, 2]);
    assert.deepEqual(diff.json.changes, [
      { path: 'summary', kind: 'changed', before: v1.plan.summary, after: summary },
    ]);
    assert.equal((await stack.call('GET', `${base}/${id}/diff?from=1&to=3`)).status, 404);

    const stale = await decide({ action: 'approve', version: 1 });
    assert.equal(stale.status, 409);
    assert.equal((await decide({ action: 'approve', version: 2 })).status, 200);
    const waiting = await stage(id, 'awaiting_submission');
    assert.equal(waiting.approvedVersion, 2);
    assert.ok(waiting.humanSteps.some((s: { stepKey: string }) => s.stepKey === 'submit:1'));
  });
});
