// `tax report …` (cli/taxReport.ts) without a server: the request each command makes, what it prints, a download
// written as bytes, and a month that is not YYYY-MM refused before any request.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cliAgainstFakeApi } from '../helpers/cliAgainstFakeApi';

const cli = cliAgainstFakeApi;

const view = {
  shopId: 'shop-1',
  period: '2026-11',
  timeZone: 'America/Los_Angeles',
  engine: 'avatax',
  stage: 'committed',
  progress: { lines: 1234, steps: 2 },
  summary: {
    reportId: 'r1',
    period: '2026-11',
    status: 'draft',
    states: 4,
    mustRegister: [{ state: 'WA', nexusFrom: '2026-11-14', mustRegisterBy: '2026-12-01' }],
    sellerOwedTransactions: 7,
    sellerOwedTax: '41.23',
    differences: 2,
    historyGaps: [{ from: '2025-01-01', to: '2025-03-31' }],
    flags: ['unsourced: MS threshold'],
    csvFileId: 'c',
    pdfFileId: 'p',
    hash: 'abc',
    rebuild: 'same',
  },
  decision: { decision: 'approved', decidedBy: 'ops (key 1)', decidedAt: '2026-12-02T10:00:00.000Z' },
  commit: {
    engine: 'avatax',
    staged: 7,
    seen: 7,
    created: 6,
    replaced: 1,
    skipped: 0,
    rejected: 0,
    refunds: 1,
    activityCalls: 1,
  },
};

test('tax report show prints the figures, the decision and the commit', async () => {
  const r = await cli(['tax', 'report', 'show', '2026-11', '--shop', 'shop-1'], view);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.sent, [
    { method: 'GET', url: 'http://api.test:3000/v1/shops/shop-1/tax/reports/2026-11', body: undefined },
  ]);
  assert.match(r.stdout, /^Tax report shop-1 2026-11 \(America\/Los_Angeles\): committed$/m);
  assert.match(r.stdout, /seller-owed: 7 transactions, tax 41\.23/);
  assert.match(r.stdout, /must register in WA: nexus from 2026-11-14, by 2026-12-01/);
  assert.match(r.stdout, /history not covered: 2025-01-01 \.\. 2025-03-31/);
  assert.match(r.stdout, /approved by ops \(key 1\)/);
  assert.match(r.stdout, /avatax: staged 7, created 6, replaced 1, skipped 0, rejected 0, refunds 1/);
});

test('start, trigger, backfill and pause send their requests', async () => {
  const start = await cli(['tax', 'report', 'start', '2026-10', '--shop', 's'], {
    workflowId: 'tax-report:s:2026-10',
    started: true,
  });
  assert.deepEqual(start.sent[0], {
    method: 'POST',
    url: 'http://api.test:3000/v1/shops/s/tax/reports',
    body: { period: '2026-10' },
  });
  assert.equal(start.stdout, 'Report tax-report:s:2026-10 started\n');
  const back = await cli(['tax', 'report', 'backfill', '--shop', 's', '--from', '2026-01', '--to', '2026-03'], {
    firings: ['a', 'b', 'c'],
  });
  assert.deepEqual(back.sent[0]?.body, { from: '2026-01', to: '2026-03' });
  assert.equal(back.stdout, 'Back-filled 3 months (2026-01 .. 2026-03)\n');
  const trig = await cli(['tax', 'report', 'trigger', '--shop', 's'], { triggered: true });
  assert.equal(trig.sent[0]?.url, 'http://api.test:3000/v1/shops/s/tax/schedule/trigger');
  const schedule = {
    scheduleId: 'tax-report-monthly:s',
    paused: true,
    note: 'audit',
    timeZone: 'UTC',
    calendar: { dayOfMonth: 1, hour: 6, minute: 0 },
    nextActionTimes: [],
    recentActions: [],
  };
  const pause = await cli(['tax', 'report', 'pause', '--shop', 's', '--note', 'audit'], schedule);
  assert.deepEqual(pause.sent[0], {
    method: 'POST',
    url: 'http://api.test:3000/v1/shops/s/tax/schedule/pause',
    body: { note: 'audit' },
  });
  assert.match(pause.stdout, /^tax-report-monthly:s: paused \(audit\), day 1 at 6:00 UTC$/m);
});

test('a download is written as the bytes the API answered', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'taxcli-')), 'r.pdf');
  const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x80]);
  const r = await cli(['tax', 'report', 'download', '2026-11', '--shop', 's', '--out', file], bytes);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.sent[0]?.url, 'http://api.test:3000/v1/shops/s/tax/reports/2026-11/pdf');
  assert.deepEqual(fs.readFileSync(file), bytes);
});

test('a month that is not YYYY-MM is a usage error, before any request', async () => {
  const r = await cli(['tax', 'report', 'backfill', '--shop', 's', '--from', '2026-1', '--to', '2026-03'], {});
  assert.equal(r.code, 2);
  assert.deepEqual(r.sent, []);
});
