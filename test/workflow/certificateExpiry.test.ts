// The certificate vault's daily expiry check on the dev server (issue 19 item 1): the first upload creates the shop's
// `certificate-expiry:<shopId>` Schedule; a run lists the documents expiring within 30 days (expired ones included)
// and notifies each once at its threshold (info at 30 days, warning at 7, critical once expired); a second run
// notifies nothing new (dedup key per document, expiry and threshold); the run publishes the case attributes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { describeCertificateExpirySchedule } from '../../temporal/certificateExpiry';
import type { CertificateExpiryResult } from '../../workflows/certificateExpiry/messages';
import { certificateExpiry } from '../../workflows/certificateExpiry/workflow';
import { certificateExpiryScheduleId } from '../../workflows/ids';
import { PDF_BYTES } from '../helpers/imageBytes';
import { startTestStack, type TestStack } from '../helpers/stack';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { until } from '../helpers/until';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('certificate expiry on the dev server', { timeout: 120_000 }, () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  const shopId = uniqueId('certexp');

  const upload = async (lot: string, expiresOn: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PDF_BYTES)]), `${lot}.pdf`);
    const fields = {
      documentType: 'certificate_of_analysis',
      issuer: 'Lab',
      product: 'Whey',
      lot,
      issuedOn: inDays(-300),
      expiresOn,
    };
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const res = await fetch(`${stack.baseUrl}/v1/shops/${shopId}/certificates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminKey}` },
      body: form,
    });
    const json = (await res.json()) as { certificateId: string };
    assert.equal(res.status, 201, JSON.stringify(json));
    return json.certificateId;
  };
  const notifications = () =>
    stack.apiDeps
      .db('notifications')
      .where({ shop_id: shopId, kind: 'certificate_expiry' })
      .orderBy('id')
      .select<{ id: string; severity: string; dedup_key: string; body: string }[]>(
        'id',
        'severity',
        'dedup_key',
        'body',
      );
  /** A run of the check, as the Schedule starts it (a workflow id of its own). */
  const run = (): Promise<CertificateExpiryResult> =>
    stack.client.workflow.execute(certificateExpiry, {
      workflowId: `${certificateExpiryScheduleId(shopId)}-${uniqueId('run')}`,
      taskQueue: stack.cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId }],
    });

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env);
    const res = await stack.call('POST', '/v1/shops', { shopId, region: 'US', displayName: shopId });
    assert.equal(res.status, 201, JSON.stringify(res.json));
  });
  after(async () => {
    await stack?.client.schedule
      .getHandle(certificateExpiryScheduleId(shopId))
      .delete()
      .catch(() => undefined);
    await stack?.stop();
    await env?.teardown();
  });

  test('one notice per document and threshold, whatever the number of runs', async () => {
    const expired = await upload('L-1', inDays(-1));
    const week = await upload('L-2', inDays(5));
    const month = await upload('L-3', inDays(20));
    await upload('L-4', inDays(60));
    // The first upload created the daily Schedule.
    const schedule = await describeCertificateExpirySchedule(stack.client, shopId);
    assert.equal(schedule?.scheduleId, `certificate-expiry:${shopId}`);
    assert.equal(schedule?.nextRuns.length ? new Date(schedule.nextRuns[0]!).getUTCHours() : -1, 13);

    // A run now through the route: the Schedule's run notifies each document expiring within 30 days.
    const res = await stack.call('POST', `/v1/shops/${shopId}/certificate-expiry/trigger`, {});
    assert.equal(res.status, 202, JSON.stringify(res.json));
    const rows = await until('the three notices', async () => {
      const found = await notifications();
      return found.length >= 3 && found;
    });
    assert.deepEqual(
      rows.map((r) => [r.dedup_key, r.severity]),
      [
        [`certificate-expiry:${shopId}:${expired}:${inDays(-1)}:expired`, 'critical'],
        [`certificate-expiry:${shopId}:${week}:${inDays(5)}:7d`, 'warning'],
        [`certificate-expiry:${shopId}:${month}:${inDays(20)}:30d`, 'info'],
      ],
    );
    assert.match(rows[1]!.body, /^Certificate of Analysis \(third-party lab\) \(Whey\) expires on .* \(5 days\)\./);

    // Later runs find the same three and notify nothing new.
    for (let i = 0; i < 2; i += 1) {
      const again = await run();
      assert.deepEqual(
        [again.checked, again.notifications, again.earliestExpiry],
        [3, rows.map((r) => String(r.id)), inDays(-1)],
      );
    }
    assert.equal((await notifications()).length, 3);
  });

  test("the run publishes the vault's case attributes: late (a document expired), next deadline the earliest expiry", async () => {
    const workflowId = `${certificateExpiryScheduleId(shopId)}-${uniqueId('attrs')}`;
    await stack.client.workflow.execute(certificateExpiry, {
      workflowId,
      taskQueue: stack.cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId }],
    });
    const attrs = (await stack.client.workflow.getHandle(workflowId).describe()).typedSearchAttributes;
    const get = (name: string) => attrs.getAll().find((p) => p.key.name === name)?.value;
    assert.deepEqual(
      [get('CaseKind'), get('CaseId'), get('CaseRisk'), get('CaseStage'), (get('NextDeadline') as Date).toISOString()],
      ['certificate_expiry', shopId, 'late', '3 expiring', `${inDays(-1)}T00:00:00.000Z`],
    );
  });
});
