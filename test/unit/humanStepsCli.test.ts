// The CLI (cli/main.ts) without a server: which request each command line makes, what it prints, the named errors
// and exit codes (0, 1 failure, 2 usage), nothing on stdout on failure unless --json; and the formatting helpers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { formatStepList, table, timeLeft, type StepRow } from '../../cli/format';
import { localTarget, runCli } from '../../cli/main';

const NOW = Date.parse('2026-12-05T10:00:00Z');

const row = (over: Partial<StepRow> = {}): StepRow => ({
  id: '7',
  shopId: 'shop-1',
  caseKind: 'order_cancellation',
  caseId: 'o-1',
  workflowId: 'order:shop-1:o-1',
  stepKey: 'cancellation:c-1',
  updateName: 'cancellationDecision',
  title: 'Buyer asks to cancel order o-1',
  severity: 'warning',
  dueAt: '2026-12-05T12:05:00.000Z',
  closedAt: null,
  outcome: null,
  decidedBy: null,
  decidedAt: null,
  ...over,
});

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** Runs a command line against a fake API answering `status` + `json`; returns the exit code, output and requests. */
async function run(args: string[], answer: { status: number; json: unknown } = { status: 200, json: {} }) {
  const sent: Sent[] = [];
  let stdout = '';
  let stderr = '';
  const fakeFetch = (url: string | URL | Request, init?: RequestInit) => {
    sent.push({
      method: init?.method ?? 'GET',
      url: url instanceof Request ? url.url : url.toString(),
      headers: init?.headers as Record<string, string>,
      body: init?.body ? JSON.parse(init.body as string) : undefined,
    });
    return Promise.resolve(new Response(JSON.stringify(answer.json), { status: answer.status }));
  };
  const code = await runCli(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    target: () => ({ baseUrl: 'http://api.test:3000/', apiKey: 'tso_test' }),
    fetch: fakeFetch,
    now: () => NOW,
  });
  return { code, stdout, stderr, sent };
}

test('steps list: open steps by default, filters as query parameters, a table with the time left', async () => {
  const out = await run(['steps', 'list', '--shop', 'shop-1', '--kind', 'order_cancellation', '--limit', '5'], {
    status: 200,
    json: { steps: [row(), row({ id: '8', dueAt: '2026-12-05T09:00:00.000Z', title: 'Late one' })] },
  });
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(
    out.sent.map((s) => [s.method, s.url, s.headers.authorization]),
    [
      [
        'GET',
        'http://api.test:3000/v1/human-steps?shopId=shop-1&caseKind=order_cancellation&open=true&limit=5',
        'Bearer tso_test',
      ],
    ],
  );
  const lines = out.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^ID +DUE +LEFT +SEVERITY +KIND +CASE +STATE +TITLE$/);
  assert.match(lines[1]!, /^7 +2026-12-05T12:05:00.000Z +2h 05m +warning +order_cancellation +o-1 +open +Buyer asks/);
  assert.match(lines[2]!, /^8 .* overdue 1h 00m .* Late one$/);
  assert.equal(out.stderr, '');

  const all = await run(['steps', 'list', '--all'], { status: 200, json: { steps: [] } });
  assert.equal(all.sent[0]!.url, 'http://api.test:3000/v1/human-steps?');
  assert.equal(all.stdout, 'No human steps.\n');
});

test('--json prints the rows, before or after the command', async () => {
  for (const args of [
    ['steps', 'list', '--json'],
    ['--json', 'steps', 'list'],
  ]) {
    const out = await run(args, { status: 200, json: { steps: [row()] } });
    assert.equal(out.code, 0);
    assert.deepEqual(JSON.parse(out.stdout), [row()]);
  }
});

test('steps decide: --input or --input-file, posted as the body; the answer printed', async () => {
  const answer = {
    status: 200,
    json: {
      stepId: '7',
      updateName: 'cancellationDecision',
      decidedBy: 'ops (key 2)',
      result: { outcome: 'approved' },
    },
  };
  const out = await run(['steps', 'decide', '7', '--input', '{"stopped": true}'], answer);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.sent, [
    {
      method: 'POST',
      url: 'http://api.test:3000/v1/human-steps/7/decision',
      headers: out.sent[0]!.headers,
      body: { stopped: true },
    },
  ]);
  assert.equal(out.sent[0]!.headers['content-type'], 'application/json');
  assert.equal(out.stdout, 'Step 7 decided by ops (key 2) (cancellationDecision): {"outcome":"approved"}\n');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-input-'));
  try {
    const file = path.join(dir, 'decision.json');
    fs.writeFileSync(file, '{"stopped": false}');
    const fromFile = await run(['steps', 'decide', '7', '--input-file', file], answer);
    assert.deepEqual(fromFile.sent[0]!.body, { stopped: false });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors exit 2 without calling the API; JSON error with --json', async () => {
  const cases: [string[], RegExp][] = [
    [['steps', 'decide', '7'], /^UsageError: give the decision as --input <json> or --input-file <path>/],
    [['steps', 'decide', '7', '--input', '{"a":1}', '--input-file', 'x'], /^UsageError: give the decision as/],
    [['steps', 'decide', '7', '--input', '{nope'], /^UsageError: --input is not JSON: /],
    [['steps', 'decide', '7', '--input', '[1]'], /^UsageError: the decision is a JSON object/],
    [['steps', 'list', '--limit', 'many'], /^UsageError: option '--limit <n>' argument 'many' is invalid/],
    [['steps', 'list', '--bogus'], /^UsageError: unknown option '--bogus'/],
    [['steps', 'show'], /^UsageError: missing required argument 'id'/],
    [['settings', 'set', 'shop-1'], /^UsageError: required option '--patch <json>' not specified/],
    [['nothing'], /^UsageError: unknown command 'nothing'/],
  ];
  for (const [args, message] of cases) {
    const out = await run(args);
    assert.equal(out.code, 2, args.join(' '));
    assert.equal(out.stdout, '', args.join(' '));
    assert.match(out.stderr, message, args.join(' '));
    assert.equal(out.sent.length, 0);
  }
  const asJson = await run(['steps', 'decide', '7', '--json']);
  assert.equal(asJson.code, 2);
  assert.equal(JSON.parse(asJson.stdout).error.name, 'UsageError');
});

test('API errors: ApiError with the status, code and message, exit 1; with --json a JSON error object', async () => {
  const refused = {
    status: 422,
    json: { error: { code: 'invalid_decision', message: 'stopped must be true or false' } },
  };
  const out = await run(['steps', 'decide', '7', '--input', '{"stopped": 1}'], refused);
  assert.equal(out.code, 1);
  assert.equal(out.stdout, '');
  assert.equal(out.stderr, 'ApiError 422 invalid_decision: stopped must be true or false\n');
  const asJson = await run(['steps', 'decide', '7', '--input', '{"stopped": 1}', '--json'], refused);
  assert.equal(asJson.code, 1);
  assert.deepEqual(JSON.parse(asJson.stdout), {
    error: { name: 'ApiError', status: 422, code: 'invalid_decision', message: 'stopped must be true or false' },
  });
  const notJson = await run(['steps', 'show', '9'], { status: 502, json: 'Bad gateway' });
  assert.match(notJson.stderr, /^ApiError 502 http_error: /);
});

test('settings show and set go to the shop settings routes (PATCH with If-Match when given)', async () => {
  const show = await run(['settings', 'show', 'shop-1'], { status: 200, json: { settings: { paging: {} } } });
  assert.equal(show.sent[0]!.url, 'http://api.test:3000/v1/shops/shop-1/settings');
  assert.deepEqual(JSON.parse(show.stdout), { settings: { paging: {} } });
  const set = await run(
    ['settings', 'set', 'shop-1', '--patch', '{"returns": {"criticalBeforeDeadline": "2h"}}', '--if-match', '3'],
    { status: 200, json: { version: 4 } },
  );
  assert.equal(set.code, 0, set.stderr);
  assert.deepEqual(
    [set.sent[0]!.method, set.sent[0]!.headers['if-match'], set.sent[0]!.body],
    ['PATCH', '3', { returns: { criticalBeforeDeadline: '2h' } }],
  );
});

test('the target: the local stack (API_PORT, the admin key file) unless OPS_API_URL / OPS_API_KEY; else ConfigError', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-target-'));
  try {
    const env = { DATA_DIR: dir, API_PORT: '3999' };
    assert.throws(() => localTarget(env), { name: 'ConfigError', message: /no API key: set OPS_API_KEY/ });
    fs.mkdirSync(path.join(dir, 'secrets'));
    fs.writeFileSync(path.join(dir, 'secrets', 'admin-api-key'), 'tso_from_file\n');
    assert.deepEqual(localTarget(env), { baseUrl: 'http://127.0.0.1:3999', apiKey: 'tso_from_file' });
    // A command that needs the API reports it as a named failure (exit 1), nothing on stdout.
    let stderr = '';
    let stdout = '';
    const code = await runCli(['steps', 'list'], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      target: () => localTarget({ DATA_DIR: path.join(dir, 'missing') }),
    });
    assert.deepEqual([code, stdout], [1, '']);
    assert.match(stderr, /^ConfigError: no API key/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('time left and tables', () => {
  assert.equal(timeLeft(null, NOW), '-');
  assert.equal(timeLeft('2026-12-05T10:00:45Z', NOW), '45s');
  assert.equal(timeLeft('2026-12-05T10:12:00Z', NOW), '12m');
  assert.equal(timeLeft('2026-12-05T12:05:00Z', NOW), '2h 05m');
  assert.equal(timeLeft('2026-12-08T14:00:00Z', NOW), '3d 4h');
  assert.equal(timeLeft('2026-12-05T09:48:00Z', NOW), 'overdue 12m');
  assert.equal(table(['A', 'BB'], [['xxx', 'y']]), 'A    BB\nxxx  y');
  const closed = formatStepList([row({ closedAt: '2026-12-05T09:00:00Z', outcome: 'auto' })], NOW);
  assert.match(closed.split('\n')[1]!, /^7 +2026-12-05T12:05:00.000Z +- +warning .* auto +Buyer/);
});
