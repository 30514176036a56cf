// The human-step record on PostgreSQL (db/humanSteps.ts through the activities of activities/humanSteps/): opening
// and closing are idempotent, an open step opened again takes the new due time, a closed one stays closed, lists go
// by due time within the caller's shops; and migration 018 moves the ops_tasks rows it replaces.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHumanStepActivities, type OpenHumanStepInput } from '../../activities/humanSteps';
import { createHumanStepRepository } from '../../db/humanSteps';
import { migrate } from '../../db/knex';
import { migrationSource } from '../../db/migrations';
import { testDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database?.drop();
});

const step = (over: Partial<OpenHumanStepInput> = {}): OpenHumanStepInput => ({
  shopId: 'shop-1',
  caseKind: 'return',
  caseId: 'r-1',
  workflowId: 'return:shop-1:r-1',
  stepKey: 'decide:SELLER_RESPOND_REFUND',
  updateName: 'decideReturn',
  title: 'Refund request r-1',
  inputSchema: { type: 'object', required: ['decision'] },
  context: { amount: { amount: '12.00', currency: 'USD' } },
  dueAt: '2026-12-06T10:00:00.000Z',
  ...over,
});

test('open is idempotent; opened again while open it takes the new due time and severity', async () => {
  const acts = createHumanStepActivities({ db: database.db });
  const repo = createHumanStepRepository(database.db);
  const first = await acts.openHumanStep(step());
  assert.deepEqual(await acts.openHumanStep(step()), first, 'a retried open returns the same step');
  await acts.openHumanStep(step({ dueAt: '2026-12-06T09:00:00.000Z', severity: 'critical', title: 'Refund r-1: 1h' }));
  const row = (await repo.get(first.stepId))!;
  assert.deepEqual(
    [row.dueAt, row.severity, row.title, row.closedAt, row.inputSchema, row.context],
    [
      '2026-12-06T09:00:00.000Z',
      'critical',
      'Refund r-1: 1h',
      null,
      { type: 'object', required: ['decision'] },
      { amount: { amount: '12.00', currency: 'USD' } },
    ],
  );
  assert.equal((await database.db('human_steps').where({ workflow_id: 'return:shop-1:r-1' })).length, 1);
});

test('close records the outcome and who decided once; a closed step opened again stays closed', async () => {
  const acts = createHumanStepActivities({ db: database.db });
  const repo = createHumanStepRepository(database.db);
  const { stepId } = await acts.openHumanStep(step({ workflowId: 'return:shop-1:r-2', caseId: 'r-2' }));
  const close = {
    workflowId: 'return:shop-1:r-2',
    stepKey: 'decide:SELLER_RESPOND_REFUND',
    outcome: 'decided' as const,
    decidedBy: 'ops (key 3)',
    decidedAt: '2026-12-05T10:00:00.000Z',
    decision: { decision: 'approve' },
  };
  await acts.closeHumanStep(close);
  await acts.closeHumanStep({ ...close, outcome: 'expired', decidedBy: 'late', decision: undefined });
  await acts.openHumanStep(step({ workflowId: 'return:shop-1:r-2', caseId: 'r-2', dueAt: '2027-01-01T00:00:00Z' }));
  const row = (await repo.get(stepId))!;
  assert.deepEqual(
    [row.outcome, row.decidedBy, row.decidedAt, row.decision, row.dueAt],
    ['decided', 'ops (key 3)', '2026-12-05T10:00:00.000Z', { decision: 'approve' }, '2026-12-06T10:00:00.000Z'],
  );
  assert.ok(row.closedAt);
  // The process's own outcomes carry nobody.
  await acts.openHumanStep(step({ workflowId: 'w-auto', stepKey: 'k' }));
  await acts.closeHumanStep({ workflowId: 'w-auto', stepKey: 'k', outcome: 'auto' });
  const auto = (await repo.list({ shopIds: null, workflowId: 'w-auto', limit: 5 }))[0]!;
  assert.deepEqual([auto.outcome, auto.decidedBy, auto.decidedAt], ['auto', null, null]);
});

test('lists by due time (undated last), filtered by shop scope, kind and open', async () => {
  const acts = createHumanStepActivities({ db: database.db });
  const repo = createHumanStepRepository(database.db);
  const base = { shopId: 'shop-L', caseKind: 'order_dispatch' };
  await acts.openHumanStep(step({ ...base, workflowId: 'l-late', dueAt: '2026-12-09T00:00:00Z' }));
  await acts.openHumanStep(step({ ...base, workflowId: 'l-none', dueAt: null }));
  await acts.openHumanStep(step({ ...base, workflowId: 'l-soon', dueAt: '2026-12-07T00:00:00Z' }));
  await acts.openHumanStep(step({ shopId: 'shop-M', workflowId: 'm-1', dueAt: '2026-12-01T00:00:00Z' }));
  await acts.openHumanStep(step({ ...base, caseKind: 'return', workflowId: 'l-return' }));
  const ids = async (opts: Partial<Parameters<typeof repo.list>[0]>) =>
    (await repo.list({ shopIds: null, limit: 100, ...opts })).map((s) => s.workflowId);
  assert.deepEqual(await ids({ shopIds: ['shop-L'], caseKind: 'order_dispatch', open: true }), [
    'l-soon',
    'l-late',
    'l-none',
  ]);
  assert.deepEqual(await ids({ shopIds: ['shop-M'] }), ['m-1']);
  assert.deepEqual(await ids({ shopIds: ['nobody'] }), []);
  await acts.closeHumanStep({ workflowId: 'l-soon', stepKey: 'decide:SELLER_RESPOND_REFUND', outcome: 'withdrawn' });
  assert.deepEqual(await ids({ shopId: 'shop-L', caseKind: 'order_dispatch', open: false }), ['l-soon']);
  assert.equal(await repo.get('999999999'), undefined);
  assert.equal(await repo.get('not-a-number'), undefined);
});

test('migration 018 moves the ops tasks it replaces (open ones open, done ones closed) and drops ops_tasks', async () => {
  const fresh = await testDatabase({ migrate: false });
  try {
    const db = fresh.db;
    // Every migration before 018, then rows as the order workflow wrote them.
    for (;;) {
      const [, pending] = (await db.migrate.list({ migrationSource })) as [unknown[], string[]];
      if (pending[0] === '018_human_steps') break;
      await db.migrate.up({ migrationSource });
    }
    await db('ops_tasks').insert([
      { shop_id: 's1', order_id: 'o1', kind: 'cancellation:c9', due_at: '2026-12-06T10:00:00Z' },
      { shop_id: 's1', order_id: 'o2', kind: 'late_dispatch', done_at: '2026-12-05T09:00:00Z' },
    ]);
    await migrate(db);
    const rows = await createHumanStepRepository(db).list({ shopIds: null, limit: 10 });
    assert.deepEqual(
      rows.map((r) => [r.caseKind, r.caseId, r.workflowId, r.stepKey, r.updateName, r.severity, r.outcome]),
      [
        ['order_cancellation', 'o1', 'order:s1:o1', 'cancellation:c9', 'cancellationDecision', 'warning', null],
        ['order_dispatch', 'o2', 'order:s1:o2', 'late_dispatch', 'shipped', 'critical', 'superseded'],
      ],
    );
    assert.equal(rows[1]!.closedAt, '2026-12-05T09:00:00.000Z');
    assert.equal(await db.schema.hasTable('ops_tasks'), false);
  } finally {
    await fresh.drop();
  }
});
