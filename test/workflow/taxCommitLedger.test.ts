// Issue 20 item 3: what the commit activity does with each staged row, against a recording engine: a row with a line
// the seller does not collect on (TikTok-facilitated) never reaches the engine and is recorded as refused; an engine
// refusal is recorded and not retried; a retryable failure fails the attempt with the rest of the batch recorded, and
// the next attempt sends only what is missing; refunds follow the sales of their batch.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createTaxCommitActivities,
  type CommitSellerOwedInput,
  type CommitSellerOwedResult,
} from '../../activities/taxCommit';
import { syntheticSellerOwed } from '../../bench/taxCommitWorld';
import { createTaxEngineCommitRepository, type StagedTaxTransaction } from '../../db/taxEngineCommits';
import type { CommitOutcome, SellerOwedTransaction, TaxEngine } from '../../integrations/taxEngines/types';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { uniqueId } from '../helpers/temporal';

const PERIOD = '2026-10';

/** An engine that records what it is sent and answers per order id as told. */
function recordingEngine(answer: (orderId: string) => 'ok' | 'refuse' | 'down') {
  const sent: string[] = [];
  const outcome = (code: string, orderId: string, kind: 'sale' | 'refund'): CommitOutcome => {
    const a = answer(orderId);
    if (a === 'ok')
      return {
        transactionCode: code,
        orderId,
        kind,
        action: 'created',
        engineTax: 1,
        collectedTax: 0,
        jurisdictions: [],
      };
    return {
      transactionCode: code,
      orderId,
      kind,
      action: 'failed',
      engineTax: 0,
      collectedTax: 0,
      jurisdictions: [],
      error: { code: a === 'refuse' ? 'InvalidAddress' : 'NetworkError', message: a, retryable: a === 'down' },
    };
  };
  const engine: TaxEngine = {
    name: 'avatax',
    commitTransactions: (batch: SellerOwedTransaction[]) =>
      Promise.resolve(
        batch.map((s) => {
          sent.push(`sale:${s.orderId}`);
          return outcome(`tts-${s.orderId}`, s.orderId, 'sale');
        }),
      ),
    refundTransaction: (r) => {
      sent.push(`refund:${r.refundId}`);
      return Promise.resolve(outcome(`tts-r-${r.refundId}`, r.orderId, 'refund'));
    },
  };
  return { engine, sent };
}

describe('tax commit activity: guard, refusals, retryable failures', () => {
  let database: TestDatabase;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database?.drop());

  test('a TikTok-facilitated line is never sent; a refusal is recorded; a failure is retried alone', async () => {
    const shopId = uniqueId('shop');
    const ledger = createTaxEngineCommitRepository(database.db);
    const sales = syntheticSellerOwed(5, PERIOD, '9100');
    const sale = (i: number) => (sales[i] as { kind: 'sale'; sale: SellerOwedTransaction }).sale;
    // Order 1 carries a line TikTok collected on, as JSON would bring it back (the type forbids it).
    const tiktokLine = { ...sale(1).lines[0]!, lineId: '9', collector: 'marketplace' } as unknown as (typeof sales)[0];
    const mixed = { kind: 'sale', sale: { ...sale(1), lines: [...sale(1).lines, tiktokLine] } } as StagedTaxTransaction;
    const refund: StagedTaxTransaction = {
      kind: 'refund',
      refund: { ...sale(0), refundId: 'R-1', date: `${PERIOD}-30`, full: true },
    };
    await ledger.stage(shopId, PERIOD, [refund, sales[0]!, mixed, sales[2]!, sales[3]!, sales[4]!]);

    let down = true;
    const { engine, sent } = recordingEngine((orderId) =>
      orderId === sale(2).orderId ? 'refuse' : orderId === sale(3).orderId && down ? 'down' : 'ok',
    );
    const activities = createTaxCommitActivities({ db: database.db, taxEngines: { avatax: engine } });
    const commitSellerOwedTransactions = (i: CommitSellerOwedInput) => activities.commitSellerOwedTransactions(i);
    const input = { shopId, engine: 'avatax' as const, period: PERIOD, batchSize: 10 };

    await assert.rejects(
      new MockActivityEnvironment().run(commitSellerOwedTransactions, input),
      /1 of 6 transactions not taken by avatax \(NetworkError/,
    );
    // Sales before the refund of their batch; order 1 never sent.
    assert.deepEqual(sent, [
      `sale:${sale(0).orderId}`,
      `sale:${sale(2).orderId}`,
      `sale:${sale(3).orderId}`,
      `sale:${sale(4).orderId}`,
      'refund:R-1',
    ]);
    const rows = await ledger.rows(shopId, 'avatax', PERIOD);
    const byCode = Object.fromEntries(
      rows.map((r: any) => [r.transaction_code, [r.status, r.error?.split(':')[0] ?? null]]),
    );
    assert.deepEqual(byCode, {
      [`tts-${sale(0).orderId}`]: ['committed', null],
      [`tts-${sale(1).orderId}`]: ['rejected', 'NotSellerOwed'],
      [`tts-${sale(2).orderId}`]: ['rejected', 'InvalidAddress'],
      [`tts-${sale(4).orderId}`]: ['committed', null],
      'tts-r-R-1': ['committed', null],
    });

    down = false;
    sent.length = 0;
    const result = await new MockActivityEnvironment().run<
      [CommitSellerOwedInput],
      CommitSellerOwedResult,
      typeof commitSellerOwedTransactions
    >(commitSellerOwedTransactions, input);
    assert.deepEqual(sent, [`sale:${sale(3).orderId}`]);
    assert.deepEqual(
      [result.done, result.seen, result.skipped, result.created, result.rejected, result.refunds],
      [true, 6, 5, 1, 0, 0],
    );
    const counts = await ledger.counts(shopId, 'avatax', PERIOD);
    assert.deepEqual([counts.committed, counts.rejected], [4, 2]);
  });

  test('an engine that is not configured and a malformed period fail without retry', async () => {
    const activities = createTaxCommitActivities({ db: database.db, taxEngines: {} });
    const commitSellerOwedTransactions = (i: CommitSellerOwedInput) => activities.commitSellerOwedTransactions(i);
    const env = new MockActivityEnvironment();
    await assert.rejects(
      env.run(commitSellerOwedTransactions, { shopId: 's', engine: 'taxjar' as const, period: '2026-10' }),
      (err: any) => err.type === 'TaxEngineNotConfigured' && err.nonRetryable === true,
    );
    await assert.rejects(
      env.run(commitSellerOwedTransactions, { shopId: 's', engine: 'taxjar' as const, period: '2026-13' }),
      (err: any) => err.type === 'InvalidTaxPeriod',
    );
  });
});
