// The CLI's dispute commands (cli/disputes.ts) without a server: the request each command line makes, what it prints,
// and the named errors (an API refusal exits 1 as ApiError, a missing option 2 as UsageError).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliAgainstFakeApi } from '../helpers/cliAgainstFakeApi';

const NOW = Date.parse('2026-12-05T10:00:00Z');

/** A command line against a fake API answering `status` + `json` (test/helpers/cliAgainstFakeApi.ts). */
const run = (args: string[], answer: { status: number; json: unknown } = { status: 200, json: {} }) =>
  cliAgainstFakeApi(args, answer.json, answer.status, { now: () => NOW });

test('chargebacks open posts the notice; a second open says the case is already there', async () => {
  const args = [
    'chargebacks',
    'open',
    '--shop',
    's1',
    '--id',
    'cb-1',
    '--order',
    'o-1',
    '--reason',
    'Item not received',
    '--amount',
    '42.50',
    '--currency',
    'USD',
    '--notice-date',
    '2026-12-01T09:00:00Z',
    '--deadline',
    '2026-12-08T09:00:00Z',
    '--network',
    'Visa',
  ];
  const out = await run(args, {
    status: 201,
    json: { created: true, case: { caseId: 'cb-1', deadline: '2026-12-08T09:00:00.000Z' } },
  });
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.sent, [
    {
      method: 'POST',
      url: 'http://api.test:3000/v1/shops/s1/chargebacks',
      body: {
        chargebackId: 'cb-1',
        orderId: 'o-1',
        reason: 'Item not received',
        amount: '42.50',
        currency: 'USD',
        noticeDate: '2026-12-01T09:00:00Z',
        responseDeadline: '2026-12-08T09:00:00Z',
        network: 'Visa',
      },
    },
  ]);
  assert.match(out.stdout, /^Opened: chargebacks cb-1, deadline 2026-12-08T09:00:00.000Z/);
  const again = await run(args, {
    status: 200,
    json: { created: false, case: { caseId: 'cb-1', deadline: '2026-12-08T09:00:00.000Z' } },
  });
  assert.match(again.stdout, /^Already open: chargebacks cb-1/);
});

test('appeals: an old decision is refused by the API (ApiError, exit 1, nothing on stdout); a missing option is a UsageError', async () => {
  const refused = await run(
    [
      'appeals',
      'open',
      '--shop',
      's1',
      '--id',
      'd-1',
      '--type',
      'return_refund',
      '--order',
      'o-1',
      '--decision',
      'Refund',
      '--decided-at',
      '2026-11-01T00:00:00Z',
    ],
    { status: 422, json: { error: { code: 'appeal_window_closed', message: 'its appeal window of 21 days closed' } } },
  );
  assert.equal(refused.code, 1);
  assert.equal(refused.stdout, '');
  assert.equal(refused.stderr, 'ApiError 422 appeal_window_closed: its appeal window of 21 days closed\n');
  assert.equal((refused.sent[0]!.body as { disputeType: string }).disputeType, 'return_refund');
  const usage = await run(['appeals', 'open', '--shop', 's1', '--id', 'd-1']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^UsageError: required option/);
  assert.equal(usage.sent.length, 0);
});

test('list and show: the shop-scoped routes, the time left to each deadline, the steps to decide', async () => {
  const list = await run(['appeals', 'list', '--shop', 's1', '--open'], {
    status: 200,
    json: {
      disputeAppeals: [
        {
          caseId: 'd-1',
          orderId: 'o-1',
          stage: 'awaiting_submission',
          deadline: '2026-12-06T12:00:00.000Z',
          bundleId: 'eb_1',
          outcome: null,
          amount: null,
          closedAt: null,
        },
      ],
    },
  });
  assert.equal(list.sent[0]!.url, 'http://api.test:3000/v1/shops/s1/dispute-appeals?open=true');
  assert.match(list.stdout, /d-1\s+o-1\s+awaiting_submission\s+2026-12-06T12:00:00.000Z\s+1d 2h\s+-\s+eb_1\s+-/);
  const show = await run(['chargebacks', 'show', 's1', 'cb-1'], {
    status: 200,
    json: {
      caseKind: 'chargeback',
      caseId: 'cb-1',
      orderId: 'o-1',
      stage: 'awaiting_submission',
      risk: 'at_risk',
      deadline: '2026-12-05T14:00:00.000Z',
      deadlineSource: 'the chargeback notice',
      bundles: [{ bundleId: 'eb_9', pageCount: 3, sha256: 'ab'.repeat(32) }],
      humanSteps: [{ id: '41', stepKey: 'submit', dueAt: '2026-12-05T14:00:00.000Z', closedAt: null, outcome: null }],
    },
  });
  assert.equal(show.sent[0]!.url, 'http://api.test:3000/v1/shops/s1/chargebacks/cb-1');
  assert.match(show.stdout, /Deadline: 2026-12-05T14:00:00.000Z \(4h 00m\) from the chargeback notice/);
  assert.match(show.stdout, /Bundle: {3}eb_9, 3 pages/);
  assert.match(show.stdout, /Step 41 submit: open, due 2026-12-05T14:00:00.000Z — npm run cli -- steps decide 41/);
});
