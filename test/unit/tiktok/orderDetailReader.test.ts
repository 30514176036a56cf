import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RateBudget } from '../../../integrations/tiktok/client';
import { TikTokInvalidRequest } from '../../../integrations/tiktok/errors';
import { createOrderDetailReader } from '../../../integrations/tiktok/orderDetailReader';
import { SHOP, envelope, jsonResponse, makeClient, type RecordedRequest } from './fakeTikTok';

/** A budget whose tokens are handed out by the test (`grant`), recording each acquire. */
function gatedBudget() {
  const pending: { resolve: () => void; reject: (err: Error) => void }[] = [];
  const calls: { api: string; deadline?: Date }[] = [];
  const budget: RateBudget = {
    acquire(input) {
      calls.push({ api: input.api, ...(input.deadline ? { deadline: input.deadline } : {}) });
      return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
    },
  };
  /** Grants the token of the `index`-th pending acquire (in the order they were made). */
  const grant = async (index = 0) => {
    pending.splice(index, 1)[0]?.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  };
  const fail = async (err: Error) => {
    pending.shift()?.reject(err);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { budget, calls, grant, fail, waiting: () => pending.length };
}

const idsOf = (req: RecordedRequest) => req.url.searchParams.get('ids')!.split(',');

/** Answers Get Order Detail with every asked id except those in `missing`. */
function ordersFor(missing: string[] = []) {
  return (req: RecordedRequest) =>
    jsonResponse(
      200,
      envelope(0, {
        orders: idsOf(req)
          .filter((id) => !missing.includes(id))
          .map((id) => ({ id, status: 'AWAITING_SHIPMENT', line_items: [] })),
      }),
    );
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

void test('an idle shop’s read goes out alone, with its deadline in the budget', async () => {
  const gate = gatedBudget();
  const tc = makeClient([ordersFor()], { budget: gate.budget });
  const reader = createOrderDetailReader(tc.client);
  const deadline = new Date(Date.now() + 5_000);
  const read = reader.read(SHOP, '101', { deadline });
  await flush();
  assert.equal(gate.calls.length, 1);
  assert.equal(gate.calls[0]!.api, 'GET /order/202309/orders');
  assert.equal(gate.calls[0]!.deadline?.getTime(), deadline.getTime());
  await gate.grant();
  assert.equal((await read)?.id, '101');
  assert.equal(tc.requests.length, 1);
  assert.deepEqual(idsOf(tc.requests[0]!), ['101']);
  assert.equal(gate.calls.length, 1, 'the reserved token is not taken a second time');
});

void test('reads made while a call waits for its token share it, up to 50 ids, earliest deadline first', async () => {
  const gate = gatedBudget();
  const tc = makeClient([ordersFor(['missing'])], { budget: gate.budget });
  const reader = createOrderDetailReader(tc.client);
  const now = Date.now();
  const reads: Promise<{ id: string } | undefined>[] = [];
  // 60 reads without a deadline, then 10 more urgent by the one, then one id again and one TikTok does not return.
  for (let i = 0; i < 60; i++) reads.push(reader.read(SHOP, String(1000 + i)));
  for (let i = 0; i < 10; i++) {
    reads.push(reader.read(SHOP, String(2000 + i), { deadline: new Date(now + 1000 * (10 - i)) }));
  }
  reads.push(reader.read(SHOP, '1000'), reader.read(SHOP, 'missing'));
  await flush();
  assert.equal(gate.calls.length, 4, 'a call per more urgent read, at most four');
  assert.deepEqual(
    gate.calls.map((c) => c.deadline?.getTime()),
    [undefined, now + 10_000, now + 9_000, now + 8_000],
  );
  await gate.grant(3); // the most urgent call's token comes first
  assert.equal(tc.requests.length, 1);
  const first = idsOf(tc.requests[0]!);
  assert.equal(first.length, 50);
  assert.deepEqual(
    first.slice(0, 10),
    Array.from({ length: 10 }, (_, i) => String(2009 - i)),
    'urgent reads first, by deadline',
  );
  assert.deepEqual(
    first.slice(10),
    Array.from({ length: 40 }, (_, i) => String(1000 + i)),
  );
  assert.equal(gate.calls.length, 4, 'the reads left join a call already forming');
  await gate.grant(0);
  assert.deepEqual(idsOf(tc.requests[1]!), [...Array.from({ length: 20 }, (_, i) => String(1040 + i)), 'missing']);
  const results = await Promise.all(reads);
  assert.equal(results[0]?.id, '1000');
  assert.equal(results[70]?.id, '1000', 'the same id read twice: one id in the call, both answered');
  assert.equal(results[71], undefined, 'an order TikTok does not return');
  await gate.grant();
  await gate.grant();
  assert.equal(tc.requests.length, 2, 'the other two tokens found nothing to carry');
  assert.equal(gate.waiting(), 0, 'no call forms once nobody waits');
});

void test('a call that failed (retryable) fails the reads it carried and no others; a malformed id fails alone', async () => {
  const gate = gatedBudget();
  let calls = 0;
  const tc = makeClient(
    [
      (req) => {
        calls += 1;
        return calls === 1 ? jsonResponse(200, envelope(36009003, {}, 'internal error, retry')) : ordersFor()(req);
      },
    ],
    { budget: gate.budget },
  );
  const reader = createOrderDetailReader(tc.client, { maxIds: 2 });
  const reads = ['1', '', '2', '3'].map((id) => reader.read(SHOP, id));
  const settled = Promise.allSettled(reads);
  await assert.rejects(reads[1]!, TikTokInvalidRequest);
  await flush();
  await gate.grant();
  await gate.grant();
  const outcomes = (await settled).map((r) => (r.status === 'fulfilled' ? r.value?.id : 'rejected'));
  assert.deepEqual(outcomes, ['rejected', 'rejected', 'rejected', '3'], 'the next call carries the last read');
  assert.deepEqual(
    tc.requests.map((r) => idsOf(r).join(',')),
    ['1,2', '3'],
    'the malformed id joined no call',
  );
});

void test('an urgent read joining a call formed for a later one forms its own; a token left with nothing to carry is not used', async () => {
  const gate = gatedBudget();
  const tc = makeClient([ordersFor()], { budget: gate.budget });
  const reader = createOrderDetailReader(tc.client);
  const later = reader.read(SHOP, '1', { deadline: new Date(Date.now() + 86_400_000) });
  await flush();
  const urgentDeadline = new Date(Date.now() + 2_000);
  const urgent = reader.read(SHOP, '2', { deadline: urgentDeadline });
  const alsoLater = reader.read(SHOP, '3');
  await flush();
  assert.equal(gate.calls.length, 2, 'the urgent read forms a call of its own; the read without a deadline joins');
  assert.equal(gate.calls[1]!.deadline?.getTime(), urgentDeadline.getTime());
  await gate.grant(1); // the budget serves the urgent call first (earliest deadline)
  assert.deepEqual(idsOf(tc.requests[0]!), ['2', '1', '3'], 'it carries every waiting read, most urgent first');
  assert.deepEqual(
    (await Promise.all([later, urgent, alsoLater])).map((o) => o?.id),
    ['1', '2', '3'],
  );
  await gate.grant(0);
  assert.equal(tc.requests.length, 1, 'the first call found nothing left to carry');
  assert.equal(gate.calls.length, 2);
});

void test('a budget failure fails the waiting reads; the next read forms a new call', async () => {
  const gate = gatedBudget();
  const tc = makeClient([ordersFor()], { budget: gate.budget });
  const reader = createOrderDetailReader(tc.client);
  const settled = Promise.allSettled([reader.read(SHOP, '1'), reader.read(SHOP, '2')]);
  await flush();
  await gate.fail(new Error('rate budget is closed'));
  assert.deepEqual(
    (await settled).map((r) => r.status),
    ['rejected', 'rejected'],
  );
  const again = reader.read(SHOP, '3');
  await flush();
  await gate.grant();
  assert.equal((await again)?.id, '3');
});

void test('a call refused for one of its orders is made again order by order, so the others still read', async () => {
  const gate = gatedBudget();
  // Order "9" comes back malformed (a status outside the enum): the response fails the schema as a whole.
  const responder = (req: RecordedRequest) =>
    jsonResponse(
      200,
      envelope(0, {
        orders: idsOf(req).map((id) => ({
          id,
          status: id === '9' ? 'NOT_A_STATUS' : 'AWAITING_SHIPMENT',
          line_items: [],
        })),
      }),
    );
  const tc = makeClient([responder], { budget: gate.budget });
  const reader = createOrderDetailReader(tc.client);
  const settled = Promise.allSettled(['8', '9', '10'].map((id) => reader.read(SHOP, id)));
  await flush();
  await gate.grant(); // the call of three ids
  for (let i = 0; i < 3; i++) await gate.grant(); // each id alone
  const outcomes = (await settled).map((r) => (r.status === 'fulfilled' ? r.value?.id : 'rejected'));
  assert.deepEqual(outcomes, ['8', 'rejected', '10']);
  assert.deepEqual(
    tc.requests.map((r) => idsOf(r).join(',')),
    ['8,9,10', '8', '9', '10'],
  );
});
