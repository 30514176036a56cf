// The category application on the time-skipping server: a missing document asked for and re-validated, the packet,
// the submission, a rejection read from the product audit webhooks, the fix step with the reasons, a second
// submission approved by a person, the certifications attached and their audit followed, then asleep until 30 days
// before the earliest document expires and the re-qualification round (continue-as-new). And the bounded loop: after
// `ungating.maxAttempts` rejections the application ends `rejected`; a step nobody answers ends it `expired`.
// The vault, the packet, the platform and the records are stand-ins with the real activity names.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { certificationRuleFor } from '../../activities/categoryUngating/certificationMatch';
import { DEFAULT_SHOP_SETTINGS, mergeShopSettings } from '../../shopSettings/schema';
import {
  getCategoryUngatingQuery,
  productAuditSignal,
  provideDocumentsUpdate,
  recordDecisionUpdate,
  recordSubmissionUpdate,
  type UngatingDocumentCheck,
} from '../../workflows/categoryUngating/messages';
import { categoryUngating } from '../../workflows/categoryUngating/workflow';
import { categoryUngatingWorkflowId } from '../../workflows/ids';
import {
  applicationFailureOf,
  bundledWorker,
  encryptedClient,
  testConfig,
  timeSkippingEnv,
  uniqueId,
  until,
} from '../helpers/temporal';

const DAY = 86_400_000;
const SHOP = 'shop-ung';
const COA = '11111111-1111-4111-8111-111111111111';
const FDA = '22222222-2222-4222-8222-222222222222';
const FDA_RENEWED = '33333333-3333-4333-8333-333333333333';
const REQUIRED = ['certificate_of_analysis', 'fda_food_facility_registration'];

interface Call {
  name: string;
  input: any;
}

function fakeWorld(settingsPatch: object = {}) {
  const calls: Call[] = [];
  const vault = new Map<string, { documentType: string; expiresOn?: string }>();
  const log = (name: string, input: unknown) => calls.push({ name, input: structuredClone(input) });
  const check = (input: { pinned?: string[]; asOf: string }) => {
    const day = input.asOf.slice(0, 10);
    const refused = (input.pinned ?? [])
      .filter((id) => !vault.has(id))
      .map((certificateId) => ({ certificateId, reason: 'no such document in the shop’s vault' }));
    const result: UngatingDocumentCheck = { satisfied: [], missing: [] };
    const pinned = new Map(
      (input.pinned ?? []).filter((id) => vault.has(id)).map((id) => [vault.get(id)!.documentType, id]),
    );
    for (const documentType of REQUIRED) {
      const named = pinned.get(documentType);
      const doc = [...vault.entries()]
        .filter(([id]) => named === undefined || id === named)
        .filter(([, d]) => d.documentType === documentType && (!d.expiresOn || d.expiresOn >= day))
        .sort((a, b) => ((a[1].expiresOn ?? '9') < (b[1].expiresOn ?? '9') ? 1 : -1))[0];
      if (doc)
        result.satisfied.push({
          documentType,
          certificateId: doc[0],
          ...(doc[1].expiresOn ? { expiresOn: doc[1].expiresOn } : {}),
        });
      else result.missing.push({ documentType, why: 'required', reason: 'absent' });
    }
    return {
      label: 'Dietary Supplements',
      requirements: REQUIRED.map((documentType) => ({ documentType, why: 'required' })),
      check: result,
      refused,
    };
  };
  const activities = {
    readShopSettings: () =>
      Promise.resolve(mergeShopSettings(structuredClone(DEFAULT_SHOP_SETTINGS), settingsPatch as never)),
    // Gated until a decision approves it; then Get Category Rules names the certifications (a COA only).
    readCategoryRequirements: (input: unknown) => {
      log('readCategoryRequirements', input);
      const approved = calls.some((c) => c.name === 'recordUngatingAttempt' && c.input.decision === 'approved');
      return Promise.resolve(
        approved
          ? {
              gated: false,
              permission: 'AVAILABLE',
              certifications: [
                { id: 'c-coa', name: 'Certificate of Analysis (COA)', required: true, expiryRequired: false },
              ],
            }
          : { gated: true, permission: 'INVITE_ONLY', certifications: [] },
      );
    },
    selectCertificationDocuments: (input: {
      documents: { documentType: string; certificateId: string }[];
      certifications: { id: string; name: string }[];
    }) => {
      log('selectCertificationDocuments', input);
      const takes = (d: { documentType: string }) => certificationRuleFor(d.documentType, input.certifications);
      return Promise.resolve({
        attach: input.documents.filter(takes).map((d) => d.certificateId),
        applicationOnly: input.documents.filter((d) => !takes(d)).map((d) => d.certificateId),
      });
    },
    checkUngatingDocuments: (input: { pinned?: string[]; asOf: string }) => {
      log('checkUngatingDocuments', input);
      return Promise.resolve(check(input));
    },
    buildUngatingPacket: (input: { attempt: number }) => {
      log('buildUngatingPacket', input);
      return Promise.resolve({ fileId: String(input.attempt).repeat(64), pageCount: 3, sizeBytes: 1000 });
    },
    readProductAuditReasons: (input: unknown) => {
      log('readProductAuditReasons', input);
      return Promise.resolve({ status: 'FAILED', reasons: ['missing COA lot'] });
    },
    syncProductCategories: (input: unknown) => {
      log('syncProductCategories', input);
      return Promise.resolve({ products: 2, mapped: 2, replayed: 0 });
    },
    recordUngatingApplication: (input: unknown) => Promise.resolve(log('recordUngatingApplication', input)),
    recordUngatingAttempt: (input: unknown) => Promise.resolve(log('recordUngatingAttempt', input)),
    notifyUngating: (input: unknown) => Promise.resolve(log('notifyUngating', input)),
    attachCertifications: (input: unknown) => {
      log('attachCertifications', input);
      return Promise.resolve({
        products: [
          { productId: 'p-1', auditStatus: 'AUDITING' },
          { productId: 'p-2', auditStatus: 'AUDITING' },
        ],
      });
    },
    openHumanStep: (input: { stepKey: string }) => {
      log('openHumanStep', input);
      return Promise.resolve({ stepId: input.stepKey });
    },
    closeHumanStep: (input: unknown) => Promise.resolve(log('closeHumanStep', input)),
  };
  return {
    calls,
    vault,
    activities,
    of: (name: string) => calls.filter((c) => c.name === name).map((c) => c.input),
  };
}

describe('category applications on the time-skipping server', { timeout: 300_000 }, () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let client: Client;
  const cfg = testConfig();
  let world: ReturnType<typeof fakeWorld>;

  async function startWorker(w: ReturnType<typeof fakeWorld>) {
    world = w;
    worker = await bundledWorker(env, cfg, world.activities);
    running = worker.run();
  }

  beforeEach(async () => {
    env = await timeSkippingEnv();
    client = encryptedClient(env, cfg);
  });
  afterEach(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  const step = (key: string) => until(`step ${key}`, () => world.of('openHumanStep').find((s) => s.stepKey === key));
  const start = (categoryId: string) =>
    client.workflow.start(categoryUngating, {
      workflowId: categoryUngatingWorkflowId(SHOP, categoryId),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId: SHOP, categoryId, requirementKey: 'dietary_supplements', requestedBy: 'ops (key 1)' }],
    });
  const by = { decidedBy: 'ops (key 1)' };

  test(
    'missing document → rejection by audit → fix → approval → certifications → re-qualification timer',
    { timeout: 120_000 },
    async () => {
      await startWorker(fakeWorld());
      const now = await env.currentTimeMs();
      const fdaExpiry = new Date(now + 200 * DAY).toISOString().slice(0, 10);
      world.vault.set(FDA, { documentType: 'fda_food_facility_registration', expiresOn: fdaExpiry });
      const categoryId = uniqueId('cat');
      const handle = await start(categoryId);

      const documents = await step('documents:1');
      assert.equal(documents.updateName, 'provideDocuments');
      assert.equal(documents.caseKind, 'category_ungating');
      assert.deepEqual(
        documents.context.missing.map((m: { documentType: string }) => m.documentType),
        ['certificate_of_analysis'],
      );
      assert.equal(Date.parse(documents.dueAt) - now >= 14 * DAY - 60_000, true, 'due in ungating.documentsWithin');

      // A document the vault does not hold is refused by the update, nothing recorded.
      await assert.rejects(
        handle.executeUpdate(provideDocumentsUpdate, { args: [{ ...by, certificateIds: [COA] }] }),
        (err: unknown) => {
          assert.ok(err instanceof WorkflowUpdateFailedError);
          assert.equal(applicationFailureOf(err)?.type, 'InvalidDecision');
          assert.match(applicationFailureOf(err)!.message, /no such document/);
          return true;
        },
      );
      // A submission now is refused: nothing waits for one.
      await assert.rejects(handle.executeUpdate(recordSubmissionUpdate, { args: [by] }), (err: unknown) => {
        assert.match(String((err as Error).cause), /nothing waits for recordSubmission/);
        return true;
      });
      world.vault.set(COA, { documentType: 'certificate_of_analysis' });
      const checked = await handle.executeUpdate(provideDocumentsUpdate, { args: [{ ...by, certificateIds: [COA] }] });
      assert.deepEqual(checked.missing, []);
      assert.deepEqual(
        checked.satisfied.map((s) => s.certificateId),
        [COA, FDA],
      );

      await step('submit:1');
      assert.equal(world.of('buildUngatingPacket')[0].attempt, 1);
      assert.deepEqual(world.of('buildUngatingPacket')[0].rejections, []);
      await handle.executeUpdate(recordSubmissionUpdate, { args: [{ ...by, reference: 'QC-1' }] });
      await step('decision:1');
      assert.equal(world.of('syncProductCategories').length, 1, 'the mapping is synced before the audits are awaited');
      // The audit webhooks: pending while the category waits, then failed with TikTok's reason.
      const at = new Date(now).toISOString();
      await handle.signal(productAuditSignal, {
        productId: 'p-1',
        status: 'PRE_APPROVED',
        reasons: ['RESTRICTED_CATEGORY_PENDING'],
        at,
      });
      // The webhook says FAILED only; the reasons are Get Product's.
      await handle.signal(productAuditSignal, { productId: 'p-1', status: 'FAILED', at });

      const fix = await step('fix:2');
      assert.deepEqual(fix.context.reasons, ['missing COA lot']);
      assert.deepEqual(world.of('readProductAuditReasons'), [{ shopId: SHOP, productId: 'p-1' }]);
      const rejectedAttempt = world.of('recordUngatingAttempt').find((a) => a.decision === 'rejected');
      assert.deepEqual(
        [rejectedAttempt.attempt, rejectedAttempt.decidedBy, rejectedAttempt.reasons, rejectedAttempt.reference],
        [1, 'TikTok audit', ['missing COA lot'], 'QC-1'],
      );
      const closedDecision = world.of('closeHumanStep').find((c) => c.stepKey === 'decision:1');
      assert.equal(closedDecision.outcome, 'auto');

      const COA_LOT = '44444444-4444-4444-8444-444444444444';
      world.vault.set(COA_LOT, { documentType: 'certificate_of_analysis' });
      await handle.executeUpdate(provideDocumentsUpdate, { args: [{ ...by, certificateIds: [COA_LOT] }] });
      await step('submit:2');
      const packet2 = world.of('buildUngatingPacket')[1];
      assert.equal(packet2.attempt, 2);
      assert.deepEqual(
        packet2.rejections.map((r: { reasons: string[] }) => r.reasons),
        [['missing COA lot']],
      );
      await handle.executeUpdate(recordSubmissionUpdate, { args: [by] });
      await step('decision:2');
      await assert.rejects(
        handle.executeUpdate(recordDecisionUpdate, { args: [{ ...by, decision: 'rejected' }] }),
        (err: unknown) => applicationFailureOf(err)?.type === 'InvalidDecision',
      );
      await handle.executeUpdate(recordDecisionUpdate, { args: [{ ...by, decision: 'approved' }] });

      const attach = await until('certifications attached', () => world.of('attachCertifications')[0]);
      // Only what the approved category's certifications take: the COA; the FDA registration served the application.
      assert.deepEqual(attach.certificateIds, [COA_LOT]);
      assert.deepEqual(
        world.of('selectCertificationDocuments')[0].documents.map((d: { certificateId: string }) => d.certificateId),
        [COA_LOT, FDA],
      );
      await handle.signal(productAuditSignal, { productId: 'p-1', status: 'APPROVED', at });
      await handle.signal(productAuditSignal, { productId: 'p-2', status: 'APPROVED', at });
      let view = await handle.query(getCategoryUngatingQuery);
      for (
        const started = Date.now();
        view.stage !== 'qualified';
        view = await handle.query(getCategoryUngatingQuery)
      ) {
        if (Date.now() - started > 20_000) throw new Error(`timed out waiting for qualified (stage ${view.stage})`);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(
        view.products.map((p) => [p.productId, p.auditStatus]),
        [
          ['p-1', 'APPROVED'],
          ['p-2', 'APPROVED'],
        ],
      );
      assert.equal(view.earliestExpiry, fdaExpiry);
      assert.equal(view.requalifyAt, new Date(Date.parse(`${fdaExpiry}T00:00:00Z`) - 30 * DAY).toISOString());
      assert.deepEqual(
        view.attempts.map((a) => [a.attempt, a.decision]),
        [
          [1, 'rejected'],
          [2, 'approved'],
        ],
      );

      // 1 day before the re-qualification: still round 1. Then round 2 checks the documents as of the expiry day.
      await env.sleep(Date.parse(view.requalifyAt) - (await env.currentTimeMs()) - DAY);
      assert.equal((await handle.query(getCategoryUngatingQuery)).round, 1);
      assert.equal(world.of('readCategoryRequirements').length, 2, 'at the start and after the approval');
      await env.sleep(2 * DAY);
      await until('round 2', () => world.of('readCategoryRequirements').length === 3);
      const renewal = await until(
        'the renewal documents step',
        () => world.of('openHumanStep').filter((s) => s.stepKey === 'documents:1')[1],
      );
      assert.deepEqual(
        renewal.context.missing.map((m: { documentType: string }) => m.documentType),
        ['fda_food_facility_registration'],
        'the FDA registration expires before the next round: asked for again',
      );
      const round2 = await client.workflow.getHandle(handle.workflowId).query(getCategoryUngatingQuery);
      assert.deepEqual([round2.round, round2.stage], [2, 'awaiting_documents']);
      assert.equal(round2.applicationId, `${handle.workflowId}:2`);
      world.vault.set(FDA_RENEWED, { documentType: 'fda_food_facility_registration', expiresOn: '2099-01-01' });
      await client.workflow.getHandle(handle.workflowId).terminate('test done');
    },
  );

  test(
    'rejected as many times as allowed: the application ends rejected; a step nobody answers expires',
    { timeout: 120_000 },
    async () => {
      await startWorker(fakeWorld({ ungating: { maxAttempts: 2 } }));
      world.vault.set(COA, { documentType: 'certificate_of_analysis' });
      world.vault.set(FDA, { documentType: 'fda_food_facility_registration' });
      const handle = await start(uniqueId('cat'));
      for (const attempt of [1, 2]) {
        if (attempt === 2) {
          await step('fix:2');
          await handle.executeUpdate(provideDocumentsUpdate, { args: [{ ...by, certificateIds: [COA] }] });
        }
        await step(`submit:${attempt}`);
        await handle.executeUpdate(recordSubmissionUpdate, { args: [by] });
        await step(`decision:${attempt}`);
        await handle.executeUpdate(recordDecisionUpdate, {
          args: [{ ...by, decision: 'rejected', reasons: [`reason ${attempt}`] }],
        });
      }
      const result = await handle.result();
      assert.deepEqual([result.outcome, result.attempts], ['rejected', 2]);
      assert.equal(world.of('attachCertifications').length, 0);
      const final = world.of('notifyUngating').at(-1);
      assert.deepEqual([final.severity, final.key], ['critical', '1:rejected-final']);
      assert.equal(world.of('recordUngatingApplication').at(-1).outcome, 'rejected');
      assert.equal(world.of('recordUngatingApplication').at(-1).closed, true);

      // A second application nobody submits: expired at the submit step's deadline (7 days).
      const other = await start(uniqueId('cat'));
      const submit = await until(
        'the other submit step',
        () => world.of('openHumanStep').filter((s) => s.stepKey === 'submit:1')[1],
      );
      // A plain client does not skip time while it waits: the test moves the clock past the 7-day deadline.
      await env.sleep(Date.parse(submit.dueAt) - (await env.currentTimeMs()) + 1000);
      const expired = await other.result();
      assert.equal(expired.outcome, 'expired');
      const closed = world
        .of('closeHumanStep')
        .filter((c) => c.stepKey === 'submit:1')
        .at(-1);
      assert.equal(closed.outcome, 'expired');
      assert.equal(closed.workflowId, other.workflowId);
      assert.equal(Date.parse(submit.dueAt) > 0, true);
      assert.equal(world.of('notifyUngating').at(-1).key, '1:submit:1:expired');
    },
  );
});
